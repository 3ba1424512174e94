"""The last days in figures, for the desk's charts: net sales, sales count, visits and conversion
per business day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN, Case, fn

from storepos.models import Sale, Visit
from storepos.services.core.store import business_date, get_store
from storepos.services.reports.periods import period, sales_in, visits_in
from storepos.services.reports.sql import as_date, as_int, local_date, utc_offset_minutes


@dataclass
class DayPoint:
    day: dt.date
    sales_count: int = 0
    net_amount: int = 0
    visits: int = 0
    sold_visits: int = 0

    @property
    def conversion(self) -> float | None:
        return self.sold_visits / self.visits if self.visits else None


def daily_series(store_id: int, date_to: dt.date | None = None, days: int = 30) -> list[DayPoint]:
    """Net sales, sales count, visits and conversion per business day, oldest first, for the
    *days* ending on *date_to* (today by default).  Raises NotFound for an unknown store."""
    store = get_store(store_id)
    date_to = date_to or business_date(store)
    date_from = date_to - dt.timedelta(days=days - 1)
    p = period(store_id, date_from, date_to)
    points = {date_from + dt.timedelta(days=i): DayPoint(date_from + dt.timedelta(days=i)) for i in range(days)}
    off_a, off_b = utc_offset_minutes(p.tz, date_from), utc_offset_minutes(p.tz, date_to)
    count_sale = fn.SUM(Case(None, [(Sale.kind == "sale", 1)], 0))
    if off_a == off_b:
        day = local_date(Sale.created_at, off_a)
        for d, n, total in (Sale.select(day, count_sale, fn.SUM(Sale.total)).where(sales_in(p))
                            .group_by(day).tuples()):
            point = points.get(as_date(d))
            if point is not None:
                point.sales_count, point.net_amount = as_int(n), as_int(total)
    else:  # a change of UTC offset inside the window: one indexed query per day
        for d, point in points.items():
            q = period(store_id, d)
            n, total = Sale.select(count_sale, fn.SUM(Sale.total)).where(sales_in(q)).tuples().get()
            point.sales_count, point.net_amount = as_int(n), as_int(total)
    sold = Case(None, [(Sale.status == "completed", 1)], 0)
    for d, n, s in (Visit.select(Visit.business_date, fn.COUNT(Visit.id), fn.SUM(sold))
                    .join(Sale, JOIN.LEFT_OUTER, on=(Visit.sale_id == Sale.id))
                    .where(visits_in(p)).group_by(Visit.business_date).tuples()):
        point = points.get(as_date(d))
        if point is not None:
            point.visits, point.sold_visits = as_int(n), as_int(s)
    return [points[d] for d in sorted(points)]
