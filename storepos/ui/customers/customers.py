"""Customers: find one (phone, name fragment, number) as you type, open a customer's page, add
one on the spot (Ctrl+N) or edit the highlighted one (E).  Names show exactly as typed.

The form and the page live in form.py and page.py; the one customer picker of the app is the
kit's (storepos.ui.kit.pickers), whose Ctrl+N opens this area's CustomerForm."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from storepos.i18n import t
from storepos.services import customers
from storepos.ui.customers.form import CustomerForm, segments, who
from storepos.ui.customers.page import CustomerScreen
from storepos.ui.kit.inputs import KitInput
from storepos.ui.kit.lists import Column, ListScreen
from storepos.ui.kit.text import safe

__all__ = ["CustomerForm", "CustomerScreen", "CustomersScreen", "who"]


class CustomersScreen(ListScreen[Any]):
    """The customers area: a search box over the list of matches; Enter opens a customer."""

    TITLE_KEY = "customer.title"
    HINT_KEY = "customer.list_hint"
    COLUMNS = (
        Column("number", "customer.number"),
        Column("name", "customer.name"),
        Column("phone", "customer.phone"),
        Column("segment", "customer.segment"),
    )
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("ctrl+n", "new", "customer.key_new"),
        Binding("e", "edit", "key.edit"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.new_draft: dict[str, Any] = {}  # a new customer typed before Esc (kept on this screen)

    def compose_above(self) -> ComposeResult:
        yield KitInput(placeholder=t("customer.search_placeholder"), id="cust-query", max_length=100)

    @property
    def search_box(self) -> Input:
        return self.query_one("#cust-query", Input)

    @property
    def query_text(self) -> str:
        found = self.query("#cust-query")
        return found.first(Input).value if found else ""

    def on_mount(self) -> None:
        # (ListScreen's on_mount focuses the table: the search box takes it once that has run.)
        self.call_after_refresh(self.search_box.focus)

    def load_rows(self) -> Sequence[Any]:
        return customers.find(self.actor.store_id, self.query_text)

    def row_key(self, row: Any) -> str:
        return str(row.id)

    def row_name(self, row: Any) -> str:
        return who(row)

    def row_cells(self, row: Any) -> Sequence[object]:
        names = {v: p for p, v in segments()}
        return (row.number, row.name, row.phone, names.get(row.segment, row.segment))

    def reload(self, *, keep: str | None = None) -> None:
        super().reload(keep=keep)
        if not self.rows:
            text = self.query_text.strip()
            empty = self.query_one("#list-empty", Static)
            empty.update(safe(t("customer.no_match", query=text) if text else t("customer.search_hint")))

    def open_row(self, row: Any) -> None:
        self.app.push_screen(CustomerScreen(row.id))

    @on(Input.Changed, "#cust-query")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.reload()

    @on(Input.Submitted, "#cust-query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        row = self.current
        if row is not None:
            self.open_row(row)

    def key_down(self) -> None:
        if self.rows and self.search_box.has_focus:
            self.table.focus()

    def action_new(self) -> None:
        self.app.push_screen(CustomerForm(prefill=self.query_text, draft=self.new_draft), self._added)

    def _added(self, customer_id: int | None) -> None:
        if customer_id is None:
            return
        c = customers.get(self.actor.store_id, customer_id)
        message = t("customer.added", name=who(c))
        self.reload(keep=str(customer_id))
        self.say(message)
        self.app.push_screen(CustomerScreen(customer_id, message=message))

    def action_edit(self) -> None:
        row = self.current
        if row is None:
            self.say(t("list.no_row"), error=True)
            return
        self.app.push_screen(CustomerForm(row), self._saved)

    def _saved(self, customer_id: int | None) -> None:
        if customer_id is None:
            return
        self.reload(keep=str(customer_id))  # (an edited name may no longer match the search)
        self.say(t("customer.saved", name=who(customers.get(self.actor.store_id, customer_id))))

    def relabel(self) -> None:
        self.search_box.placeholder = t("customer.search_placeholder")
        super().relabel()
