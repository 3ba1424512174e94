"""Practice (trainers and managers): sessions on the practice database; the switch between live and
practice (the app restarts on the other database)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from storepos import clock
from storepos.i18n import t
from storepos.models import Staff
from storepos.services import practice
from storepos.services.core.errors import DomainError
from storepos.ui.kit.screen import StoreposModal, StoreposScreen


class PracticeSwitch(StoreposModal):
    """Confirm the restart into the practice database (or back to live)."""

    BINDINGS = [Binding("enter", "confirm", "key.confirm"), Binding("y", "confirm", "key.confirm", show=False),
                Binding("escape", "cancel", "key.cancel")]

    def __init__(self, to_practice: bool) -> None:
        super().__init__()
        self.to_practice = to_practice

    def compose(self) -> ComposeResult:
        which = "to_practice" if self.to_practice else "to_live"
        with Vertical(classes="modal-box", id="practice-switch-box"):
            yield Static(t(f"practice.switch_{which}_title"), classes="title")
            yield Static(t(f"practice.switch_{which}_text"), id="practice-switch-text")
            yield Static(t("practice.switch_hint"), classes="hint")

    def action_confirm(self) -> None:
        self.sapp.restart_into(self.to_practice)

    def action_cancel(self) -> None:
        self.dismiss(False)


class PracticeScreen(StoreposScreen):
    """The trainer's list of sessions and what to do with them."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "key.back"),
        Binding("n", "new", "practice.key_new"),
        Binding("enter", "card", "practice.key_card", show=False),
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

    def compose_body(self) -> ComposeResult:
        yield Static(t("practice.title"), classes="title", id="practice-title")
        yield Static(t("practice.hint"), classes="hint", id="practice-hint")
        yield DataTable(id="practice-list", cursor_type="row", zebra_stripes=True)
        yield Static("", id="message")

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def load(self) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear(columns=True)
        table.add_columns(t("practice.col_when"), t("practice.col_trainee"), t("practice.col_scenario"),
                          t("practice.col_status"), t("practice.col_objective"), t("practice.col_rubric"))
        store = self.sapp.store
        assert store is not None
        self._rows = practice.sessions(store.id)
        names = {s.id: s.name for s in Staff.select(Staff.id, Staff.name).where(Staff.store == store.id)}
        for s in self._rows:
            when = clock.to_local(s.started_at, store.timezone).strftime("%m-%d %H:%M")
            obj = (f"{s.objective_points}/{s.objective_max}" if s.objective_max else "—")
            rub = f"{s.rubric_total}/25" if s.rubric_total is not None else "—"
            status = Text(t(f"practice.status_{s.status}"),
                          style="bold yellow" if s.status == "running" else "")
            table.add_row(when, names.get(s.trainee_id, "?")[:12], practice.scenario_title(store.id, s.scenario)[:24],
                          status, obj, rub, key=str(s.id))
        if not self._rows:
            self.say(t("practice.none_yet"))
        elif keep is not None and keep < len(self._rows):
            table.move_cursor(row=keep)
        table.focus()

    def _current(self) -> Any | None:
        table = self.query_one(DataTable)
        if not self._rows or table.cursor_row is None or table.cursor_row >= len(self._rows):
            return None
        return self._rows[table.cursor_row]

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_card()

    def _after(self, result: Any = None) -> None:
        self.load()
        if isinstance(result, str) and result:
            self.say(result)

    def action_new(self) -> None:
        from storepos.ui.practice.start import PracticeStart

        self.app.push_screen(PracticeStart(), self._started)

    def _started(self, session_id: Any) -> None:
        from storepos.ui.practice.start import ScenarioBrief

        self.load()
        if session_id:
            self.app.push_screen(ScenarioBrief(int(session_id)), self._brief_closed)

    def _brief_closed(self, result: Any) -> None:
        if result == "hand_over":
            self.action_hand_over()
        else:
            self.load()

    def action_card(self) -> None:
        from storepos.ui.practice.card import ScoreCardScreen

        s = self._current()
        if s is None:
            return
        if s.status == "running":
            from storepos.ui.practice.start import ScenarioBrief

            self.app.push_screen(ScenarioBrief(s.id), self._brief_closed)
            return
        self.app.push_screen(ScoreCardScreen(s.id))

    def action_end(self) -> None:
        s = self._current()
        if s is None:
            return
        self.clear_errors()
        try:
            practice.end_session(self.actor, s.id)
        except DomainError as exc:
            self.show_error(exc)
            return
        self.load()
        self.action_score()

    def action_score(self) -> None:
        from storepos.ui.practice.rubric import RubricForm

        s = self._current()
        if s is None:
            return
        if s.status == "cancelled":
            self.say(t("err.practice_cancelled"), error=True)
            return
        self.app.push_screen(RubricForm(s.id), self._scored)

    def _scored(self, session_id: Any) -> None:
        from storepos.ui.practice.card import ScoreCardScreen

        self.load()
        if session_id:
            self.app.push_screen(ScoreCardScreen(int(session_id)))

    def action_cancel_session(self) -> None:
        s = self._current()
        if s is None:
            return
        try:
            practice.cancel_session(self.actor, s.id)
        except DomainError as exc:
            self.show_error(exc)
            return
        self.load()

    def action_hand_over(self) -> None:
        """The trainee takes the terminal: log the trainer out (their session keeps running)."""
        self.sapp.action_logout()
        self.sapp.notify(t("practice.handed_over"))

    def action_progress(self) -> None:
        from storepos.ui.practice.progress import ProgressScreen

        s = self._current()
        self.app.push_screen(ProgressScreen(s.trainee_id if s is not None else None))

    def action_add_scenario(self) -> None:
        from storepos.ui.practice.scenario import ScenarioForm

        self.app.push_screen(ScenarioForm(), self._after)

    def action_refresh_live(self) -> None:
        self.clear_errors()
        try:
            res = practice.seed_from_live(self.sapp.settings, self.actor)
        except DomainError as exc:
            self.show_error(exc)
            return
        self.say(t("practice.refreshed", products=res.products, staff=res.staff, customers=res.customers,
                   moves=res.stock_moves))

    def action_back_to_live(self) -> None:
        self.app.push_screen(PracticeSwitch(to_practice=False))

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#practice-title", Static).update(t("practice.title"))
        self.query_one("#practice-hint", Static).update(t("practice.hint"))
        self.load()


def open_practice(app: Any) -> None:
    """Practice from the live app asks to restart on the practice database first."""
    if app.settings.practice:
        app.push_screen(PracticeScreen())
    else:
        app.push_screen(PracticeSwitch(to_practice=True))
