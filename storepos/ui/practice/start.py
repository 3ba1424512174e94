"""Start a practice session (trainee + scenario) and the scenario brief the trainer plays from."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Select

from storepos.i18n import t
from storepos.money import fmt
from storepos.services import practice
from storepos.services.core.errors import DomainError
from storepos.ui.kit.fields import Field
from storepos.ui.kit.form import FormModal
from storepos.ui.kit.screen import Modal
from storepos.ui.kit.text import Plain, clean


def brief_text(sc: practice.PracticeScenario, *, full: bool = True) -> Text:
    """The customer the trainer plays: persona, signal to give, needs, budget, objections, goal.
    Scenario texts are data: shown exactly as written (never markup)."""
    out = Text()
    out.append(clean(sc.title) + "\n", style="bold")
    out.append(t("practice.brief_persona") + " ", style="bold")
    out.append(clean(sc.persona) + "\n")
    out.append(t("practice.brief_signal") + " ", style="bold")
    out.append(clean(sc.signal_label) + "\n")
    if not full:
        return out
    out.append(t("practice.brief_needs") + " ", style="bold")
    out.append(clean(t("practice.brief_needs_text", spec=sc.spec, quantity=sc.quantity, delivery=sc.delivery)))
    if sc.use:
        out.append(" · " + clean(sc.use))
    out.append("\n")
    out.append(t("practice.brief_budget") + " ", style="bold")
    out.append((fmt(sc.budget, fen=True) if sc.budget is not None else t("practice.brief_no_budget")) + "\n")
    out.append(t("practice.brief_objections") + "\n", style="bold")
    for text in sc.objection_texts:
        out.append(f"  • {clean(text)}\n")
    out.append(t("practice.brief_outcome") + " ", style="bold")
    out.append(clean(sc.outcome))
    return out


class PracticeStart(FormModal[int]):
    """Pick the trainee and the scenario (both start on "choose": nobody is picked by accident);
    dismissed with the new session's id."""

    TITLE_KEY = "practice.start_title"
    HINT_KEY = "practice.start_hint"
    BINDINGS = [Binding("ctrl+s", "save", "practice.key_start")]

    def fields(self) -> Sequence[Field]:
        store_id = self.actor.store_id
        people: list[tuple[Any, Any]] = [(t("practice.pick_trainee"), "")]
        people += [(t("practice.trainee_option", code=s.code, name=s.name, role=t("role." + s.role)), s.id)
                   for s in practice.trainees(store_id, exclude=self.actor.staff_id)]
        self._scenarios = {s.code: s for s in practice.scenarios(store_id)}
        options: list[tuple[Any, Any]] = [(t("practice.pick_scenario"), "")]
        options += [(s.title, s.code) for s in self._scenarios.values()]
        return [Field("trainee", "practice.trainee", value="", options=people),
                Field("scenario", "practice.scenario", value="", options=options)]

    def compose_extra(self) -> ComposeResult:
        yield Plain("", id="practice-preview")

    @on(Select.Changed, "#scenario")
    def _preview(self, event: Select.Changed) -> None:
        sc = self._scenarios.get(str(event.value)) if event.value not in (Select.BLANK, "") else None
        self.query_one("#practice-preview", Plain).update(brief_text(sc, full=False) if sc else Text(""))

    def save(self, values: dict[str, Any]) -> int:
        trainee = values.get("trainee")
        if trainee in (None, ""):
            raise DomainError("err.practice_trainee_unknown", field="trainee")
        return practice.start_session(self.actor, int(trainee), str(values.get("scenario") or "")).id


class BriefChoice(enum.Enum):
    """What the trainer chose on the brief (Esc: None)."""

    HAND_OVER = "hand_over"


class ScenarioBrief(Modal[BriefChoice]):
    """The running session's brief for the trainer; h hands the terminal to the trainee."""

    BINDINGS = [Binding("escape", "cancel", "key.back"), Binding("h", "hand_over", "practice.key_hand_over"),
                Binding("r", "refresh", "practice.key_steps")]

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id

    def compose(self) -> ComposeResult:
        s = practice.get_session(self.actor.store_id, self.session_id)
        with Vertical(classes="modal-box", id="practice-brief-box"):
            yield Plain(t("practice.brief_title"), classes="title")
            with VerticalScroll(id="brief-scroll"):
                try:
                    sc: Any = practice.get_scenario(self.actor.store_id, s.scenario)
                    yield Plain(brief_text(sc), id="brief-text")
                except DomainError as exc:
                    yield Plain(exc.message, id="brief-text")
            yield Plain("", id="brief-steps")
            yield Plain(t("practice.brief_hint"), classes="hint")

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        try:
            s = practice.refresh_steps(self.actor, self.session_id)
        except DomainError:
            return
        steps = practice.score_card(self.actor.store_id, s.id).steps
        done = [st for st in steps if st.stage != "session"]
        self.query_one("#brief-steps", Plain).update(
            t("practice.brief_steps", n=len(done), last=done[-1].label if done else "—"))

    def action_hand_over(self) -> None:
        self.dismiss(BriefChoice.HAND_OVER)
