"""The parked carts (挂单), F11 in checkout: every terminal's carts put aside, newest first;
Enter resumes one at this terminal (dismissed with its UUID), Esc goes back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.binding import Binding

from storepos.services import checkout
from storepos.ui.kit.lists import Column, ListScreen
from storepos.ui.kit.text import money, number


class ParkedCartsScreen(ListScreen[checkout.ParkedCart]):
    TITLE_KEY = "checkout.parked_title"
    EMPTY_KEY = "checkout.parked_none"
    HINT_KEY = "checkout.parked_hint"
    COLUMNS = (
        Column("label", "checkout.col_parked_label"),
        Column("terminal", "checkout.col_terminal"),
        Column("lines", "checkout.col_lines", justify="right"),
        Column("total", "checkout.col_total", justify="right"),
        Column("paid", "pay.paid", justify="right"),
        Column("at", "checkout.col_parked_at"),
    )
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("enter", "resume", "checkout.key_resume", show=True),
    ]

    def load_rows(self) -> Sequence[checkout.ParkedCart]:
        return checkout.parked_carts(self.actor.store_id)

    def row_key(self, row: checkout.ParkedCart) -> str:
        return row.uuid

    def row_name(self, row: checkout.ParkedCart) -> str:
        return row.label

    def row_cells(self, row: checkout.ParkedCart) -> Sequence[Any]:
        return (row.label, row.terminal, number(row.lines), money(row.total), money(row.paid) if row.paid else "",
                f"{row.parked_at:%m-%d %H:%M}")

    def open_row(self, row: checkout.ParkedCart) -> None:
        self.dismiss(row.uuid)

    def action_resume(self) -> None:
        row = self.current
        if row is not None:
            self.open_row(row)

    def action_back(self) -> None:
        self.dismiss(None)
