"""After-sales follow-ups (SOP §7, rail step 6): what is due today and overdue, oldest first, or
(u) what is upcoming, soonest first; one key per outcome of the contact attempt.  The same list
shows one sale's follow-ups (from its receipt) or one follow-up (from the customer's page), to do
now whatever its day.

Keys on the list: u due / upcoming · r reached (a survey follow-up opens the survey) · n no answer (asks the next
day, tomorrow by default) · w wrong number · b wants to buy again (starts a visit with the
customer) · s survey for the sale · a reassign (manager) · m mine / everyone's (manager) ·
i service tickets.  Tab goes to the note field (optional; kept with the attempt), Enter back.

Every result names the customer; the cursor stays where the row acted on was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from storepos.i18n import t
from storepos.services import aftersales
from storepos.services.core.errors import DomainError
from storepos.services.core.permissions import can, refusal
from storepos.ui.kit.chrome import StepRail
from storepos.ui.kit.fields import Field, FormField
from storepos.ui.kit.form import FormModal
from storepos.ui.kit.inputs import KitInput
from storepos.ui.kit.lists import Column, ListScreen
from storepos.ui.kit.screen import next_step_binding
from storepos.ui.kit.text import Plain, number, safe

Item = aftersales.DueItem


def when(row: Item) -> str:
    """How far the day is: '2d late', 'today', 'in 3d', or the status of a closed follow-up."""
    if not row.active:
        return t(f"followup.status_{row.status}")
    if row.overdue_days > 0:
        return t("followup.overdue_days", days=row.overdue_days)
    if row.overdue_days < 0:
        return t("followup.in_days", days=-row.overdue_days)
    return t("followup.today")


class FollowUpsScreen(ListScreen[Item]):
    EMPTY_KEY = "followup.empty"
    HINT_KEY = "followup.hint"
    NEEDS = {"reassign": "followup.reassign"}  # hidden from sales staff (the kit hides it)
    BINDINGS = [
        next_step_binding(),
        Binding("escape", "back", "key.back"),
        Binding("r", "attempt('reached')", "followup.key_reached"),
        Binding("n", "no_answer", "followup.key_no_answer"),
        Binding("w", "attempt('wrong_number')", "followup.key_wrong", show=False),  # on the key-help line
        Binding("u", "toggle_upcoming", "followup.key_upcoming"),
        Binding("b", "interest", "followup.key_interest"),
        Binding("s", "survey", "followup.key_survey"),
        Binding("a", "reassign", "followup.key_reassign", show=False),
        Binding("m", "toggle_mine", "followup.key_mine", show=False),
        Binding("i", "tickets", "followup.key_tickets", show=False),
    ]

    def __init__(self, *, sale_id: int | None = None, followup_id: int | None = None) -> None:
        super().__init__()
        self.mine = True
        self.upcoming = False
        self.sale_id = sale_id  # this sale's follow-ups only (its receipt's key)
        self.followup_id = followup_id  # this one only (the customer's page)
        self.survey_drafts: dict[int, dict[str, Any]] = {}  # what Esc kept of a survey, by follow-up

    @property
    def items(self) -> list[Item]:
        return self.rows

    # -- what the list declares ----------------------------------------------------------------

    @property
    def scoped(self) -> bool:
        return self.sale_id is not None or self.followup_id is not None

    def title_text(self) -> str:
        if self.followup_id is not None:
            return t("followup.title_one", customer=self.rows[0].customer if self.rows else "")
        if self.sale_id is not None:
            return t("followup.title_sale", receipt=self.rows[0].receipt if self.rows else "", n=len(self.rows))
        which = "upcoming" if self.upcoming else "due"
        return t(f"followup.title_{which}_{'mine' if self.mine else 'all'}", n=len(self.rows))

    def columns(self) -> Sequence[Column]:
        # Fixed widths (80 columns with the owner): an auto-sized kit column shows only as wide as
        # its header; the customer and the kind take a wider terminal's room.
        cols = [Column("due", "followup.col_due", width=14), Column("kind", "followup.col_kind", width=13, grow=1),
                Column("customer", "followup.col_customer", width=10, grow=2),
                Column("phone", "followup.col_phone", width=11), Column("channel", "followup.col_channel", width=8),
                Column("tries", "followup.col_tries", width=4, justify="right")]
        if not self.mine:
            cols.insert(5, Column("owner", "followup.col_owner", width=6))
        return cols

    def load_rows(self) -> Sequence[Item]:
        if self.followup_id is not None:
            return [aftersales.followup_item(self.actor, self.followup_id)]
        if self.sale_id is not None:
            return aftersales.followups_for_sale(self.actor, self.sale_id)
        self.EMPTY_KEY = "followup.empty_upcoming" if self.upcoming else "followup.empty"
        return aftersales.due_list(self.actor, mine=self.mine, upcoming=self.upcoming)

    def row_key(self, row: Item) -> str:
        return str(row.id)

    def row_name(self, row: Item) -> str:
        return row.customer

    def row_cells(self, row: Item) -> Sequence[object]:
        due = safe(f"{row.due_date.strftime('%m-%d')} {when(row)}",
                   style="bold red" if row.overdue_days > 0 and row.active else "")
        cells: list[object] = [due, row.kind_label, row.customer, row.phone, row.channel_label, number(row.attempts)]
        if not self.mine:
            cells.insert(5, row.owner)
        return cells

    def compose_body(self) -> ComposeResult:
        yield StepRail("aftersales", id="rail")
        yield from super().compose_body()

    def compose_below(self) -> ComposeResult:
        yield Plain("", id="fu-detail")
        yield FormField("followup.note", KitInput(id="fu-note", max_length=500,
                                                  placeholder=t("followup.note_hint")), name="note")

    def reload(self, *, keep: str | None = None) -> None:
        super().reload(keep=keep)
        self.query_one("#list-title", Static).update(safe(self.title_text()))

    def row_highlighted(self, row: Item | None) -> None:
        box = self.query_one("#fu-detail", Plain)
        if row is None:
            box.update("")
            return
        entry = aftersales.kind_entry(row.kind)
        tip = entry.tip if entry else ""
        if row.receipt:
            text = t("followup.detail", kind=row.kind_label, channel=row.channel_label, receipt=row.receipt, tip=tip)
        else:
            text = t("followup.detail_no_sale", kind=row.kind_label, channel=row.channel_label, tip=tip)
        box.update(safe(text, lines=True))

    # -- the note ------------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "fu-note":
            event.stop()
            self.table.focus()

    def _note(self) -> str:
        return self.query_one("#fu-note", Input).value

    def _clear_note(self) -> None:
        self.query_one("#fu-note", Input).value = ""

    def _done(self, row: Item, message: str) -> None:
        """After an action on *row*: the note is used, the cursor stays where the row was."""
        self._clear_note()
        self.reload(keep=str(row.id))
        self.say(message)

    def _on_row(self, fn: Callable[[Item], Any]) -> Any:
        """Run *fn* on the highlighted row; a DomainError shows beside its field (the note) or in
        the message line, and gives None."""
        row = self.current
        if row is None:
            self.say(t("list.no_row"), error=True)
            return None
        self.clear_errors()
        try:
            return fn(row)
        except DomainError as exc:
            self.show_error(exc)
            return None

    # -- actions -------------------------------------------------------------------------------

    def action_attempt(self, outcome: str) -> None:
        row = self.current
        if row is None:
            self.say(t("list.no_row"), error=True)
            return
        if outcome == "reached" and row.kind == "survey" and row.sale_id:
            self.say(t("followup.done_survey_next", customer=row.customer))
            self._open_survey(row)
            return
        if self._on_row(lambda r: aftersales.record_attempt(self.actor, r.id, outcome, note=self._note())) is None:
            return
        key = "followup.done_reached" if outcome == "reached" else "followup.done_wrong"
        self._done(row, t(key, customer=row.customer))

    def action_next_step(self) -> None:
        """F10: the follow-up under the cursor done (the customer reached; a survey opens its
        form); when the sale's follow-ups are all done, the journey is over: home."""
        row = self.current
        if row is not None and getattr(row, "active", True):
            self.action_attempt("reached")
            return
        if any(getattr(r, "active", True) for r in self.rows):
            self.say(t("followup.next_step_pick"))
            return
        if self.sapp.journey is not None:
            self.sapp.journey.end()
        self.sapp.action_go_home()

    def action_no_answer(self) -> None:
        row = self.current
        if row is None:
            self.say(t("list.no_row"), error=True)
            return
        self.clear_errors()

        def done(fu: Any) -> None:
            if fu is not None:
                self._done(row, t("followup.done_rescheduled", customer=row.customer, day=fu.due_date.isoformat()))

        tomorrow = self.sapp.now_local().date() + dt.timedelta(days=1) if self.sapp.store else None
        self.app.push_screen(RescheduleForm(row, tomorrow, self._note()), done)

    def action_interest(self) -> None:
        v = self._on_row(lambda r: aftersales.record_interest(self.actor, r.id, self._note()))
        if v is None:
            return
        from storepos.ui.visits.visit import VisitScreen

        self._clear_note()
        self.app.push_screen(VisitScreen(v.id))

    def action_survey(self) -> None:
        row = self.current
        if row is None:
            self.say(t("list.no_row"), error=True)
            return
        if not row.sale_id:
            self.say(t("followup.no_sale"), error=True)
            return
        self._open_survey(row)

    def _open_survey(self, row: Item) -> None:
        from storepos.ui.aftersales.survey import SurveyForm, saved_message

        def done(res: aftersales.SurveyResult | None) -> None:
            if res is not None:
                self.reload(keep=str(row.id))
                self.say(saved_message(res, row.customer), error=res.ticket is not None)

        draft = self.survey_drafts.setdefault(row.id, {})
        self.app.push_screen(SurveyForm(sale_id=row.sale_id, followup_id=row.id, channel=row.channel, draft=draft),
                             done)

    def action_reassign(self) -> None:
        row = self.current
        if row is None:
            self.say(t("list.no_row"), error=True)
            return
        if not can(self.actor, "followup.reassign"):
            self.say(refusal("followup.reassign").message, error=True)
            return
        choices = aftersales.assignees(self.actor)

        def done(code: str | None) -> None:
            if code is not None:
                name = next((a.name for a in choices if a.code == code), code)
                self._done(row, t("followup.done_reassigned", customer=row.customer, name=name))

        self.app.push_screen(ReassignForm(row, choices), done)

    def action_toggle_mine(self) -> None:
        if can(self.actor, "followup.reassign"):
            self.mine = not self.mine
            self.table.set_columns(self.columns())
            self.reload()

    def action_toggle_upcoming(self) -> None:
        """Due (today and overdue) / upcoming; from one sale's or one follow-up's list, the due list."""
        self.upcoming = not self.upcoming and not self.scoped
        self.sale_id = self.followup_id = None
        self.reload()

    def action_tickets(self) -> None:
        self.sapp.open_area("tickets")


