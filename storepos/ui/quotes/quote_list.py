"""Open quotes: the follow-up list (given, not yet accepted, soonest expiry first) or every open
quote; Enter opens one to negotiate on, n starts a new one, f switches between the two.

A kit ListScreen: customers' and staff names show exactly as typed, and the cursor stays on the
quote acted on (back from it, or after switching the filter when it is still listed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding

from storepos.i18n import t
from storepos.services import quotes
from storepos.ui.kit.lists import Column, ListScreen
from storepos.ui.kit.text import Plain, money, safe
from storepos.ui.quotes.quote import QuoteScreen, new_quote


class QuoteListScreen(ListScreen[Any]):
    TITLE_KEY = "quote.list_title"
    EMPTY_KEY = "quote.list_empty"
    HINT_KEY = "quote.list_hint"
    COLUMNS = (
        Column("number", "quote.col_number", width=13),
        Column("status", "quote.col_status", width=8),
        Column("customer", "quote.col_customer", width=12, grow=1),
        Column("staff", "quote.col_staff", width=8),
        Column("total", "quote.col_total", width=13, justify="right"),  # ¥1,999,999.99
        Column("valid", "quote.col_valid", width=5),
        Column("days", "quote.col_days", width=4, justify="right"),
    )
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("n", "new", "quote.key_new"),
        Binding("f", "toggle", "quote.key_filter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.given_only = True

    def compose_above(self) -> ComposeResult:
        yield Plain("", id="quote-list-filter", classes="hint")

    def load_rows(self) -> Sequence[Any]:
        quotes.expire_if_new_day(self.actor.store_id)
        statuses = ("given",) if self.given_only else quotes.OPEN_STATUSES
        rows = quotes.open_quotes(self.actor.store_id, statuses=statuses)
        self.query_one("#quote-list-filter", Plain).update(
            t("quote.list_given" if self.given_only else "quote.list_all"))
        return rows

    def row_key(self, row: Any) -> str:
        return str(row.id)

    def row_name(self, row: Any) -> str:
        return t("quote.list_who", number=row.number, customer=row.customer)

    def row_cells(self, row: Any) -> Sequence[object]:
        days = Text(str(row.days_left), justify="right",
                    style="bold red" if row.days_left <= quotes.NEAR_EXPIRY_DAYS else "")
        return (row.number, t(f"quote.status.{row.status}"), safe(row.customer), safe(row.staff),
                money(row.total, fen=True), f"{row.valid_until:%m-%d}", days)

    @property
    def _ids(self) -> list[int]:
        """The ids of the quotes listed, in order."""
        return [r.id for r in self.rows]

    def open_row(self, row: Any) -> None:
        self.app.push_screen(QuoteScreen(row.id))

    def action_new(self) -> None:
        new_quote(self.app)

    def action_toggle(self) -> None:
        self.given_only = not self.given_only
        self.reload()
