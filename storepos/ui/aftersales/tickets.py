"""Service tickets (SOP §7, home key i): the list (managers see every ticket, staff their own), a
ticket's page with its actions (who, when, what) and its moves open → in progress → resolved /
closed, and from a ticket with a sale the returns screen for that sale (repair or exchange)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Static

from storepos import clock
from storepos.i18n import t
from storepos.models import Customer, Sale, Staff
from storepos.services import aftersales, checkout
from storepos.services.core.errors import DomainError
from storepos.ui.kit.screen import StoreposModal, StoreposScreen
from storepos.ui.checkout.returns import ReturnsScreen
from storepos.ui.kit.form import FormField


def _tz(screen: Any) -> str:
    return screen.sapp.store.timezone if screen.sapp.store else "Asia/Shanghai"


def _customer(ticket: Any) -> str:
    return Customer.get_by_id(ticket.customer_id).name if ticket.customer_id else t("followup.walk_in")


class TicketsScreen(StoreposScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "key.back"),
        Binding("n", "new", "ticket.key_new"),
        Binding("d", "toggle_done", "ticket.key_done"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.include_done = False
        self._ids: list[int] = []

    def compose_body(self) -> ComposeResult:
        with Vertical(id="tickets"):
            yield Static("", id="tk-title", classes="section-title")
            yield DataTable(id="tk-table", cursor_type="row")
            yield Static(t("ticket.hint"), classes="hint", id="tk-hint")
            yield Static("", id="message")

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def load(self) -> None:
        self.query_one("#tk-title", Static).update(t("ticket.title_all" if self.include_done else "ticket.title"))
        table = self.query_one("#tk-table", DataTable)
        table.clear(columns=True)
        for key, width in (("no", 5), ("opened", 11), ("customer", 10), ("status", 10), ("owner", 8),
                           ("problem", 22)):
            table.add_column(t(f"ticket.col_{key}"), width=width)
        rows = aftersales.tickets(self.actor, include_done=self.include_done)
        self._ids = [r.id for r in rows]
        staff = {s.id: s.name for s in Staff.select(Staff.id, Staff.name)}
        for r in rows:
            table.add_row(aftersales.ticket_label(r), clock.to_local(r.created_at, _tz(self)).strftime("%m-%d %H:%M"),
                          _customer(r), Text(t(f"ticket.status_{r.status}"),
                                             style="bold red" if r.status == "open" else ""),
                          staff.get(r.assigned_to_id, ""), r.problem.replace("\n", " ")[:40], key=str(r.id))
        self.say(t("ticket.empty") if not rows else "")
        table.focus()

    @on(DataTable.RowSelected, "#tk-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self._ids):
            self.app.push_screen(TicketScreen(self._ids[event.cursor_row]))

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#tk-hint", Static).update(t("ticket.hint"))
        self.load()

    def action_toggle_done(self) -> None:
        self.include_done = not self.include_done
        self.load()

    def action_new(self) -> None:
        def done(ticket_id: Any) -> None:
            if ticket_id:
                self.app.push_screen(TicketScreen(ticket_id))

        self.app.push_screen(NewTicketModal(), done)


class TicketScreen(StoreposScreen):
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

    def compose_body(self) -> ComposeResult:
        with Vertical(id="ticket"):
            yield Static("", id="tk-head", classes="title")
            yield Static("", id="tk-problem")
            yield Static(t("ticket.actions_title"), classes="section-title", id="tk-actions-title")
            with VerticalScroll(id="tk-actions-box"):
                yield Static("", id="tk-actions")
            yield FormField("ticket.action", Input(id="tk-action", max_length=500,
                                                   placeholder=t("ticket.action_hint")), name="action")
            yield FormField("ticket.resolution", Input(id="tk-resolution", max_length=500,
                                                       placeholder=t("ticket.resolution_hint")), name="resolution")
            yield Static(t("ticket.detail_hint"), classes="hint", id="tk-detail-hint")
            yield Static("", id="message")

    def on_mount(self) -> None:
        self.load()
        self.query_one("#tk-action", Input).focus()

    def load(self) -> None:
        tk = aftersales.get_ticket(self.actor, self.ticket_id)
        sale = Sale.get_by_id(tk.sale_id) if tk.sale_id else None
        self.query_one("#tk-head", Static).update(t(
            "ticket.head", ticket=aftersales.ticket_label(tk), status=t(f"ticket.status_{tk.status}"),
            customer=_customer(tk), receipt=checkout.label(sale) if sale else "—",
            owner=Staff.get_by_id(tk.assigned_to_id).name))
        problem = f"{t('ticket.problem')}: {tk.problem}"
        if tk.resolution:
            problem += f"\n{t('ticket.resolution')}: {tk.resolution}"
        self.query_one("#tk-problem", Static).update(problem)
        lines = []
        for a in aftersales.actions_of(tk.id):
            lines.append(t("ticket.action_row", at=clock.to_local(a.at, _tz(self)).strftime("%m-%d %H:%M"),
                           who=a.staff.name, status=t(f"ticket.status_{a.status}") if a.status else "·",
                           text=a.text))
        self.query_one("#tk-actions", Static).update("\n".join(lines))

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#tk-actions-title", Static).update(t("ticket.actions_title"))
        self.query_one("#tk-detail-hint", Static).update(t("ticket.detail_hint"))
        self.load()

    @on(Input.Submitted, "#tk-action")
    def _submitted(self, _event: Input.Submitted) -> None:
        self.action_add_action()

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
        self.say(t("ticket.added"))

    def action_move(self, to: str) -> None:
        self.clear_errors()
        box = self.query_one("#tk-resolution", Input)
        try:
            tk = aftersales.move_ticket(self.actor, self.ticket_id, to, text=box.value if to != "in_progress" else "")
        except DomainError as exc:
            self.show_error(exc)
            return
        if to != "in_progress":
            box.value = ""
        self.load()
        self.say(t("ticket.moved", ticket=aftersales.ticket_label(tk), status=t(f"ticket.status_{tk.status}")))

    def action_return_sale(self) -> None:
        tk = aftersales.get_ticket(self.actor, self.ticket_id)
        if not tk.sale_id:
            self.say(t("ticket.no_sale"), error=True)
            return
        self.sapp.push_screen(SaleReturnsScreen(tk.sale_id))


class SaleReturnsScreen(ReturnsScreen):
    """The returns screen opened on one sale (from a service ticket): as if its receipt number had
    been typed."""

    def __init__(self, sale_id: int) -> None:
        super().__init__()
        self.sale_id = sale_id

    def on_mount(self) -> None:
        # Textual runs ReturnsScreen.on_mount too (after this one): load once its columns exist.
        self.call_after_refresh(self._load_sale)

    def _load_sale(self) -> None:
        sale = Sale.get_by_id(self.sale_id)
        self.query_one("#receipt", Input).value = checkout.label(sale)
        self.sale = sale
        self.load()
        self.query_one("#lines", DataTable).focus()


class NewTicketModal(StoreposModal):
    """A ticket by hand: receipt (optional), customer (number or phone), problem.  Ctrl+S opens it;
    dismissed with the new ticket's id, or None."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel"), Binding("ctrl+s", "save", "key.save")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="tk-new"):
            yield Static(t("ticket.new_title"), classes="title")
            yield FormField("ticket.receipt", Input(id="tk-receipt", max_length=20,
                                                    placeholder=t("ticket.receipt_hint")), name="receipt")
            yield FormField("ticket.customer", Input(id="tk-customer", max_length=30,
                                                     placeholder=t("ticket.customer_hint")), name="customer")
            yield FormField("ticket.problem", Input(id="tk-problem-in", max_length=500,
                                                    placeholder=t("ticket.problem_hint")), name="problem")
            yield Static("", id="message")

    def on_mount(self) -> None:
        self.query_one("#tk-receipt", Input).focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        if event.input.id == "tk-problem-in":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        self.clear_errors()
        try:
            ticket = aftersales.open_ticket(
                self.actor, problem=self.query_one("#tk-problem-in", Input).value,
                customer_text=self.query_one("#tk-customer", Input).value,
                receipt_text=self.query_one("#tk-receipt", Input).value)
        except DomainError as exc:
            self.show_error(exc)
            return
        self.dismiss(ticket.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
