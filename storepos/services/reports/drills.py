"""Drill-down: the records behind one staff member's figure, newest first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from peewee import JOIN, fn

from storepos.i18n import t
from storepos.models import ChecklistRun, Customer, FollowUp, Sale, SurveyResponse, Visit
from storepos.services import aftersales
from storepos.services import visits as visits_area
from storepos.services.reports.approvals import approvals_log
from storepos.services.reports.daily_report import discounts_given
from storepos.services.reports.labels import DASH, amount_text, receipt_labels
from storepos.services.reports.periods import Period, period, sales_in, visits_in
from storepos.services.reports.sql import as_date, as_int


@dataclass
class DrillRow:
    kind: str  # sale | return | visit | approval | checklist | survey | followup
    id: int
    at: dt.datetime | None  # store-local
    label: str
    amount: int | None
    detail: str


def _sale_documents(p: Period, staff_id: int, kind: str, limit: int | None) -> list[DrillRow]:
    """The seller's sales or returns (a return under the seller of the original sale)."""
    orig = Sale.alias("orig")
    q = (Sale.select(Sale.id, Sale.kind, Sale.created_at, Sale.total, Sale.discount, Sale.paid,
                     Sale.balance_due, Customer.name)
         .join(orig, JOIN.LEFT_OUTER, on=(Sale.original == orig.id)).switch(Sale)
         .join(Customer, JOIN.LEFT_OUTER, on=(Sale.customer == Customer.id))
         .where(sales_in(p), fn.COALESCE(orig.staff, Sale.staff) == staff_id, Sale.kind == kind)
         .order_by(Sale.created_at.desc(), Sale.id.desc()))
    rows = list((q.limit(limit) if limit else q).tuples())
    labels = receipt_labels({r[0] for r in rows})
    out = []
    for sid, kind_, at, total, discount, _paid, due, customer in rows:
        bits = [customer or ""]
        if discount:
            bits.append(t("report.drill_discount", amount=amount_text(discount)))
        if due:
            bits.append(t("report.drill_due", amount=amount_text(due)))
        out.append(DrillRow(kind_, sid, p.local(at), labels.get(sid, ""), as_int(total),
                            " · ".join(b for b in bits if b)))
    return out


def _sales(p: Period, staff_id: int, limit: int | None) -> list[DrillRow]:
    return _sale_documents(p, staff_id, "sale", limit)


def _returns(p: Period, staff_id: int, limit: int | None) -> list[DrillRow]:
    return _sale_documents(p, staff_id, "return", limit)


def _discounts(p: Period, staff_id: int, limit: int | None) -> list[DrillRow]:
    return [DrillRow("sale", d.sale_id, d.at, d.receipt, d.amount,
                     t("report.drill_approved_by", name=d.approver) if d.approver else t("report.within_authority"))
            for d in reversed(discounts_given(p, staff_id=staff_id))]


def _visit_rows(p: Period, staff_id: int, limit: int | None, *, sold_only: bool) -> list[DrillRow]:
    q = (Visit.select().join(Sale, JOIN.LEFT_OUTER, on=(Visit.sale_id == Sale.id))
         .where(visits_in(p), Visit.staff == staff_id))
    if sold_only:
        q = q.where(Sale.status == "completed")
    q = q.order_by(Visit.started_at.desc(), Visit.id.desc())
    return [DrillRow("visit", v.id, p.local(v.started_at), f"#{v.id}", v.budget, visits_area.summary(v))
            for v in (q.limit(limit) if limit else q)]


def _visits(p: Period, staff_id: int, limit: int | None) -> list[DrillRow]:
    return _visit_rows(p, staff_id, limit, sold_only=False)


def _sold_visits(p: Period, staff_id: int, limit: int | None) -> list[DrillRow]:
    return _visit_rows(p, staff_id, limit, sold_only=True)


def _overrides(p: Period, staff_id: int, limit: int | None) -> list[DrillRow]:
    return [DrillRow("approval", a.id, a.at, a.kind_label, None, f"{a.approved_by} · {a.record} · {a.reason}")
            for a in approvals_log(p.store_id, p.date_from, p.date_to, staff_id=staff_id, limit=limit)]


def _checklists(p: Period, staff_id: int, limit: int | None) -> list[DrillRow]:
    q = (ChecklistRun.select().where(ChecklistRun.store == p.store_id, ChecklistRun.business_date >= p.date_from,
                                     ChecklistRun.business_date <= p.date_to,
                                     ChecklistRun.submitted_by == staff_id)
         .order_by(ChecklistRun.business_date.desc()))
    return [DrillRow("checklist", r.id, p.local(r.first_submitted_at), r.business_date.isoformat(), None,
                     t(f"checklist.status.{r.status}") + (" " + t("checklist.late_mark") if r.late else ""))
            for r in q]


def _surveys(p: Period, staff_id: int, limit: int | None) -> list[DrillRow]:
    """The surveys taken in the period on the seller's sales."""
    rows = list(SurveyResponse.select().where(SurveyResponse.store == p.store_id, SurveyResponse.sold_by == staff_id,
                                              SurveyResponse.created_at >= p.start, SurveyResponse.created_at < p.end)
                .order_by(SurveyResponse.created_at.desc()))
    labels = receipt_labels({r.sale_id for r in rows})
    return [DrillRow("survey", r.id, p.local(r.created_at), labels.get(r.sale_id, ""), None,
                     t("report.drill_survey", average=f"{r.average_x100 / 100:.2f}", lowest=r.lowest,
                       comment=r.comment or DASH)) for r in rows]


def _followups(p: Period, staff_id: int, limit: int | None) -> list[DrillRow]:
    """The owner's follow-ups first due in the period (not cancelled): on time, late or not done."""
    rows = list(FollowUp.select().where(FollowUp.store == p.store_id, FollowUp.owner == staff_id,
                                        FollowUp.first_due >= p.date_from, FollowUp.first_due <= p.date_to,
                                        FollowUp.status != "cancelled")
                .order_by(FollowUp.first_due.desc(), FollowUp.id.desc()))
    out = []
    for f in rows:
        state = t("report.on_time") if f.on_time else (t("report.late") if f.status == "done" else
                                                        t("report.not_done"))
        out.append(DrillRow("followup", f.id, p.local(f.done_at),
                            f"{as_date(f.first_due).isoformat()} {aftersales.kind_label(f.kind)}", None, state))
    return out


# figure -> fn(period, staff_id, limit) -> [DrillRow].  *limit* cuts the long lists (sales,
# returns, visits, overrides); the others always list every record.
DRILLS: dict[str, Callable[[Period, int, int | None], list[DrillRow]]] = {
    "sales": _sales,
    "returns": _returns,
    "discounts": _discounts,
    "visits": _visits,
    "sold_visits": _sold_visits,
    "overrides": _overrides,
    "checklist": _checklists,
    "surveys": _surveys,
    "followups": _followups,
}
DRILL_FIGURES = tuple(DRILLS)


def drill(store_id: int, date_from: dt.date, date_to: dt.date | None, staff_id: int, figure: str = "sales",
          *, limit: int | None = None) -> list[DrillRow]:
    """The records behind one staff figure (newest first).  Raises NotFound for an unknown store,
    ValueError for a figure not in :data:`DRILL_FIGURES`."""
    p = period(store_id, date_from, date_to)
    source = DRILLS.get(figure)
    if source is None:
        raise ValueError(f"unknown figure {figure!r}")
    return source(p, staff_id, limit)
