"""A customer's page: contact, address, segment, notes, credit terms and history; E edits.

The history (visits, quotes, sales, follow-ups, surveys, tickets; newest first) is a list to act
on: Enter opens the row's record (a sale its receipt, a quote the quote screen, a follow-up the
follow-up list with that one, to do now); on a follow-up, D does it now and L moves it to
another day."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable

from storepos import clock
from storepos.i18n import t
from storepos.money import fmt
from storepos.services import aftersales, customers
from storepos.services.core.errors import DomainError
from storepos.services.core.permissions import can
from storepos.ui.customers.form import CustomerForm, segments, who
from storepos.ui.kit.screen import StoreposScreen
from storepos.ui.kit.table import Column, Table
from storepos.ui.kit.text import Plain, safe


def _open_visit(app: Any, ref: int) -> None:
    from storepos.ui.visits.screen import VisitScreen

    app.push_screen(VisitScreen(ref))


def _open_quote(app: Any, ref: int) -> None:
    from storepos.ui.quotes.quote import open_quote

    open_quote(app, ref)


def _open_sale(app: Any, ref: int) -> None:
    from storepos.ui.checkout.receipt import ReceiptScreen

    app.push_screen(ReceiptScreen(ref, deliver=False))  # to read, not printed again


def _open_followup(app: Any, ref: int) -> None:
    from storepos.ui.aftersales.followups import FollowUpsScreen

    app.push_screen(FollowUpsScreen(followup_id=ref))


def _open_ticket(app: Any, ref: int) -> None:
    from storepos.ui.aftersales.tickets import TicketScreen

    app.push_screen(TicketScreen(ref))


# What Enter on a history row opens, by its kind (a survey has no page of its own).
OPENERS = {"visits": _open_visit, "quotes": _open_quote, "sales": _open_sale, "followups": _open_followup,
           "tickets": _open_ticket}

HISTORY_COLUMNS = (
    Column("when", "customer.col_when"),
    Column("kind", "customer.col_kind"),
    Column("what", "customer.col_what"),
)


def facts(rows: list[tuple[str, object]]) -> Text:
    """Label: value lines; the values are data (shown exactly as typed)."""
    out = Text()
    for i, (label_key, value) in enumerate(rows):
        if i:
            out.append("\n")
        out.append(f"{t(label_key)}: ", style="bold")
        out.append(safe(value if value not in (None, "") else "—"))
    return out


class CustomerScreen(StoreposScreen):
    """A customer's page: contact, address, segment, notes, credit terms and history."""

    BINDINGS = [Binding("escape", "back", "key.back"), Binding("enter", "open_row", "customer.key_open"),
                Binding("e", "edit", "key.edit"), Binding("d", "do_now", "customer.key_do_now"),
                Binding("l", "move", "customer.key_move")]

    def __init__(self, customer_id: int, *, message: str = "") -> None:
        super().__init__()
        self.customer_id = customer_id
        self.first_message = message
        self.rows: list[customers.HistoryRow] = []
        self._shown = False

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="cust-page"):
            yield Plain("", classes="title", id="cust-title")
            with Horizontal(id="cust-cols"):
                yield Plain("", id="cust-contact")
                yield Plain("", id="cust-credit")
            yield Plain(t("customer.history"), classes="section-title", id="cust-history-title")
            yield Table(id="cust-history")
            yield Plain(t("customer.history_hint"), classes="hint", id="cust-history-hint")
            yield Plain("", id="message")

    def on_mount(self) -> None:
        self.query_one("#cust-history", Table).set_columns(HISTORY_COLUMNS)
        self.load()
        self.query_one("#cust-history", Table).focus()
        if self.first_message:
            self.say(self.first_message)

    def on_screen_resume(self) -> None:
        # Back from what a row opened: a follow-up done or moved, a quote given shows so.
        if self._shown and self.query("#cust-history"):
            self.load(quiet=True)  # the message line keeps what the last action said
        self._shown = True

    def load(self, *, quiet: bool = False) -> None:
        c = customers.get(self.actor.store_id, self.customer_id)
        self.query_one("#cust-title", Plain).update(
            Text.assemble((c.number, "bold"), "  ", safe(c.name, style="bold")))
        segment = {v: p for p, v in segments()}.get(c.segment, c.segment)
        self.query_one("#cust-contact", Plain).update(facts([
            ("customer.phone", c.phone), ("customer.address", c.address),
            ("customer.segment", segment), ("customer.notes", c.notes),
        ]))
        credit = facts([("customer.credit_limit", fmt(c.credit_limit, fen=True)),
                        ("customer.credit_days", c.credit_days)])
        if not can(self.actor, "customer.credit"):
            credit.append("\n" + t("customer.credit_managers_only"), style="dim")
        self.query_one("#cust-credit", Plain).update(credit)
        tz = self.sapp.store.timezone if self.sapp.store else "Asia/Shanghai"
        rows = self.rows = customers.history(self.actor.store_id, self.customer_id)
        self.query_one("#cust-history", Table).fill(
            (self._key(r), (clock.to_local(r.at, tz).strftime("%Y-%m-%d %H:%M"), t(f"customer.kind_{r.kind}"),
                            r.summary))
            for r in rows)
        if not rows and not quiet:
            self.say(t("customer.no_history"))

    # -- the history's rows ----------------------------------------------------------------------

    @staticmethod
    def _key(row: customers.HistoryRow) -> str:
        return f"{row.kind}:{row.ref}"  # the cursor stays on the record after a reload

    @property
    def current(self) -> customers.HistoryRow | None:
        key = self.query_one("#cust-history", Table).current_key
        return next((r for r in self.rows if self._key(r) == key), None)

    @on(DataTable.RowSelected, "#cust-history")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_row()

    def action_open_row(self) -> None:
        row = self.current
        if row is None:
            self.say(t("customer.no_history"), error=True)
            return
        opener = OPENERS.get(row.kind)
        if opener is None or row.ref is None:
            self.say(t("customer.nothing_to_open", kind=t(f"customer.kind_{row.kind}")))
            return
        opener(self.app, row.ref)

    def _followup(self) -> aftersales.DueItem | None:
        """The follow-up the cursor is on; else says so and gives None."""
        row = self.current
        if row is None or row.kind != "followups":
            self.say(t("customer.not_a_followup"), error=True)
            return None
        try:
            return aftersales.followup_item(self.actor, int(row.ref))
        except DomainError as exc:
            self.say(exc.message, error=True)
            return None

    def action_do_now(self) -> None:
        item = self._followup()
        if item is not None:
            _open_followup(self.app, item.id)

    def action_move(self) -> None:
        from storepos.ui.aftersales.followups import MoveForm

        item = self._followup()
        if item is None:
            return
        if not item.active:
            self.say(t("err.followup_closed", status=t(f"followup.status_{item.status}")), error=True)
            return

        def done(fu: Any) -> None:
            if fu is not None:
                self.load()
                self.say(t("followup.done_moved", customer=item.customer, kind=item.kind_label,
                           day=fu.due_date.isoformat()))

        self.app.push_screen(MoveForm(item), done)

    def action_edit(self) -> None:
        c = customers.get(self.actor.store_id, self.customer_id)
        self.app.push_screen(CustomerForm(c), self._edited)

    def _edited(self, customer_id: Any) -> None:
        if customer_id is None:
            return
        self.load()
        self.say(t("customer.saved", name=who(customers.get(self.actor.store_id, self.customer_id))))

    def action_back(self) -> None:
        self.app.pop_screen()

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#cust-history-title", Plain).update(t("customer.history"))
        self.query_one("#cust-history-hint", Plain).update(t("customer.history_hint"))
        self.query_one("#cust-history", Table).set_columns(HISTORY_COLUMNS)
        self.load()