class RescheduleForm(FormModal[Any]):
    """No answer: the next day to try (tomorrow prefilled: the first key typed replaces it).
    Dismissed with the follow-up as it is now."""

    HINT_KEY = "form.hint_one"

    def __init__(self, row: Item, tomorrow: dt.date | None, note: str = "") -> None:
        super().__init__()
        self.row = row
        self.tomorrow = tomorrow
        self.note = note

    def form_title(self) -> str | Text:
        return t("followup.reschedule_title")

    def intro(self) -> str | Text | None:
        return t("followup.reschedule_intro", customer=self.row.customer, kind=self.row.kind_label)

    def fields(self) -> Sequence[Field]:
        return [Field("next_date", "followup.next_date", value=self.tomorrow.isoformat() if self.tomorrow else "",
                      max_length=20, hint="followup.date_hint")]

    def save(self, values: dict[str, Any]) -> Any:
        return aftersales.record_attempt(self.actor, self.row.id, "no_answer", note=self.note,
                                         next_date=values.get("next_date") or "")


class ReassignForm(FormModal[str]):
    """A manager gives the follow-up to another salesperson (chosen in a list).  Dismissed with
    their staff code."""

    HINT_KEY = "form.hint_one"

    def __init__(self, row: Item, choices: Sequence[aftersales.Assignee]) -> None:
        super().__init__()
        self.row = row
        self.choices = list(choices)

    def form_title(self) -> str | Text:
        return t("followup.reassign_title")

    def intro(self) -> str | Text | None:
        return t("followup.reassign_intro", customer=self.row.customer, kind=self.row.kind_label,
                 owner=self.row.owner)

    def fields(self) -> Sequence[Field]:
        current = next((a.code for a in self.choices if a.id == self.row.owner_id), None)
        options = [(t("followup.assignee", name=a.name, code=a.code), a.code) for a in self.choices]
        return [Field("staff", "followup.staff", value=current, options=options)]

    def save(self, values: dict[str, Any]) -> str:
        code = values.get("staff") or ""
        aftersales.reassign(self.actor, self.row.id, code)
        return str(code)


class MoveForm(FormModal[Any]):
    """Move a follow-up to another day (today or later) without a contact attempt; its current day
    prefilled (the first key typed replaces it).  Dismissed with the follow-up as it is now."""

    HINT_KEY = "form.hint_one"

    def __init__(self, row: Item) -> None:
        super().__init__()
        self.row = row

    def form_title(self) -> str | Text:
        return t("followup.move_title")

    def intro(self) -> str | Text | None:
        return t("followup.move_intro", customer=self.row.customer, kind=self.row.kind_label,
                 due=self.row.due_date.isoformat())

    def fields(self) -> Sequence[Field]:
        return [Field("due", "followup.new_date", value=self.row.due_date.isoformat(), max_length=20,
                      hint="followup.move_hint")]

    def save(self, values: dict[str, Any]) -> Any:
        return aftersales.reschedule(self.actor, self.row.id, values.get("due") or "")
