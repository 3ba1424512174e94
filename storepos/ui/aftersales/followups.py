"""After-sales follow-ups (SOP §7, rail step 6): what is due today and overdue, oldest first; one
key per outcome of the contact attempt.

Keys on the list: r reached (a survey follow-up opens the survey) · n no answer (asks the next
day, tomorrow by default) · w wrong number · b wants to buy again (starts a visit with the
customer) · s survey for the sale · a reassign (manager) · m mine / everyone's (manager) ·
i service tickets.  Tab goes to the note field (optional; kept with the attempt), Enter back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from storepos.i18n import t
from storepos.services import aftersales
from storepos.services.core.errors import DomainError
from storepos.services.core.permissions import can
from storepos.ui.kit.screen import StoreposModal, StoreposScreen
from storepos.ui.kit.chrome import StepRail
from storepos.ui.kit.form import FormField


class FollowUpsScreen(StoreposScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "key.back"),
        Binding("r", "attempt('reached')", "followup.key_reached"),
        Binding("n", "no_answer", "followup.key_no_answer"),
        Binding("w", "attempt('wrong_number')", "followup.key_wrong"),
        Binding("b", "interest", "followup.key_interest"),
        Binding("s", "survey", "followup.key_survey"),
        Binding("a", "reassign", "followup.key_reassign", show=False),
        Binding("m", "toggle_mine", "followup.key_mine", show=False),
        Binding("i", "tickets", "followup.key_tickets", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.mine = True
        self.items: list[aftersales.DueItem] = []

    def compose_body(self) -> ComposeResult:
        with Vertical(id="followups"):
            yield StepRail("aftersales", id="rail")
            yield Static("", id="fu-title", classes="section-title")
            yield DataTable(id="fu-table", cursor_type="row")
            yield Static("", id="fu-detail")
            yield FormField("followup.note", Input(id="fu-note", max_length=500, placeholder=t("followup.note_hint")),
                            name="note")
            yield Static(t("followup.hint"), classes="hint", id="fu-hint")
            yield Static("", id="message")

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        self.load(keep_message=True)

    # -- list ---------------------------------------------------------------------------------

    def load(self, *, keep_message: bool = False) -> None:
        table = self.query_one("#fu-table", DataTable)
        row = table.cursor_row or 0
        self.items = aftersales.due_list(self.actor, mine=self.mine)
        self.query_one("#fu-title", Static).update(
            t("followup.title_mine" if self.mine else "followup.title_all", n=len(self.items)))
        table.clear(columns=True)
        cols = [("due", 13), ("kind", 14), ("customer", 10), ("phone", 12), ("channel", 8), ("tries", 4)]
        if not self.mine:
            cols.insert(5, ("owner", 6))
        for key, width in cols:
            table.add_column(t(f"followup.col_{key}"), width=width)
        for it in self.items:
            due = Text(it.due_date.strftime("%m-%d") + " " + (
                t("followup.overdue_days", days=it.overdue_days) if it.overdue_days else t("followup.today")),
                style="bold red" if it.overdue_days else "")
            cells: list[Any] = [due, it.kind_label, it.customer, it.phone, it.channel_label,
                                Text(str(it.attempts), justify="right")]
            if not self.mine:
                cells.insert(5, it.owner)
            table.add_row(*cells, key=str(it.id))
        if self.items:
            table.move_cursor(row=min(row, len(self.items) - 1))
        table.focus()
        self.show_detail()
        if not keep_message:
            self.say(t("followup.empty") if not self.items else "")

    def current(self) -> aftersales.DueItem | None:
        if not self.items:
            return None
        row = self.query_one("#fu-table", DataTable).cursor_row or 0
        return self.items[min(row, len(self.items) - 1)]

    def show_detail(self) -> None:
        it = self.current()
        box = self.query_one("#fu-detail", Static)
        if it is None:
            box.update("")
            return
        entry = aftersales.kind_entry(it.kind)
        tip = entry.tip if entry else ""
        if it.receipt:
            box.update(t("followup.detail", kind=it.kind_label, channel=it.channel_label, receipt=it.receipt, tip=tip))
        else:
            box.update(t("followup.detail_no_sale", kind=it.kind_label, channel=it.channel_label, tip=tip))

    @on(DataTable.RowHighlighted, "#fu-table")
    def _moved(self, _event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    @on(Input.Submitted, "#fu-note")
    def _note_done(self, _event: Input.Submitted) -> None:
        self.query_one("#fu-table", DataTable).focus()

    def _note(self) -> str:
        return self.query_one("#fu-note", Input).value

    def _done(self, message: str) -> None:
        self.query_one("#fu-note", Input).value = ""
        self.load(keep_message=True)
        self.say(message)

    # -- actions ------------------------------------------------------------------------------

    def action_attempt(self, outcome: str) -> None:
        it = self.current()
        if it is None:
            return
        self.clear_errors()
        if outcome == "reached" and it.kind == "survey" and it.sale_id:
            self.say(t("followup.done_survey_next", customer=it.customer))
            self._open_survey(it)
            return
        try:
            aftersales.record_attempt(self.actor, it.id, outcome, note=self._note())
        except DomainError as exc:
            self.show_error(exc)
            return
        key = "followup.done_reached" if outcome == "reached" else "followup.done_wrong"
        self._done(t(key, customer=it.customer))

    def action_no_answer(self) -> None:
        it = self.current()
        if it is None:
            return
        self.clear_errors()

        def done(fu: Any) -> None:
            if fu is not None:
                self._done(t("followup.done_rescheduled", customer=it.customer, day=fu.due_date.isoformat()))

        self.app.push_screen(RescheduleModal(it.id, self._note()), done)

    def action_interest(self) -> None:
        it = self.current()
        if it is None:
            return
        self.clear_errors()
        try:
            v = aftersales.record_interest(self.actor, it.id, self._note())
        except DomainError as exc:
            self.show_error(exc)
            return
        from storepos.ui.visits.visit import VisitScreen

        self.query_one("#fu-note", Input).value = ""
        self.app.push_screen(VisitScreen(v.id))

    def action_survey(self) -> None:
        it = self.current()
        if it is None:
            return
        if not it.sale_id:
            self.say(t("followup.no_sale"), error=True)
            return
        self._open_survey(it)

    def _open_survey(self, it: aftersales.DueItem) -> None:
        from storepos.ui.aftersales.survey import SurveyScreen

        self.app.push_screen(SurveyScreen(sale_id=it.sale_id, followup_id=it.id, channel=it.channel))

    def action_reassign(self) -> None:
        it = self.current()
        if it is None:
            return
        if not can(self.actor, "followup.reassign"):
            self.show_error(DomainError("err.permission_denied", action="followup.reassign"))
            return

        def done(fu: Any) -> None:
            if fu is not None:
                from storepos.models import Staff

                self._done(t("followup.done_reassigned", name=Staff.get_by_id(fu.owner_id).name))

        self.app.push_screen(ReassignModal(it.id), done)

    def action_toggle_mine(self) -> None:
        if can(self.actor, "followup.reassign"):
            self.mine = not self.mine
            self.load()

    def action_tickets(self) -> None:
        self.sapp.open_area("tickets")

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#fu-hint", Static).update(t("followup.hint"))
        self.load(keep_message=True)


class RescheduleModal(StoreposModal):
    """No answer: the next day to try (tomorrow by default).  Dismissed with the FollowUp or None."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel")]

    def __init__(self, followup_id: int, note: str = "") -> None:
        super().__init__()
        self.followup_id = followup_id
        self.note = note

    def compose(self) -> ComposeResult:
        tomorrow = self.sapp.now_local().date() + dt.timedelta(days=1) if self.sapp.store else None
        with Vertical(classes="modal-box", id="fu-reschedule"):
            yield Static(t("followup.reschedule_title"), classes="title")
            yield FormField("followup.next_date", Input(tomorrow.isoformat() if tomorrow else "", id="fu-next",
                                                        max_length=20), name="next_date")
            yield Static(t("followup.date_hint"), classes="hint")
            yield Static("", id="message")

    def on_mount(self) -> None:
        self.query_one("#fu-next", Input).focus()

    @on(Input.Submitted, "#fu-next")
    def _ok(self, event: Input.Submitted) -> None:
        self.clear_errors()
        try:
            fu = aftersales.record_attempt(self.actor, self.followup_id, "no_answer", note=self.note,
                                           next_date=event.value)
        except DomainError as exc:
            self.show_error(exc)
            return
        self.dismiss(fu)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReassignModal(StoreposModal):
    """A manager gives the follow-up to another staff code.  Dismissed with the FollowUp or None."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel")]

    def __init__(self, followup_id: int) -> None:
        super().__init__()
        self.followup_id = followup_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="fu-reassign"):
            yield Static(t("followup.reassign_title"), classes="title")
            yield FormField("followup.staff_code", Input(id="fu-staff", max_length=20), name="staff")
            yield Static("", id="message")

    def on_mount(self) -> None:
        self.query_one("#fu-staff", Input).focus()

    @on(Input.Submitted, "#fu-staff")
    def _ok(self, event: Input.Submitted) -> None:
        self.clear_errors()
        try:
            fu = aftersales.reassign(self.actor, self.followup_id, event.value)
        except DomainError as exc:
            self.show_error(exc)
            return
        self.dismiss(fu)

    def action_cancel(self) -> None:
        self.dismiss(None)
