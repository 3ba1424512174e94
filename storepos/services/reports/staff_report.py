"""Staff performance: per staff member, ranked by net sales, their sales and returns, average
ticket, conversion, checklist compliance, overrides needed, discounts given, and the figures that
come from after-sales (:data:`STAFF_FIGURES`).

A return counts against the seller of the original sale.  After-sales gives two figures:
"satisfaction" (mean of the surveys' average scores of the seller's sales, surveys taken in the
period) and "followups_on_time" (follow-ups first due in the period, not cancelled: how many were
done with the first attempt on or before their first due day).  A staff member with nothing
behind a figure shows "—" (never 0).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from peewee import JOIN, Case, fn

from storepos.models import Approval, ChecklistRun, FollowUp, Sale, Staff, SurveyResponse, Visit
from storepos.services.reports.labels import DASH
from storepos.services.reports.periods import Period, period, sales_in, visits_in
from storepos.services.reports.sql import as_int

EXTRA_FIGURES = ("satisfaction", "followups_on_time")


@dataclass(frozen=True)
class StaffFigure:
    """A figure another area provides per staff member (e.g. satisfaction from surveys)."""

    value: float | None  # for ranking/sorting; None: nothing to show
    text: str  # as shown ("4.3", "8/9")
    count: int = 0  # records behind it


@dataclass
class StaffRow:
    staff_id: int
    code: str
    name: str
    role: str
    rank: int = 0
    sales_count: int = 0
    sales_amount: int = 0
    returns_count: int = 0
    returns_amount: int = 0  # negative: returns against this seller's sales
    visits: int = 0
    sold_visits: int = 0
    checklist_submitted: int = 0
    checklist_on_time: int = 0
    overrides: int = 0
    discount_amount: int = 0
    extra: dict[str, StaffFigure] = field(default_factory=dict)

    @property
    def net_amount(self) -> int:
        return self.sales_amount + self.returns_amount

    @property
    def avg_ticket(self) -> int | None:
        """Average sale (fen, half-up) over the completed sales."""
        if not self.sales_count:
            return None
        return (2 * self.sales_amount + self.sales_count) // (2 * self.sales_count)

    @property
    def conversion(self) -> float | None:
        return self.sold_visits / self.visits if self.visits else None

    def extra_text(self, name: str) -> str:
        f = self.extra.get(name)
        return f.text if f is not None and f.value is not None else DASH


@dataclass
class StaffReport:
    period: Period
    rows: list[StaffRow]
    missing: list[str]  # extra figures with no provider (after-sales not installed)
    store_checklist_days: int = 0
    store_checklist_submitted: int = 0
    store_checklist_on_time: int = 0


# -- the after-sales figures -------------------------------------------------------------------

def satisfaction(store_id: int, date_from: dt.date, date_to: dt.date) -> dict[int, StaffFigure]:
    """seller id -> mean of the averages of the surveys taken in the period on their sales."""
    p = period(store_id, date_from, date_to)
    out = {}
    for sid, n, total in (SurveyResponse.select(SurveyResponse.sold_by, fn.COUNT(SurveyResponse.id),
                                                fn.SUM(SurveyResponse.average_x100))
                          .where(SurveyResponse.store == store_id, SurveyResponse.created_at >= p.start,
                                 SurveyResponse.created_at < p.end)
                          .group_by(SurveyResponse.sold_by).tuples()):
        n, total = as_int(n), as_int(total)
        if n:
            # mean of the averages, two decimals half-up, from integers
            x100 = (2 * total + n) // (2 * n)
            out[sid] = StaffFigure(x100 / 100, f"{x100 // 100}.{x100 % 100:02d}", n)
    return out


def followups_on_time(store_id: int, date_from: dt.date, date_to: dt.date) -> dict[int, StaffFigure]:
    """owner id -> follow-ups first due in the period (not cancelled) done on time, of all."""
    on_time = Case(None, [(FollowUp.on_time == True, 1)], 0)  # noqa: E712
    out = {}
    for sid, n, ok in (FollowUp.select(FollowUp.owner, fn.COUNT(FollowUp.id), fn.SUM(on_time))
                       .where(FollowUp.store == store_id, FollowUp.first_due >= date_from,
                              FollowUp.first_due <= date_to, FollowUp.status != "cancelled")
                       .group_by(FollowUp.owner).tuples()):
        n, ok = as_int(n), as_int(ok)
        if n:
            out[sid] = StaffFigure(ok / n, f"{ok}/{n}", n)
    return out


# name -> fn(store_id, date_from, date_to) -> {staff_id: StaffFigure}, for each of EXTRA_FIGURES.
STAFF_FIGURES: dict[str, Callable[[int, dt.date, dt.date], dict[int, StaffFigure]]] = {
    "satisfaction": satisfaction,
    "followups_on_time": followups_on_time,
}


# -- the report --------------------------------------------------------------------------------

class _Rows(dict[int, StaffRow]):
    """The report's rows by staff id; a row appears for anyone with a figure, even someone no
    longer active."""

    def of(self, staff_id: int) -> StaffRow:
        if staff_id not in self:
            s = Staff.get_by_id(staff_id)
            self[staff_id] = StaffRow(s.id, s.code, s.name, s.role)
        return self[staff_id]


def staff_performance(store_id: int, date_from: dt.date, date_to: dt.date | None = None) -> StaffReport:
    """Sales amount and count, average ticket, conversion, satisfaction, checklist compliance,
    follow-ups on time and overrides needed, per staff member, ranked by net sales.  Raises
    NotFound for an unknown store."""
    p = period(store_id, date_from, date_to)
    by = _Rows()
    for s in Staff.select().where(Staff.store == store_id, Staff.role != "trainer", Staff.active == True):  # noqa: E712
        by[s.id] = StaffRow(s.id, s.code, s.name, s.role)
    _add_sales(by, p)
    _add_visits(by, p)
    _add_checklists(by, p)
    _add_overrides(by, p)
    missing = _add_extra_figures(by, p)
    rows = [r for r in by.values() if r.role != "trainer"]
    rows.sort(key=lambda r: (-r.net_amount, -r.sales_count, -(r.conversion or 0), r.code))
    for i, r in enumerate(rows, start=1):
        r.rank = i
    n, ok = (ChecklistRun.select(fn.COUNT(ChecklistRun.id), fn.SUM(_checklist_on_time()))
             .where(_checklists_in(p)).tuples().get())
    return StaffReport(p, rows, missing, p.days, as_int(n), as_int(ok))


def _add_sales(by: _Rows, p: Period) -> None:
    """Sales and returns by seller (a return against the original sale's seller); discounts given."""
    orig = Sale.alias("orig")
    seller = fn.COALESCE(orig.staff, Sale.staff)
    for sid, kind, n, total in (Sale.select(seller, Sale.kind, fn.COUNT(Sale.id), fn.SUM(Sale.total))
                                .join(orig, JOIN.LEFT_OUTER, on=(Sale.original == orig.id))
                                .where(sales_in(p)).group_by(seller, Sale.kind).tuples()):
        r = by.of(sid)
        if kind == "sale":
            r.sales_count, r.sales_amount = as_int(n), as_int(total)
        else:
            r.returns_count, r.returns_amount = as_int(n), as_int(total)
    for sid, disc in (Sale.select(Sale.staff, fn.SUM(Sale.discount)).where(sales_in(p), Sale.kind == "sale")
                      .group_by(Sale.staff).tuples()):
        by.of(sid).discount_amount = as_int(disc)


def _add_visits(by: _Rows, p: Period) -> None:
    sold = Case(None, [(Sale.status == "completed", 1)], 0)
    for sid, n, s in (Visit.select(Visit.staff, fn.COUNT(Visit.id), fn.SUM(sold))
                      .join(Sale, JOIN.LEFT_OUTER, on=(Visit.sale_id == Sale.id))
                      .where(visits_in(p)).group_by(Visit.staff).tuples()):
        r = by.of(sid)
        r.visits, r.sold_visits = as_int(n), as_int(s)


def _checklist_on_time() -> Any:
    return Case(None, [(ChecklistRun.late == False, 1)], 0)  # noqa: E712


def _checklists_in(p: Period) -> Any:
    """SQL condition: the period's checklist runs that were submitted."""
    return ((ChecklistRun.store == p.store_id) & (ChecklistRun.business_date >= p.date_from)
            & (ChecklistRun.business_date <= p.date_to) & ChecklistRun.first_submitted_at.is_null(False))


def _add_checklists(by: _Rows, p: Period) -> None:
    for sid, n, ok in (ChecklistRun.select(ChecklistRun.submitted_by, fn.COUNT(ChecklistRun.id),
                                           fn.SUM(_checklist_on_time()))
                       .where(_checklists_in(p)).group_by(ChecklistRun.submitted_by).tuples()):
        if sid:
            r = by.of(sid)
            r.checklist_submitted, r.checklist_on_time = as_int(n), as_int(ok)


def _add_overrides(by: _Rows, p: Period) -> None:
    """Manager overrides each staff member asked for."""
    for sid, n in (Approval.select(Approval.requested_by, fn.COUNT(Approval.id))
                   .where(Approval.store == p.store_id, Approval.at >= p.start, Approval.at < p.end)
                   .group_by(Approval.requested_by).tuples()):
        by.of(sid).overrides = as_int(n)


def _add_extra_figures(by: _Rows, p: Period) -> list[str]:
    """The figures of :data:`STAFF_FIGURES`; returns the names that have no provider."""
    missing = []
    for name in EXTRA_FIGURES:
        provider = STAFF_FIGURES.get(name)
        if provider is None:
            missing.append(name)
            continue
        for sid, figure in provider(p.store_id, p.date_from, p.date_to).items():
            # someone not on the report yet gets a row only for a figure worth showing
            if sid in by or figure.value is not None:
                by.of(sid).extra[name] = figure
    return missing
