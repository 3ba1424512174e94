"""Service tickets (SOP §7, home key i): the list (managers see every ticket, staff their own), a
ticket's page with its actions (who, when, what) and its moves open → in progress → resolved /
closed, and from a ticket with a sale the returns screen for that sale (repair or exchange).

Names, problems and notes are data: shown exactly as typed (never markup)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Static

from storepos import clock
from storepos.i18n import t
from storepos.services import aftersales
from storepos.services.core.errors import DomainError
from storepos.ui.checkout.returns import ReturnsScreen
from storepos.ui.kit.fields import Field, FormField
from storepos.ui.kit.form import FormModal
from storepos.ui.kit.inputs import KitInput
from storepos.ui.kit.lists import Column, ListScreen
from storepos.ui.kit.screen import StoreposScreen
from storepos.ui.kit.text import Plain, safe


def _tz(screen: Any) -> str:
    return screen.sapp.store.timezone if screen.sapp.store else "Asia/Shanghai"


def _when(screen: Any, at: Any) -> str:
    return clock.to_local(at, _tz(screen)).strftime("%m-%d %H:%M")


def _status(status: str) -> Text:
    return safe(t(f"ticket.status_{status}"), style="bold red" if status == "open" else "")


def ticket_name(row: aftersales.TicketRow) -> str:
    """A ticket as results name it: "#12 (Lily Chen)"."""
    return t("ticket.row_name", ticket=row.label, customer=row.customer)


class TicketsScreen(ListScreen[aftersales.TicketRow]):
    TITLE_KEY = "ticket.title"
    EMPTY_KEY = "ticket.empty"
    HINT_KEY = "ticket.hint"
    COLUMNS = (
        # Fixed widths at 80 columns (an auto-sized kit column shows only as wide as its header);
        # the customer and the problem take a wider terminal's room.
        Column("no", "ticket.col_no", width=4),
        Column("opened", "ticket.col_opened", width=11),
        Column("customer", "ticket.col_customer", width=12, grow=1),
        Column("status", "ticket.col_status", width=8),
        Column("owner", "ticket.col_owner", width=8),
        Column("problem", "ticket.col_problem", width=24, grow=2),
    )
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("n", "new", "ticket.key_new"),
        Binding("d", "toggle_done", "ticket.key_done"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.include_done = False
        self.new_draft: dict[str, Any] = {}  # what Esc kept of a new ticket's form

    def title_text(self) -> str:
        return t("ticket.title_all" if self.include_done else "ticket.title")

    def load_rows(self) -> Sequence[aftersales.TicketRow]:
        return aftersales.ticket_rows(self.actor, include_done=self.include_done)

    def row_key(self, row: aftersales.TicketRow) -> str:
        return str(row.id)

    def row_name(self, row: aftersales.TicketRow) -> str:
        return ticket_name(row)

    def row_cells(self, row: aftersales.TicketRow) -> Sequence[object]:
        return (row.label, _when(self, row.created_at), row.customer, _status(row.status), row.owner,
                row.problem.replace("\n", " "))

    def open_row(self, row: aftersales.TicketRow) -> None:
        self.app.push_screen(TicketScreen(row.id))

    def action_toggle_done(self) -> None:
        self.include_done = not self.include_done
        self.query_one("#list-title", Static).update(safe(self.title_text()))
        self.reload()

    def action_new(self) -> None:
        def done(ticket_id: int | None) -> None:
            if ticket_id is None:
                return
            self.reload(keep=str(ticket_id))
            row = self._by_key.get(str(ticket_id))
            self.say(t("ticket.opened", ticket=ticket_name(row) if row else f"#{ticket_id}"))
            self.app.push_screen(TicketScreen(ticket_id))

        self.app.push_screen(NewTicketForm(draft=self.new_draft), done)


class TicketScreen(StoreposScreen):
    """One ticket: its head, problem and actions; an action (F5) and the resolution typed below."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "key.back"),
        Binding("f5", "add_action", "ticket.key_action"),
        Binding("f6", "move('in_progress')", "ticket.key_progress"),
        Binding("f7", "move('resolved')", "ticket.key_resolve"),
        Binding("f8", "move('closed')", "ticket.key_close"),
        Binding("f9", "return_sale", "ticket.key_return"),
    ]

    def __init__(self, ticket_id: int) -> None:
        super().__init__()
        self.ticket_id = ticket_id
        self.row: aftersales.TicketRow | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="ticket"):
            yield Plain("", id="tk-head", classes="title")
            yield Plain("", id="tk-problem")
            yield Static(t("ticket.actions_title"), classes="section-title", id="tk-actions-title", markup=False)
            with VerticalScroll(id="tk-actions-box"):
                yield Plain("", id="tk-actions")
            yield FormField("ticket.action", KitInput(id="tk-action", max_length=500,
                                                      placeholder=t("ticket.action_hint")), name="action")
            yield FormField("ticket.resolution", KitInput(id="tk-resolution", max_length=500,
                                                          placeholder=t("ticket.resolution_hint")),
                            name="resolution")
            yield Static(t("ticket.detail_hint"), classes="hint", id="tk-detail-hint", markup=False)
            yield Static("", id="message")

    def on_mount(self) -> None:
        self.load()
        self.query_one("#tk-action", Input).focus()

    def load(self) -> None:
        row, actions = aftersales.ticket_view(self.actor, self.ticket_id)
        self.row = row
        self.query_one("#tk-head", Plain).update(safe(t(
            "ticket.head", ticket=row.label, status=t(f"ticket.status_{row.status}"), customer=row.customer,
            receipt=row.receipt or "—", owner=row.owner)))
        problem = Text.assemble(t("ticket.problem"), ": ", safe(row.problem, lines=True))
        if row.resolution:
            problem.append_text(Text.assemble("\n", t("ticket.resolution"), ": ", safe(row.resolution, lines=True)))
        self.query_one("#tk-problem", Plain).update(problem)
        lines = [t("ticket.action_row", at=_when(self, a.at), who=a.who,
                   status=t(f"ticket.status_{a.status}") if a.status else "·", text=a.text) for a in actions]
        self.query_one("#tk-actions", Plain).update(safe("\n".join(lines), lines=True))

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#tk-actions-title", Static).update(t("ticket.actions_title"))
        self.query_one("#tk-detail-hint", Static).update(t("ticket.detail_hint"))
        self.load()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "tk-action":
            event.stop()
            self.action_add_action()

    def ticket_name(self) -> str:
        return ticket_name(self.row) if self.row is not None else f"#{self.ticket_id}"

    def action_add_action(self) -> None:
        self.clear_errors()
        box = self.query_one("#tk-action", Input)
        try:
            aftersales.add_action(self.actor, self.ticket_id, box.value)
        except DomainError as exc:
            self.show_error(exc)
            return
        box.value = ""
        self.load()
        self.say(t("ticket.added_to", ticket=self.ticket_name()))

    def action_move(self, to: str) -> None:
        self.clear_errors()
        box = self.query_one("#tk-resolution", Input)
        try:
            aftersales.move_ticket(self.actor, self.ticket_id, to, text=box.value if to != "in_progress" else "")
        except DomainError as exc:
            self.show_error(exc)
            return
        if to != "in_progress":
            box.value = ""
        self.load()
        assert self.row is not None
        self.say(t("ticket.moved", ticket=self.ticket_name(), status=t(f"ticket.status_{self.row.status}")))

    def action_return_sale(self) -> None:
        try:
            aftersales.ticket_sale(self.actor, self.ticket_id)
        except DomainError as exc:
            self.say(exc.message, error=True)
            return
        self.sapp.push_screen(SaleReturnsScreen(self.ticket_id))


