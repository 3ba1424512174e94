"""A trainer adds a practice scenario (stored in the practice database, audited)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Select, Static

from storepos.i18n import t
from storepos.services import practice
from storepos.services.core import sop
from storepos.services.core.errors import DomainError
from storepos.ui.kit.screen import StoreposModal
from storepos.ui.kit.form import FormField

# Service field name -> (label key, max length).  The zh texts are required, en ones optional.
FIELDS = (
    ("code", 40), ("title_zh", 100), ("title_en", 100), ("persona_zh", 1000), ("persona_en", 1000),
    ("signal", 0), ("spec_zh", 1000), ("spec_en", 1000), ("quantity", 6), ("budget", 20),
    ("delivery_zh", 1000), ("delivery_en", 1000), ("objections_zh", 1000), ("objections_en", 1000),
    ("outcome_zh", 1000), ("outcome_en", 1000),
)


class ScenarioForm(StoreposModal):
    """Dismissed with a message (saved) or None."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel"), Binding("ctrl+s", "save", "key.save")]

    def compose(self) -> ComposeResult:
        signals = [(f"{e.get('key', '')} {e.label}", e.code) for e in sop.entries("approach", "signals")]
        with Vertical(classes="modal-box", id="practice-scenario-box"):
            yield Static(t("practice.scenario_title"), classes="title")
            with VerticalScroll(id="practice-scenario-scroll"):
                for name, limit in FIELDS:
                    if name == "signal":
                        widget = Select(signals, id=name, prompt=t("practice.pick_signal"))
                    else:
                        widget = Input(id=name, max_length=limit)
                    yield FormField(f"practice.f_{name}", widget, name=name)
            yield Static("", id="message")
            yield Static(t("practice.scenario_hint"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#code", Input).focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        widgets = [w for w in self.query("#practice-scenario-scroll Input, #practice-scenario-scroll Select")]
        idx = widgets.index(event.input)
        if idx + 1 < len(widgets):
            widgets[idx + 1].focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        self.clear_errors()
        data: dict[str, str] = {}
        for name, _limit in FIELDS:
            if name == "signal":
                value = self.query_one("#signal", Select).value
                data[name] = "" if value is Select.NULL else str(value)
            else:
                data[name] = self.query_one(f"#{name}", Input).value
        try:
            sc = practice.add_scenario(self.actor, data)
        except DomainError as exc:
            self.show_error(exc)
            if exc.field:
                try:
                    self.query_one(f"#field-{exc.field}").scroll_visible()
                except Exception:  # noqa: BLE001 - not a field of this form
                    pass
            return
        self.dismiss(t("practice.scenario_saved", title=sc.title))

    def action_cancel(self) -> None:
        self.dismiss(None)
