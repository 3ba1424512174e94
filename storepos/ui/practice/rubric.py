"""The trainer scores the five rubric areas of SOP §9 (1-5, a comment each)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from storepos.i18n import t
from storepos.services import practice
from storepos.services.core import sop
from storepos.services.core.errors import DomainError
from storepos.ui.kit.screen import StoreposModal
from storepos.ui.kit.form import FormField


class RubricForm(StoreposModal):
    """Dismissed with the session id once saved (None when cancelled)."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel"), Binding("ctrl+s", "save", "key.save")]

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id

    def compose(self) -> ComposeResult:
        given = practice.scores_of(self.session_id)
        s = practice.get_session(self.actor.store_id, self.session_id)
        trainee = practice.trainee_of(s)
        with Vertical(classes="modal-box", id="practice-rubric-box"):
            yield Static(t("practice.rubric_title", name=trainee.name), classes="title")
            with VerticalScroll(id="practice-rubric-scroll"):
                for group in sop.rubric_areas():
                    code = group.entry.code
                    old = given.get(code)
                    yield Static(group.entry.label, classes="rubric-area")
                    yield Static(" · ".join(c.label for c in group.items), classes="rubric-criteria")
                    yield FormField("practice.score", Input(str(old.score) if old else "", id=f"score_{code}",
                                                            max_length=1, placeholder="1-5"),
                                    name=f"score_{code}")
                    yield FormField("practice.comment", Input(old.comment if old else "", id=f"comment_{code}",
                                                              max_length=practice.COMMENT_MAX),
                                    name=f"comment_{code}")
            yield Static("", id="message")
            yield Static(t("practice.rubric_hint"), classes="hint")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        idx = inputs.index(event.input)
        if idx + 1 < len(inputs):
            inputs[idx + 1].focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        self.clear_errors()
        data = {}
        for code in practice.rubric_codes():
            data[code] = {"score": self.query_one(f"#score_{code}", Input).value,
                          "comment": self.query_one(f"#comment_{code}", Input).value}
        try:
            practice.score_session(self.actor, self.session_id, data)
        except DomainError as exc:
            self.show_error(exc)
            if exc.field:
                try:
                    self.query_one(f"#field-{exc.field}").scroll_visible()
                except Exception:  # noqa: BLE001 - no such field: the message line has it
                    pass
            return
        self.dismiss(self.session_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