class SaleReturnsScreen(ReturnsScreen):
    """The returns screen opened on the sale of one service ticket: as if its receipt number had
    been typed."""

    def __init__(self, ticket_id: int) -> None:
        super().__init__()
        self.ticket_id = ticket_id

    def on_mount(self) -> None:
        # Textual runs ReturnsScreen.on_mount too (after this one): load once its columns exist.
        self.call_after_refresh(self._load_sale)

    def _load_sale(self) -> None:
        sale = aftersales.ticket_sale(self.actor, self.ticket_id)
        receipt = self.query_one("#receipt", Input)
        if isinstance(receipt, KitInput):
            receipt.set_typed(aftersales.sale_summary(self.actor, sale.id).receipt)
        else:
            receipt.value = aftersales.sale_summary(self.actor, sale.id).receipt
        self.sale = sale
        self.load()
        self.query_one("#lines", DataTable).focus()


class NewTicketForm(FormModal[int]):
    """A ticket by hand: receipt (optional), customer (number or phone), problem.  Dismissed with
    the new ticket's id."""

    TITLE_KEY = "ticket.new_title"

    def fields(self) -> Sequence[Field]:
        return [
            Field("receipt", "ticket.receipt", max_length=20, placeholder="ticket.receipt_hint"),
            Field("customer", "ticket.customer", max_length=30, placeholder="ticket.customer_hint"),
            Field("problem", "ticket.problem", max_length=500, placeholder="ticket.problem_hint"),
        ]

    def save(self, values: dict[str, Any]) -> int:
        ticket = aftersales.open_ticket(self.actor, problem=values.get("problem") or "",
                                        customer_text=values.get("customer") or "",
                                        receipt_text=values.get("receipt") or "")
        return int(ticket.id)
