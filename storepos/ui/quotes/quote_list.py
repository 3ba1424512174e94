"""Open quotes: the follow-up list (given, not yet accepted, soonest expiry first) or every open
quote; Enter opens one to negotiate on, n starts a new one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from storepos.i18n import t
from storepos.money import fmt
from storepos.services import quotes
from storepos.ui.kit.screen import StoreposScreen
from storepos.ui.quotes.quote import QuoteScreen


class QuoteListScreen(StoreposScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "key.back"),
        Binding("n", "new", "quote.key_new"),
        Binding("f", "toggle", "quote.key_filter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.given_only = True
        self._ids: list[int] = []

    def compose_body(self) -> ComposeResult:
        yield Static(t("quote.list_title"), classes="title", id="quote-list-title")
        yield Static("", id="quote-list-filter", classes="hint")
        yield DataTable(id="quote-list", cursor_type="row", zebra_stripes=True)
        yield Static(t("quote.list_hint"), classes="hint", id="quote-list-hint")
        yield Static("", id="message")

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def load(self) -> None:
        quotes.expire_if_new_day(self.actor.store_id)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for key, width in (("col_number", 13), ("col_status", 6), ("col_customer", 12), ("col_staff", 8),
                           ("col_total", 10), ("col_valid", 10), ("col_days", 4)):
            table.add_column(t(f"quote.{key}"), key=key, width=width)
        statuses = ("given",) if self.given_only else quotes.OPEN_STATUSES
        rows = quotes.open_quotes(self.actor.store_id, statuses=statuses)
        self._ids = [r.id for r in rows]
        for r in rows:
            days = Text(str(r.days_left), style="bold red" if r.days_left <= quotes.NEAR_EXPIRY_DAYS else "")
            table.add_row(r.number, t(f"quote.status.{r.status}"), r.customer, r.staff,
                          Text(fmt(r.total, fen=True), justify="right"), f"{r.valid_until:%Y-%m-%d}",
                          days, key=str(r.id))
        self.query_one("#quote-list-filter", Static).update(
            t("quote.list_given" if self.given_only else "quote.list_all"))
        self.say("" if rows else t("quote.list_empty"))
        table.focus()

    @on(DataTable.RowSelected, "#quote-list")
    def _open(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self._ids):
            self.app.push_screen(QuoteScreen(self._ids[event.cursor_row]))

    def action_new(self) -> None:
        self.app.push_screen(QuoteScreen())

    def action_toggle(self) -> None:
        self.given_only = not self.given_only
        self.load()

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#quote-list-title", Static).update(t("quote.list_title"))
        self.query_one("#quote-list-hint", Static).update(t("quote.list_hint"))
        self.load()
