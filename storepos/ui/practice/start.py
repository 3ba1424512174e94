"""Start a practice session (trainee + scenario) and the scenario brief the trainer plays from."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Select, Static

from storepos.i18n import t
from storepos.money import fmt
from storepos.services import practice
from storepos.services.core.errors import DomainError
from storepos.ui.kit.screen import StoreposModal
from storepos.ui.kit.form import FormField


def brief_text(sc: practice.PracticeScenario, *, full: bool = True) -> Text:
    """The customer the trainer plays: persona, signal to give, needs, budget, objections, goal."""
    out = Text()
    out.append(sc.title + "\n", style="bold")
    out.append(t("practice.brief_persona") + " ", style="bold")
    out.append(sc.persona + "\n")
    out.append(t("practice.brief_signal") + " ", style="bold")
    out.append(sc.signal_label + "\n")
    if not full:
        return out
    out.append(t("practice.brief_needs") + " ", style="bold")
    out.append(t("practice.brief_needs_text", spec=sc.spec, quantity=sc.quantity, delivery=sc.delivery))
    if sc.use:
        out.append(" · " + sc.use)
    out.append("\n")
    out.append(t("practice.brief_budget") + " ", style="bold")
    out.append((fmt(sc.budget, fen=True) if sc.budget is not None else t("practice.brief_no_budget")) + "\n")
    out.append(t("practice.brief_objections") + "\n", style="bold")
    for text in sc.objection_texts:
        out.append(f"  • {text}\n")
    out.append(t("practice.brief_outcome") + " ", style="bold")
    out.append(sc.outcome)
    return out


class PracticeStart(StoreposModal):
    """Pick the trainee and the scenario; dismissed with the new session's id (or None)."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel"), Binding("ctrl+s", "start", "practice.key_start")]

    def compose(self) -> ComposeResult:
        store_id = self.actor.store_id
        people = [(f"{s.code} {s.name} · {t('role.' + s.role)}", s.id)
                  for s in practice.trainees(store_id, exclude=self.actor.staff_id)]
        self._scenarios = {s.code: s for s in practice.scenarios(store_id)}
        options = [(s.title[:60], s.code) for s in self._scenarios.values()]
        with Vertical(classes="modal-box", id="practice-start-box"):
            yield Static(t("practice.start_title"), classes="title")
            yield FormField("practice.trainee", Select(people, id="trainee", prompt=t("practice.pick_trainee")),
                            name="trainee")
            yield FormField("practice.scenario", Select(options, id="scenario", prompt=t("practice.pick_scenario")),
                            name="scenario")
            yield Static("", id="practice-preview")
            yield Static("", id="message")
            yield Static(t("practice.start_hint"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#trainee", Select).focus()

    @on(Select.Changed, "#scenario")
    def _preview(self, event: Select.Changed) -> None:
        sc = self._scenarios.get(str(event.value)) if event.value is not Select.NULL else None
        self.query_one("#practice-preview", Static).update(brief_text(sc, full=False) if sc else "")

    def action_start(self) -> None:
        self.clear_errors()
        trainee = self.query_one("#trainee", Select).value
        scenario = self.query_one("#scenario", Select).value
        if trainee is Select.NULL:
            self.show_error(DomainError("err.practice_trainee_unknown", field="trainee"))
            return
        try:
            session = practice.start_session(self.actor, int(trainee),  # type: ignore[arg-type]
                                             "" if scenario is Select.NULL else str(scenario))
        except DomainError as exc:
            self.show_error(exc)
            return
        self.dismiss(session.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ScenarioBrief(StoreposModal):
    """The running session's brief for the trainer; h hands the terminal to the trainee."""

    BINDINGS = [Binding("escape", "close", "key.back"), Binding("h", "hand_over", "practice.key_hand_over"),
                Binding("r", "refresh", "practice.key_steps")]

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id

    def compose(self) -> ComposeResult:
        s = practice.get_session(self.actor.store_id, self.session_id)
        with Vertical(classes="modal-box", id="practice-brief-box"):
            yield Static(t("practice.brief_title"), classes="title")
            with VerticalScroll(id="brief-scroll"):
                try:
                    sc: Any = practice.get_scenario(self.actor.store_id, s.scenario)
                    yield Static(brief_text(sc), id="brief-text")
                except DomainError as exc:
                    yield Static(exc.message, id="brief-text")
            yield Static("", id="brief-steps")
            yield Static(t("practice.brief_hint"), classes="hint")

    def on_mount(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        try:
            s = practice.refresh_steps(self.actor, self.session_id)
        except DomainError:
            return
        steps = practice.score_card(self.actor.store_id, s.id).steps
        done = [st for st in steps if st.stage != "session"]
        self.query_one("#brief-steps", Static).update(
            t("practice.brief_steps", n=len(done), last=done[-1].label if done else "—"))

    def action_hand_over(self) -> None:
        self.dismiss("hand_over")

    def action_close(self) -> None:
        self.dismiss(None)
