"""The approvals log: every manager override of a period, who asked, who approved, why, and the
record it touched, named as a person would name it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from storepos.i18n import t
from storepos.models import Approval, ChecklistRun, Product, Quote, RegisterSession, Terminal
from storepos.services.core.approvals import KINDS
from storepos.services.reports.labels import DASH, receipt_labels, staff_by_id
from storepos.services.reports.periods import period
from storepos.services.reports.sql import as_date


@dataclass
class ApprovalRow:
    id: int
    at: dt.datetime  # store-local
    kind: str
    kind_label: str
    requested_by: str
    approved_by: str
    reason: str
    entity: str
    entity_id: str
    record: str  # the record it touched, as a person would name it
    detail: dict[str, Any]


def approvals_log(store_id: int, date_from: dt.date, date_to: dt.date | None = None, *, kind: str | None = None,
                  staff_id: int | None = None, limit: int | None = None) -> list[ApprovalRow]:
    """Every manager override of the period (newest first): who asked, who approved, why, and the
    record it touched.  *staff_id* filters on who asked.  Raises NotFound for an unknown store."""
    p = period(store_id, date_from, date_to)
    q = (Approval.select().where(Approval.store == store_id, Approval.at >= p.start, Approval.at < p.end)
         .order_by(Approval.at.desc(), Approval.id.desc()))
    if kind:
        q = q.where(Approval.kind == kind)
    if staff_id is not None:
        q = q.where(Approval.requested_by == staff_id)
    rows = list(q.limit(limit) if limit else q)
    staff = staff_by_id({a.requested_by_id for a in rows} | {a.approved_by_id for a in rows})
    records = _record_names({(a.entity, a.entity_id) for a in rows})
    out = []
    for a in rows:
        record = records.get((a.entity, a.entity_id))
        if record is None:
            record = f"{a.entity} {a.entity_id}".strip() if a.entity or a.entity_id else DASH
        out.append(ApprovalRow(
            a.id, p.local(a.at), a.kind, t(f"approval.kind.{a.kind}") if a.kind in KINDS else a.kind,
            staff[a.requested_by_id].name if a.requested_by_id in staff else "",
            staff[a.approved_by_id].name if a.approved_by_id in staff else "", a.reason, a.entity,
            a.entity_id, record, a.detail or {}))
    return out


def _record_names(pairs: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(entity, id) -> a readable name: receipt numbers, quote numbers, checklist dates…, one query
    per kind of record."""
    out: dict[tuple[str, str], str] = {}
    by_entity: dict[str, set[int]] = {}
    for entity, eid in pairs:
        if eid.isdigit():
            by_entity.setdefault(entity, set()).add(int(eid))
    for sid, label in receipt_labels(by_entity.get("sale", set())).items():
        out[("sale", str(sid))] = label
    if by_entity.get("quote"):
        for qid, number in Quote.select(Quote.id, Quote.number).where(Quote.id.in_(sorted(by_entity["quote"]))).tuples():
            out[("quote", str(qid))] = number
    if by_entity.get("checklist_run"):
        for rid, day in (ChecklistRun.select(ChecklistRun.id, ChecklistRun.business_date)
                         .where(ChecklistRun.id.in_(sorted(by_entity["checklist_run"]))).tuples()):
            out[("checklist_run", str(rid))] = t("report.record_checklist", date=as_date(day).isoformat())
    if by_entity.get("register_session"):
        for rid, code in (RegisterSession.select(RegisterSession.id, Terminal.code)
                          .join(Terminal, on=(RegisterSession.terminal == Terminal.id))
                          .where(RegisterSession.id.in_(sorted(by_entity["register_session"]))).tuples()):
            out[("register_session", str(rid))] = t("report.record_session", terminal=code, id=rid)
    if by_entity.get("product"):
        for pid, sku in Product.select(Product.id, Product.sku).where(
                Product.id.in_(sorted(by_entity["product"]))).tuples():
            out[("product", str(pid))] = sku
    return out
