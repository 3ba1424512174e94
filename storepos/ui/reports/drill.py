"""The desk's two pages of their own: the period form (r) and one staff member's records behind
their figures (Enter on a staff row).  Data is never markup (kit ``safe``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from storepos.i18n import t
from storepos.services import reports
from storepos.ui.kit.fields import Field
from storepos.ui.kit.form import FormModal
from storepos.ui.kit.lists import Column, ListScreen
from storepos.ui.kit.text import Plain, money, safe
from storepos.ui.reports import view


def at_text(at: dt.datetime | None) -> str:
    return f"{at:%m-%d %H:%M}" if at else ""


class RangeForm(FormModal[tuple[dt.date, dt.date]]):
    """Choose a period: from and to (prefilled; the first key typed replaces them); dismissed with
    (from, to), or None when cancelled.  A bad date shows beside its field and changes nothing."""

    TITLE_KEY = "desk.range_title"

    def __init__(self, date_from: dt.date, date_to: dt.date) -> None:
        super().__init__()
        self.date_from, self.date_to = date_from, date_to

    def fields(self) -> Sequence[Field]:
        return [Field("from", "desk.range_from", value=self.date_from.isoformat(), max_length=12),
                Field("to", "desk.range_to", value=self.date_to.isoformat(), max_length=12,
                      hint="desk.range_hint")]

    def save(self, values: dict[str, Any]) -> tuple[dt.date, dt.date]:
        return reports.parse_range(str(values.get("from") or ""), str(values.get("to") or ""))


class StaffDrillScreen(ListScreen[reports.DrillRow]):
    """The records behind one staff member's figures: sales (default), returns, discounts, visits,
    visits that sold, overrides, checklist runs, surveys, follow-ups."""

    EMPTY_KEY = "desk.drill_none"
    AT_W, LABEL_W, AMOUNT_W, DETAIL_W = 11, 14, 13, 32
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("s", "figure('sales')", "desk.key_sales"),
        Binding("r", "figure('returns')", "desk.key_returns"),
        Binding("v", "figure('visits')", "desk.key_visits"),
        Binding("o", "figure('overrides')", "desk.key_overrides"),
        Binding("d", "figure('discounts')", "desk.key_discounts", show=False),
        Binding("c", "figure('checklist')", "desk.key_checklist", show=False),
        Binding("u", "figure('surveys')", "desk.key_surveys"),
        Binding("w", "figure('followups')", "desk.key_followups"),
    ]

    def __init__(self, row: reports.StaffRow, date_from: dt.date, date_to: dt.date) -> None:
        super().__init__()
        self.row = row
        self.date_from, self.date_to = date_from, date_to
        self.figure = "sales"

    @property
    def items(self) -> list[reports.DrillRow]:
        return self.rows

    def title_text(self) -> str:
        p = reports.period(self.actor.store_id, self.date_from, self.date_to)
        return t("desk.drill_title", name=self.row.name, figure=t(f"desk.figure_{self.figure}"),
                 period=view.period_text(p))

    def compose_below(self) -> ComposeResult:
        yield Plain("", id="drill-sum", classes="hint", lines=False)

    def load_rows(self) -> Sequence[reports.DrillRow]:
        return reports.drill(self.actor.store_id, self.date_from, self.date_to, self.row.staff_id, self.figure)

    def row_key(self, row: reports.DrillRow) -> str:
        return f"{row.kind}:{row.id}"

    def row_name(self, row: reports.DrillRow) -> str:
        return row.label

    def columns(self) -> Sequence[Column]:
        # Fixed widths at 80 columns (the kit list fills its table twice as it opens, which leaves
        # auto-sized columns as wide as their headers); the record and the detail take a wider
        # terminal's room.
        return (Column("at", "report.col_at", width=self.AT_W), Column("label", "report.col_record", width=self.LABEL_W, grow=1),
                Column("amount", "report.col_amount", width=self.AMOUNT_W, justify="right"),
                Column("detail", "desk.col_detail", width=self.DETAIL_W, grow=2))

    def row_cells(self, row: reports.DrillRow) -> Sequence[object]:
        return (at_text(row.at), row.label, money(row.amount, fen=True) if row.amount is not None else "", row.detail)

    def reload(self, *, keep: str | None = None) -> None:
        super().reload(keep=keep)
        self.query_one("#list-title", Static).update(safe(self.title_text()))
        total = sum(d.amount or 0 for d in self.rows)
        self.query_one("#drill-sum", Plain).update(t("desk.drill_sum", n=len(self.rows), total=view.money(total)))

    def action_figure(self, figure: str) -> None:
        if figure not in reports.DRILL_FIGURES:
            return
        self.figure = figure
        if self.table.row_count:
            self.table.move_cursor(row=0, animate=False)  # another list: it starts at its top
        self.reload(keep="")

