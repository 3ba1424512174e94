"""The carts waiting (挂单), F11 in checkout: every terminal's parked carts, newest first, and the
customers another terminal handed to checkout (an accepted quote, a visit that buys now) who came
to this counter.  Enter takes one here (dismissed with what to take), Esc goes back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from textual.binding import Binding

from storepos.i18n import t
from storepos.services import checkout, journey
from storepos.ui.kit.lists import Column, ListScreen
from storepos.ui.kit.text import money, number


@dataclass(frozen=True)
class Waiting:
    """One row: a parked cart (``kind`` "cart", ``key`` its UUID) or a journey handed on by
    another terminal (``kind`` "journey", ``key`` its id)."""

    kind: str
    key: str
    label: str
    terminal: str
    lines: int
    total: Decimal | None
    paid: Decimal | None
    at: str


class ParkedCartsScreen(ListScreen[Waiting]):
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

    def load_rows(self) -> Sequence[Waiting]:
        handed = [Waiting("journey", str(j.id), t("checkout.from_terminal", terminal=j.terminal,
                                                    customer=j.customer or t("checkout.walk_in"),
                                                    quote=j.quote_number),
                          j.terminal, j.lines, None, None, "")
                  for j in journey.waiting(self.actor.store_id, "checkout", other_than=self.app.settings.terminal)]
        parked = [Waiting("cart", p.uuid, p.label, p.terminal, p.lines, p.total, p.paid, f"{p.parked_at:%m-%d %H:%M}")
                  for p in checkout.parked_carts(self.actor.store_id)]
        return handed + parked

    def row_key(self, row: Waiting) -> str:
        return f"{row.kind}:{row.key}"

    def row_name(self, row: Waiting) -> str:
        return row.label

    def row_cells(self, row: Waiting) -> Sequence[Any]:
        return (row.label, row.terminal, number(row.lines), money(row.total) if row.total is not None else "",
                money(row.paid) if row.paid else "", row.at)

    def open_row(self, row: Waiting) -> None:
        self.dismiss(row)

    def action_resume(self) -> None:
        row = self.current
        if row is not None:
            self.open_row(row)

    def action_back(self) -> None:
        self.dismiss(None)
