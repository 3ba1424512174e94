"""The quote's lines: a kit Table (names shown exactly as typed, the cursor kept on its line) whose
single keys change the highlighted line."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.binding import Binding

from storepos.services import quotes
from storepos.ui.kit.table import Column, Table
from storepos.ui.kit.text import money, number

COLUMNS = (
    Column("no", "quote.col_no", width=2, justify="right"),
    Column("sku", "quote.col_sku", width=8),
    Column("name", "quote.col_name", width=21),
    Column("qty", "quote.col_qty", width=4, justify="right"),
    Column("price", "quote.col_price", width=11, justify="right"),  # ¥999,999.99
    Column("disc", "quote.col_disc", width=4, justify="right"),
    Column("total", "quote.col_total", width=13, justify="right"),  # ¥1,999,999.99
    Column("flag", "quote.col_flag", width=1),
)


def columns_for(width: int) -> tuple[Column, ...]:
    """The columns for a table *width* cells wide: the product name takes what the others leave
    (a cell's padding is one cell each side; two cells for a scrollbar)."""
    fixed = sum((c.width or 0) + 2 for c in COLUMNS if c.key != "name") + 2  # a scrollbar
    name = max(12, width - fixed)
    return tuple(Column(c.key, c.label, name, c.justify) if c.key == "name" else c for c in COLUMNS)


class QuoteLines(Table):
    """The quote's lines; single keys change the highlighted one.  The keys are named on the hint
    line above the footer (the footer keeps room for the quote's own steps: give, accept,
    checkout)."""

    BINDINGS = [
        Binding("plus,equals_sign", "screen.qty(1)", "quote.key_qty_up", key_display="+", show=False),
        Binding("minus", "screen.qty(-1)", "quote.key_qty_down", key_display="−", show=False),
        Binding("q", "screen.ask_qty", "quote.key_qty", show=False),
        Binding("d", "screen.line_discount", "quote.key_line_discount", show=False),
        Binding("p", "screen.price", "quote.key_price", show=False),
        Binding("delete,backspace", "screen.remove", "quote.key_remove", key_display="Del", show=False),
        Binding("tab", "screen.switch_focus", "quote.key_to_scan", show=False),
    ]

    def declare_columns(self, width: int) -> None:
        """The columns in the current language for *width* cells (rows are filled again by the
        screen)."""
        self.set_columns(columns_for(width))

    def show_lines(self, lines: Iterable[Any], flagged: set[int], *, keep: str | None = None) -> None:
        """The lines in order; *flagged* ones (beyond authority, below floor) marked "!"."""
        self.fill(((str(ln.id), cells(i, ln, ln.id in flagged)) for i, ln in enumerate(lines, start=1)),
                  keep=keep)

    @property
    def line_id(self) -> int | None:
        key = self.current_key
        return int(key) if key is not None else None

    def go_to(self, line_id: int) -> None:
        key = str(line_id)
        if key in self.row_keys:
            self.move_cursor(row=self.row_keys.index(key), animate=False)


def cells(index: int, ln: Any, flagged: bool) -> tuple[object, ...]:
    """One line's cells: data as plain text (a product named "[/b]x" shows as typed)."""
    flag = Text("!", style="bold red") if flagged else Text("")
    return (number(index), ln.sku, quotes.line_name(ln), number(ln.qty), money(ln.unit_price, fen=True),
            number(f"{ln.discount_pct}%" if ln.discount_pct else ""), money(ln.total, fen=True), flag)
