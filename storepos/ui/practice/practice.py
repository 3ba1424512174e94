"""Practice (trainers and managers): sessions on the practice database; the switch between live and
practice (the app restarts on the other database).

The list keeps the cursor on the session acted on and names it in every result; trainee and
scenario names show exactly as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from storepos import clock
from storepos.i18n import t
from storepos.services import practice
from storepos.services.core.errors import DomainError
from storepos.ui.kit.lists import Column, ListScreen
from storepos.ui.kit.screen import Modal
from storepos.ui.kit.text import Plain, fit, safe


class PracticeSwitch(Modal[bool]):
    """Confirm the restart into the practice database (or back to live): Enter restarts, Esc stays
    (dismissed with None)."""

    BINDINGS = [Binding("enter", "confirm", "key.confirm"), Binding("y", "confirm", "key.confirm", show=False),
                Binding("escape", "cancel", "key.cancel")]

    def __init__(self, to_practice: bool) -> None:
        super().__init__()
        self.to_practice = to_practice

    def compose(self) -> ComposeResult:
        which = "to_practice" if self.to_practice else "to_live"
        with Vertical(classes="modal-box", id="practice-switch-box"):
            yield Plain(t(f"practice.switch_{which}_title"), classes="title")
            yield Plain(t(f"practice.switch_{which}_text"), id="practice-switch-text")
            yield Plain(t("practice.switch_hint"), classes="hint")

    def action_confirm(self) -> None:
        self.sapp.restart_into(self.to_practice)


def session_name(row: practice.SessionRow) -> str:
    """A session as results name it: "Lily Chen (1002) · The restaurant kitchen"."""
    return t("practice.session_who", name=row.trainee_name, code=row.trainee_code, scenario=row.scenario_title)


class PracticeScreen(ListScreen[practice.SessionRow]):
    """The trainer's list of sessions and what to do with them."""

    TITLE_KEY = "practice.title"
    EMPTY_KEY = "practice.none_yet"
    HINT_KEY = "practice.hint"
    COLUMNS = (
        Column("when", "practice.col_when"),
        Column("trainee", "practice.col_trainee"),
        Column("scenario", "practice.col_scenario"),
        Column("status", "practice.col_status"),
        Column("objective", "practice.col_objective", justify="right"),
        Column("rubric", "practice.col_rubric", justify="right"),
    )
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("n", "new", "practice.key_new"),
        Binding("c", "card", "practice.key_card"),
        Binding("e", "end", "practice.key_end"),
        Binding("s", "score", "practice.key_score"),
        Binding("h", "hand_over", "practice.key_hand_over"),
        Binding("g", "progress", "practice.key_progress"),
        Binding("a", "add_scenario", "practice.key_add_scenario"),
        Binding("f", "refresh_live", "practice.key_refresh"),
        Binding("z", "cancel_session", "practice.key_cancel", show=False),
        Binding("b", "back_to_live", "practice.key_live"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # What Esc left in the scenario form (sixteen fields), kept until it is saved.
        self._scenario_draft: dict[str, Any] = {}

    # -- the list ------------------------------------------------------------------------------

    def load_rows(self) -> Sequence[practice.SessionRow]:
        return practice.session_rows(self.actor.store_id)

    def row_key(self, row: practice.SessionRow) -> str:
        return str(row.id)

    def row_name(self, row: practice.SessionRow) -> str:
        return session_name(row)

    def row_cells(self, row: practice.SessionRow) -> Sequence[object]:
        store = self.sapp.store
        tz = store.timezone if store is not None else "UTC"
        when = clock.to_local(row.started_at, tz).strftime("%m-%d %H:%M")
        status = safe(t(f"practice.status_{row.status}"), style="bold yellow" if row.status == "running" else "")
        rubric = f"{row.rubric_total}/25" if row.rubric_total is not None else "—"
        # Names are cut to a width (by terminal cells) so that the scores stay on screen at 80x24.
        return (when, fit(row.trainee_name, 16), fit(row.scenario_title, 26), status, row.objective, rubric)

    def open_row(self, row: practice.SessionRow) -> None:
        self.action_card()

    # -- acting on a session -------------------------------------------------------------------

    def action_new(self) -> None:
        from storepos.ui.practice.start import PracticeStart

        self.app.push_screen(PracticeStart(), self._started)

    def _started(self, session_id: int | None) -> None:
        from storepos.ui.practice.start import ScenarioBrief

        if session_id is None:
            return
        self.reload(keep=str(session_id))
        row = self._by_key.get(str(session_id))
        if row is not None:
            self.say(t("practice.started", name=session_name(row)))
        self.app.push_screen(ScenarioBrief(session_id), self._brief_closed)

    def _brief_closed(self, result: Any) -> None:
        from storepos.ui.practice.start import BriefChoice

        if result is BriefChoice.HAND_OVER:
            self.action_hand_over()

    def action_card(self) -> None:
        from storepos.ui.practice.card import ScoreCardScreen
        from storepos.ui.practice.start import ScenarioBrief

        row = self.current
        if row is None:
            return
        if row.status == "running":
            self.app.push_screen(ScenarioBrief(row.id), self._brief_closed)
            return
        self.app.push_screen(ScoreCardScreen(row.id))

    def action_end(self) -> None:
        row = self.current
        if row is None:
            self.say(t("list.no_row"), error=True)
            return
        try:
            practice.end_session(self.actor, row.id)
        except DomainError as exc:
            self.say(t("practice.not_done_who", name=session_name(row), reason=exc.message), error=True)
            return
        self.reload(keep=str(row.id))
        self.say(t("practice.ended", name=session_name(row)))
        self.action_score()

    def action_score(self) -> None:
        from storepos.ui.practice.rubric import RubricForm

        row = self.current
        if row is None:
            self.say(t("list.no_row"), error=True)
            return
        if row.status == "cancelled":
            self.say(t("err.practice_cancelled"), error=True)
            return
        self.app.push_screen(RubricForm(row.id), self._scored)

    def _scored(self, session_id: int | None) -> None:
        from storepos.ui.practice.card import ScoreCardScreen

        if session_id is None:
            return
        self.reload(keep=str(session_id))
        row = self._by_key.get(str(session_id))
        if row is not None:
            self.say(t("practice.scored", name=session_name(row)))
        self.app.push_screen(ScoreCardScreen(session_id))

    def action_cancel_session(self) -> None:
        self.act(lambda row: practice.cancel_session(self.actor, row.id), done="practice.cancelled_who",
                 confirm="practice.confirm_cancel")

    def action_hand_over(self) -> None:
        """The trainee takes the terminal: log the trainer out (their session keeps running)."""
        self.sapp.action_logout()
        self.sapp.notify(t("practice.handed_over"), markup=False)

    def action_progress(self) -> None:
        from storepos.ui.practice.progress import ProgressScreen

        row = self.current
        self.app.push_screen(ProgressScreen(row.trainee_id if row is not None else None))

    def action_add_scenario(self) -> None:
        from storepos.ui.practice.scenario import ScenarioForm

        self.app.push_screen(ScenarioForm(draft=self._scenario_draft), self._scenario_added)

    def _scenario_added(self, scenario: practice.PracticeScenario | None) -> None:
        if scenario is not None:
            self.say(t("practice.scenario_saved", title=scenario.title))

    def action_refresh_live(self) -> None:
        try:
            res = practice.seed_from_live(self.sapp.settings, self.actor)
        except DomainError as exc:
            self.say(exc.message, error=True)
            return
        self.reload()
        self.say(t("practice.refreshed", products=res.products, staff=res.staff, customers=res.customers,
                   moves=res.stock_moves))

    def action_back_to_live(self) -> None:
        self.app.push_screen(PracticeSwitch(to_practice=False))


def open_practice(app: Any) -> None:
    """Practice from the live app asks to restart on the practice database first."""
    if app.settings.practice:
        app.push_screen(PracticeScreen())
    else:
        app.push_screen(PracticeSwitch(to_practice=True))
