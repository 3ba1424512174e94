"""A customer's page: contact, address, segment, notes, credit terms and history; E edits."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll

from storepos import clock
from storepos.i18n import t
from storepos.money import fmt
from storepos.services import customers
from storepos.services.core.permissions import can
from storepos.ui.customers.form import CustomerForm, segments, who
from storepos.ui.kit.screen import StoreposScreen
from storepos.ui.kit.table import Column, Table
from storepos.ui.kit.text import Plain, safe

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

    BINDINGS = [Binding("escape", "back", "key.back"), Binding("e", "edit", "key.edit")]

    def __init__(self, customer_id: int, *, message: str = "") -> None:
        super().__init__()
        self.customer_id = customer_id
        self.first_message = message

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="cust-page"):
            yield Plain("", classes="title", id="cust-title")
            with Horizontal(id="cust-cols"):
                yield Plain("", id="cust-contact")
                yield Plain("", id="cust-credit")
            yield Plain(t("customer.history"), classes="section-title", id="cust-history-title")
            yield Table(id="cust-history")
            yield Plain("", id="message")

    def on_mount(self) -> None:
        self.query_one("#cust-history", Table).set_columns(HISTORY_COLUMNS)
        self.load()
        if self.first_message:
            self.say(self.first_message)

    def load(self) -> None:
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
        rows = customers.history(self.actor.store_id, self.customer_id)
        self.query_one("#cust-history", Table).fill(
            (str(i), (clock.to_local(r.at, tz).strftime("%Y-%m-%d %H:%M"), t(f"customer.kind_{r.kind}"), r.summary))
            for i, r in enumerate(rows))
        if not rows:
            self.say(t("customer.no_history"))

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
        self.query_one("#cust-history", Table).set_columns(HISTORY_COLUMNS)
        self.load()
