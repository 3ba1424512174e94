"""The conversion funnel: visits → needs recorded → quoted → sold, per staff member and for the
store, with the average time to approach and visit duration, and why customers left.

Conversion: visits of the period that led to a completed sale / visits of the period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from peewee import JOIN, Case, fn

from storepos.i18n import t
from storepos.models import Sale, Visit
from storepos.services import visits as visits_area
from storepos.services.reports.labels import staff_by_id
from storepos.services.reports.periods import Period, period, visits_in
from storepos.services.reports.sql import as_int, seconds_between


@dataclass
class FunnelRow:
    staff_id: int | None
    code: str
    name: str
    visits: int = 0
    needs: int = 0
    quoted: int = 0
    sold: int = 0
    approach_avg: int | None = None  # seconds
    approach_n: int = 0
    duration_avg: int | None = None  # seconds
    duration_n: int = 0

    @property
    def conversion(self) -> float | None:
        return self.sold / self.visits if self.visits else None


@dataclass
class Funnel:
    period: Period
    rows: list[FunnelRow]
    total: FunnelRow
    leave_reasons: list[tuple[str, str, int]]  # code, label, count
    outcomes: list[tuple[str, str, int]]


def funnel(store_id: int, date_from: dt.date, date_to: dt.date | None = None) -> Funnel:
    """Visits → needs recorded → quoted → sold, per staff member and for the store, with the
    average time to approach and visit duration, and why customers left.  Raises NotFound for an
    unknown store."""
    p = period(store_id, date_from, date_to)
    per = list(_funnel_query(p, [Visit.staff]).group_by(Visit.staff).tuples())
    staff = staff_by_id({r[0] for r in per})
    rows = [_fill(FunnelRow(sid, staff[sid].code if sid in staff else "", staff[sid].name if sid in staff else ""),
                  tuple(values)) for sid, *values in per]
    rows.sort(key=lambda r: (-(r.conversion or 0), -r.visits, r.code))
    # The store's row is the sum of the staff rows (one scan of the period's visits, not two).
    sums = [sum(float(v[i] or 0) for _sid, *v in per) for i in range(8)]
    total = _fill(FunnelRow(None, "", t("report.store_total")), tuple(sums))
    leave, outcomes = _outcomes(p)
    return Funnel(p, rows, total, leave, outcomes)


def _funnel_query(p: Period, group: list[Any]) -> Any:
    needs = Case(None, [(((Visit.needs != {}) | Visit.budget.is_null(False)), 1)], 0)
    quoted = Case(None, [(Visit.quote_id.is_null(False), 1)], 0)
    sold = Case(None, [(Sale.status == "completed", 1)], 0)
    approach = seconds_between(Visit.approached_at, Visit.signal_seen_at)
    duration = seconds_between(Visit.ended_at, Visit.started_at)
    approach_ok = Visit.approached_at.is_null(False) & Visit.signal_seen_at.is_null(False)
    # Sums and counts (not averages), so the store's total adds up from the per-staff rows.
    return (Visit.select(*group, fn.COUNT(Visit.id), fn.SUM(needs), fn.SUM(quoted), fn.SUM(sold),
                         fn.SUM(Case(None, [(approach_ok, approach)], None)),
                         fn.COUNT(Case(None, [(approach_ok, 1)], None)),
                         fn.SUM(Case(None, [(Visit.ended_at.is_null(False), duration)], None)),
                         fn.COUNT(Visit.ended_at))
            .join(Sale, JOIN.LEFT_OUTER, on=(Visit.sale_id == Sale.id))
            .where(visits_in(p)))


def _fill(row: FunnelRow, values: tuple[Any, ...]) -> FunnelRow:
    visits, needs, quoted, sold, a_sum, a_n, d_sum, d_n = values
    row.visits, row.needs, row.quoted, row.sold = as_int(visits), as_int(needs), as_int(quoted), as_int(sold)
    row.approach_n, row.duration_n = as_int(a_n), as_int(d_n)
    row.approach_avg = max(0, round(float(a_sum or 0) / row.approach_n)) if row.approach_n else None
    row.duration_avg = max(0, round(float(d_sum or 0) / row.duration_n)) if row.duration_n else None
    return row


def _outcomes(p: Period) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, int]]]:
    """(why customers left, how visits ended) as (code, label, count), most first; one GROUP BY."""
    pairs = list(Visit.select(Visit.outcome, Visit.leave_reason, fn.COUNT(Visit.id)).where(visits_in(p))
                 .group_by(Visit.outcome, Visit.leave_reason).tuples())
    by_outcome: dict[str | None, int] = {}
    by_reason: dict[str | None, int] = {}
    for outcome, reason, n in pairs:
        by_outcome[outcome] = by_outcome.get(outcome, 0) + as_int(n)
        if outcome == "left":
            by_reason[reason] = by_reason.get(reason, 0) + as_int(n)
    leave = sorted(((c or "", visits_area.label("outcomes", "leave_reasons", c) if c else t("report.no_reason"),
                     n) for c, n in by_reason.items()), key=lambda x: (-x[2], x[0]))
    outcomes = sorted(((c or "", visits_area.label("outcomes", "outcomes", c) if c else t("report.no_outcome"),
                        n) for c, n in by_outcome.items()), key=lambda x: (-x[2], x[0]))
    return leave, outcomes
