"""Today's visits, mine or everyone's (M); Enter continues an open one where it stopped, N starts
a new one.  Customer and staff names show exactly as typed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.binding import Binding

from storepos import clock
from storepos.i18n import t
from storepos.services import visits
from storepos.ui.kit.lists import Column, ListScreen
from storepos.ui.kit.text import safe


class VisitsScreen(ListScreen[Any]):
    EMPTY_KEY = "visit.list_empty"
    HINT_KEY = "visit.list_hint"
    COLUMNS = (
        Column("time", "visit.col_time"),
        Column("staff", "visit.col_staff"),
        Column("customer", "visit.col_customer"),
        Column("signal", "visit.col_signal"),
        Column("status", "visit.col_status"),
    )
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("m", "toggle_mine", "visit.key_mine"),
        Binding("n", "new", "visit.key_new"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mine = True

    def title_text(self) -> str:
        mine, total = visits.counts_today(self.actor)
        return t("visit.list_title_mine" if self.mine else "visit.list_title_all", mine=mine, total=total)

    def load_rows(self) -> Sequence[Any]:
        return visits.today_visits(self.actor, mine=self.mine)

    def row_key(self, row: Any) -> str:
        return str(row.id)

    def row_name(self, row: Any) -> str:
        customer = row.customer.name if row.customer_id else t("visit.no_customer")
        return t("visit.row_name", time=self._time(row), customer=customer)

    def _time(self, row: Any) -> str:
        tz = self.sapp.store.timezone if self.sapp.store else "Asia/Shanghai"
        return clock.to_local(row.started_at, tz).strftime("%H:%M")

    def row_cells(self, row: Any) -> Sequence[object]:
        return (self._time(row), row.staff.name, row.customer.name if row.customer_id else "—",
                visits.label("approach", "signals", row.signal) or "—", visits.summary(row))

    def reload(self, *, keep: str | None = None) -> None:
        super().reload(keep=keep)
        self.query_one("#list-title").update(safe(self.title_text()))

    def open_row(self, row: Any) -> None:
        from storepos.ui.visits.screen import VisitScreen

        self.app.push_screen(VisitScreen(row.id))

    def action_toggle_mine(self) -> None:
        self.mine = not self.mine
        self.reload()

    def action_new(self) -> None:
        self.sapp.open_area("visit")
