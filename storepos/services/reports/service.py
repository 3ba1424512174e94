"""The manager's desk (SOP §9, 销售绩效评估): daily report, conversion funnel, staff performance,
approvals log, the last 30 days, drill-down lists and CSV.

Every figure comes from an aggregate query (GROUP BY / SUM / COUNT / AVG in SQL) over indexed
columns: Sale (store, created_at), (store, staff, created_at), (store, voided_at); Payment
(created_at); Approval (store, at), (entity, entity_id); Visit (store, business_date, staff);
Receivable (store, business_date); RegisterSession (store, opened_at).  Nothing loops over sale
lines in Python.  Lists (discounts, approvals, drill-downs) are the records behind a figure.

Periods are store-local business dates, inclusive: a sale belongs to the local day of its
``created_at``; a visit to its ``business_date``.  Money is integer fen throughout.

Definitions (the tests hold the code to them):
- sales: completed documents of kind "sale" made in the period (a voided sale is not a sale);
  returns: completed "return" documents made in the period (negative amounts);
  net = sales + returns.  By category adds up to net exactly (lines carry the discounts).
- voids: sales voided in the period (by ``voided_at``), whatever day they were made.
- by payment method: money moved in the period by method, split by the payment's kind
  (taken at a sale, balance collected later, refunded on a return, paid back on a void).
- deposits and balances due: deposit sales of the period and what they took; balances still due
  on the period's sales; balances collected in the period.
- staff performance: a return counts against the seller of the original sale.
- conversion: visits of the period that led to a completed sale / visits of the period.

Two staff figures come from after-sales (issue 8) through the provider registry
:data:`STAFF_FIGURES`, filled at the bottom of this module: "satisfaction" (mean of the surveys'
average scores of the seller's sales, surveys taken in the period) and "followups_on_time"
(follow-ups first due in the period, not cancelled: how many were done with the first attempt on
or before their first due day).  A staff member with nothing behind a figure shows "—" (never 0).
Their drill-downs ("surveys", "followups") are in :data:`DRILLS`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import peewee
from peewee import JOIN, SQL, Case, fn

from storepos import clock
from storepos.db import is_sqlite
from storepos.i18n import pick, t
from storepos.models import (
    Approval,
    Category,
    ChecklistRun,
    Customer,
    Payment,
    Product,
    Quote,
    Receivable,
    RegisterSession,
    Sale,
    SaleLine,
    Staff,
    Store,
    Terminal,
    Visit,
)
from storepos.money import from_fen
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError
from storepos.services.core.permissions import require
from storepos.services.core.store import business_date, get_store

METHODS = ("cash", "card", "wechat", "alipay", "account")
PAYMENT_KINDS = ("sale", "balance", "refund", "void")
EXTRA_FIGURES = ("satisfaction", "followups_on_time")
DASH = "—"


# -- periods and portable SQL ------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    store_id: int
    date_from: dt.date
    date_to: dt.date
    tz: str

    @property
    def start(self) -> dt.datetime:
        return clock.local_day_bounds(self.date_from, self.tz)[0]

    @property
    def end(self) -> dt.datetime:
        return clock.local_day_bounds(self.date_to, self.tz)[1]

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def local(self, at: dt.datetime | None) -> dt.datetime | None:
        return clock.to_local(at, self.tz) if at is not None else None


def period(store_id: int, date_from: dt.date, date_to: dt.date | None = None) -> Period:
    store = get_store(store_id)
    date_to = date_to or date_from
    if date_from > date_to:
        date_from, date_to = date_to, date_from
    return Period(store.id, date_from, date_to, store.timezone)


def parse_day(text: str, field: str) -> dt.date:
    """A date typed as 2026-03-02, 2026/3/2 or 2026.3.2.  DomainError(field=*field*) otherwise."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    for sep in ("/", ".", "年", "月"):
        raw = raw.replace(sep, "-")
    raw = raw.rstrip("日")
    try:
        y, m, d = (int(x) for x in raw.split("-"))
        return dt.date(y, m, d)
    except ValueError:
        raise DomainError("err.bad_date", field=field) from None


def parse_range(text_from: str, text_to: str) -> tuple[dt.date, dt.date]:
    """A period typed by the manager; "to" left empty means one day."""
    d1 = parse_day(text_from, "from")
    d2 = parse_day(text_to, "to") if (text_to or "").strip() else d1
    if d1 > d2:
        raise DomainError("err.desk_bad_range", field="to", date_from=d1.isoformat(), date_to=d2.isoformat())
    if (d2 - d1).days > 366 * 3:
        raise DomainError("err.desk_range_too_long", field="to", days=366 * 3)
    return d1, d2


def require_desk(actor: Actor) -> None:
    """Only managers open the desk (trainers see practice data only, never the live desk)."""
    require(actor, "manager.desk")


def _seconds(later: Any, earlier: Any) -> Any:
    """SQL: seconds from *earlier* to *later* (both timestamp columns)."""
    if is_sqlite():
        return (fn.julianday(later) - fn.julianday(earlier)) * 86400.0
    return fn.date_part("epoch", later - earlier)


def _utc_offset_minutes(tz: str, day: dt.date) -> int:
    local_noon = dt.datetime.combine(day, dt.time(12))
    off = local_noon.replace(tzinfo=clock.zone(tz)).utcoffset() or dt.timedelta()
    return int(off.total_seconds() // 60)


def _local_date(column: Any, minutes: int) -> Any:
    """SQL: the local calendar date of a naive-UTC timestamp column at a fixed UTC offset."""
    if is_sqlite():
        return fn.date(column, f"{minutes:+d} minutes")
    return fn.date(column + SQL(f"interval '{int(minutes)} minutes'"))


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _int(value: Any) -> int:
    return int(value or 0)


def _avg(value: Any) -> int | None:
    return None if value is None else round(float(value))


def _names(ids: set[int]) -> dict[int, Staff]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {s.id: s for s in Staff.select().where(Staff.id.in_(sorted(ids)))}


def _sale_labels(sale_ids: set[int]) -> dict[int, str]:
    """sale id -> receipt label (T1-000012), one query."""
    ids = sorted(i for i in sale_ids if i)
    if not ids:
        return {}
    rows = (Sale.select(Sale.id, Terminal.code, Sale.receipt_no)
            .join(Terminal, on=(Sale.terminal == Terminal.id)).where(Sale.id.in_(ids)).tuples())
    return {sid: f"{code}-{no:06d}" for sid, code, no in rows}


def _sales_in(p: Period) -> Any:
    """Completed sales and returns made in the period (the base of most figures)."""
    return (Sale.store == p.store_id) & (Sale.created_at >= p.start) & (Sale.created_at < p.end) & \
        (Sale.status == "completed")


# -- the daily report --------------------------------------------------------------------------

@dataclass
class MethodRow:
    method: str
    sale: int = 0  # fen taken at the sale (deposits and splits included)
    balance: int = 0  # balances collected later
    refund: int = 0  # paid back on returns (negative)
    void: int = 0  # paid back on voids (negative)
    count: int = 0  # payment rows

    @property
    def net(self) -> int:
        return self.sale + self.balance + self.refund + self.void

    @property
    def label(self) -> str:
        return t(f"pay.method.{self.method}") if self.method in METHODS else self.method


@dataclass
class CategoryRow:
    code: str
    label: str
    qty: int
    amount: int


@dataclass
class DiscountRow:
    sale_id: int
    receipt: str
    at: dt.datetime
    staff: str
    amount: int  # fen given off
    approval_id: int | None
    approver: str  # "" when within the seller's own authority
    reason: str


@dataclass
class DiscountByStaff:
    staff: str
    approver: str
    count: int
    amount: int


@dataclass
class SessionRow:
    id: int
    terminal: str
    opened_by: str
    opened_at: dt.datetime
    float_amount: int
    closed_by: str
    closed_at: dt.datetime | None
    expected: int | None
    counted: int | None
    difference: int | None
    approver: str


@dataclass
class ReceivableRow:
    sale_id: int
    receipt: str
    customer: str
    amount: int
    due_date: dt.date


@dataclass
class DailyReport:
    period: Period
    sales_count: int = 0
    sales_amount: int = 0
    sales_gross: int = 0  # before discounts
    returns_count: int = 0
    returns_amount: int = 0  # negative
    voids_count: int = 0
    voids_amount: int = 0  # the voided sales' totals (positive)
    vat: int = 0
    items: int = 0  # units sold net of returns
    discount_total: int = 0
    discount_count: int = 0
    by_method: list[MethodRow] = field(default_factory=list)
    by_category: list[CategoryRow] = field(default_factory=list)
    discounts: list[DiscountRow] = field(default_factory=list)
    discounts_by_staff: list[DiscountByStaff] = field(default_factory=list)
    overrides: list[tuple[str, str, int]] = field(default_factory=list)  # kind, label, count
    sessions: list[SessionRow] = field(default_factory=list)
    deposit_count: int = 0
    deposit_taken: int = 0
    due_count: int = 0
    due_amount: int = 0  # still due on the period's sales
    balances_collected: int = 0
    receivables: list[ReceivableRow] = field(default_factory=list)

    @property
    def net_amount(self) -> int:
        return self.sales_amount + self.returns_amount

    @property
    def method_total(self) -> int:
        return sum(r.net for r in self.by_method)

    @property
    def receivables_amount(self) -> int:
        return sum(r.amount for r in self.receivables)

    @property
    def overrides_count(self) -> int:
        return sum(n for _k, _l, n in self.overrides)

    @property
    def register_difference(self) -> int:
        return sum(s.difference or 0 for s in self.sessions)


def daily(store_id: int, date_from: dt.date, date_to: dt.date | None = None) -> DailyReport:
    """The daily report of a store for one business day or a range (inclusive)."""
    p = period(store_id, date_from, date_to)
    r = DailyReport(p)
    base = _sales_in(p)

    # sales and returns: one GROUP BY
    for kind, count, total, subtotal, vat in (
            Sale.select(Sale.kind, fn.COUNT(Sale.id), fn.SUM(Sale.total), fn.SUM(Sale.subtotal), fn.SUM(Sale.vat))
            .where(base).group_by(Sale.kind).tuples()):
        r.vat += _int(vat)
        if kind == "sale":
            r.sales_count, r.sales_amount, r.sales_gross = _int(count), _int(total), _int(subtotal)
        elif kind == "return":
            r.returns_count, r.returns_amount = _int(count), _int(total)

    # voids (by the day they were voided)
    count, total = (Sale.select(fn.COUNT(Sale.id), fn.SUM(Sale.total))
                    .where(Sale.store == store_id, Sale.status == "voided", Sale.voided_at >= p.start,
                           Sale.voided_at < p.end).tuples().get())
    r.voids_count, r.voids_amount = _int(count), _int(total)

    # by payment method: money moved in the period
    rows: dict[str, MethodRow] = {}
    for method, kind, n, amount in (
            Payment.select(Payment.method, Payment.kind, fn.COUNT(Payment.id), fn.SUM(Payment.amount))
            .join(Sale, on=(Payment.sale == Sale.id))
            .where(Sale.store == store_id, Payment.created_at >= p.start, Payment.created_at < p.end)
            .group_by(Payment.method, Payment.kind).tuples()):
        row = rows.setdefault(method, MethodRow(method))
        row.count += _int(n)
        if kind in PAYMENT_KINDS:
            setattr(row, kind, getattr(row, kind) + _int(amount))
        else:  # pragma: no cover - unknown kind: keep it visible as taken
            row.sale += _int(amount)
    order = {m: i for i, m in enumerate(METHODS)}
    r.by_method = sorted(rows.values(), key=lambda x: (order.get(x.method, 99), x.method))
    r.balances_collected = sum(x.balance for x in r.by_method)

    # by category (net of returns; the lines carry their discounts)
    cat_rows = (SaleLine.select(Category.code, Category.name_zh, Category.name_en,
                                fn.SUM(SaleLine.qty), fn.SUM(SaleLine.line_total))
                .join(Sale, on=(SaleLine.sale == Sale.id))
                .join(Product, on=(SaleLine.product == Product.id))
                .join(Category, JOIN.LEFT_OUTER, on=(Product.category == Category.id))
                .where(base)
                .group_by(Category.code, Category.name_zh, Category.name_en).tuples())
    for code, zh, en, qty, amount in cat_rows:
        r.by_category.append(CategoryRow(code or "", pick(zh, en) if code else t("report.no_category"),
                                         _int(qty), _int(amount)))
        r.items += _int(qty)
    r.by_category.sort(key=lambda c: (-c.amount, c.code))

    # discounts given, and who approved which
    r.discounts = _discounts(p)
    r.discount_total = sum(d.amount for d in r.discounts)
    r.discount_count = len(r.discounts)
    grouped: dict[tuple[str, str], DiscountByStaff] = {}
    for d in r.discounts:
        g = grouped.setdefault((d.staff, d.approver), DiscountByStaff(d.staff, d.approver, 0, 0))
        g.count += 1
        g.amount += d.amount
    r.discounts_by_staff = sorted(grouped.values(), key=lambda g: (-g.amount, g.staff, g.approver))

    # manager overrides of every kind
    from storepos.services.core.approvals import KINDS

    kinds = dict(Approval.select(Approval.kind, fn.COUNT(Approval.id))
                 .where(Approval.store == store_id, Approval.at >= p.start, Approval.at < p.end)
                 .group_by(Approval.kind).tuples())
    r.overrides = [(k, t(f"approval.kind.{k}"), _int(kinds[k])) for k in KINDS if kinds.get(k)]
    r.overrides += [(k, k, _int(n)) for k, n in sorted(kinds.items()) if k not in KINDS]

    r.sessions = _sessions(p)

    # deposits and balances due
    count, taken = (Sale.select(fn.COUNT(Sale.id), fn.SUM(Sale.paid))
                    .where(base, Sale.kind == "sale", Sale.deposit == True).tuples().get())
    r.deposit_count, r.deposit_taken = _int(count), _int(taken)
    count, due = (Sale.select(fn.COUNT(Sale.id), fn.SUM(Sale.balance_due))
                  .where(base, Sale.kind == "sale", Sale.balance_due > 0).tuples().get())
    r.due_count, r.due_amount = _int(count), _int(due)

    # receivables taken (on account)
    recs = list(Receivable.select(Receivable.sale, Customer.name, Receivable.amount, Receivable.due_date)
                .join(Customer, on=(Receivable.customer == Customer.id))
                .where(Receivable.store == store_id, Receivable.business_date >= p.date_from,
                       Receivable.business_date <= p.date_to)
                .order_by(Receivable.id).tuples())
    labels = _sale_labels({sid for sid, *_ in recs})
    r.receivables = [ReceivableRow(sid, labels.get(sid, ""), name, _int(amount), _as_date(due))
                     for sid, name, amount, due in recs]
    return r


def _discounts(p: Period, *, staff_id: int | None = None) -> list[DiscountRow]:
    q = (Sale.select(Sale.id, Sale.created_at, Sale.staff, Sale.discount)
         .where(_sales_in(p), Sale.kind == "sale", Sale.discount > 0))
    if staff_id is not None:
        q = q.where(Sale.staff == staff_id)
    rows = list(q.order_by(Sale.created_at, Sale.id).tuples())
    ids = [str(sid) for sid, *_ in rows]
    approvals: dict[str, tuple[int, int, str]] = {}
    for chunk in range(0, len(ids), 500):
        for aid, eid, by, reason in (Approval.select(Approval.id, Approval.entity_id, Approval.approved_by,
                                                     Approval.reason)
                                     .where(Approval.entity == "sale", Approval.entity_id.in_(ids[chunk:chunk + 500]),
                                            Approval.kind.in_(("discount", "price_floor")))
                                     .order_by(Approval.id).tuples()):
            approvals.setdefault(eid, (aid, by, reason))
    staff = _names({s for _i, _a, s, _d in rows} | {by for _a, by, _r in approvals.values()})
    labels = _sale_labels({sid for sid, *_ in rows})
    out = []
    for sid, at, seller, discount in rows:
        appr = approvals.get(str(sid))
        out.append(DiscountRow(sid, labels.get(sid, ""), p.local(at), staff[seller].name if seller in staff else "",
                               _int(discount), appr[0] if appr else None,
                               staff[appr[1]].name if appr and appr[1] in staff else "", appr[2] if appr else ""))
    return out


def _sessions(p: Period) -> list[SessionRow]:
    rows = list(RegisterSession.select(RegisterSession, Terminal.code.alias("term"))
                .join(Terminal, on=(RegisterSession.terminal == Terminal.id))
                .where(RegisterSession.store == p.store_id, RegisterSession.opened_at < p.end,
                       (RegisterSession.closed_at.is_null()) | (RegisterSession.closed_at >= p.start))
                .order_by(RegisterSession.opened_at, RegisterSession.id).objects())
    approvers = dict(Approval.select(Approval.id, Approval.approved_by)
                     .where(Approval.id.in_([s.approval_id for s in rows if s.approval_id] or [0])).tuples())
    staff = _names({s.opened_by_id for s in rows} | {s.closed_by_id or 0 for s in rows} | set(approvers.values()))

    def name(i: int | None) -> str:
        return staff[i].name if i in staff else ""

    return [SessionRow(s.id, s.term, name(s.opened_by_id), p.local(s.opened_at), s.float_amount,
                       name(s.closed_by_id), p.local(s.closed_at), s.expected, s.counted, s.difference,
                       name(approvers.get(s.approval_id)) if s.approval_id else "")
            for s in rows]


def last_day_with_sales(store_id: int) -> dt.date | None:
    """The store-local date of the latest sale (for opening the desk on a day with figures)."""
    store = get_store(store_id)
    at = Sale.select(fn.MAX(Sale.created_at)).where(Sale.store == store_id).scalar()
    if at is None:
        return None
    if isinstance(at, str):
        at = dt.datetime.fromisoformat(at)
    return clock.to_local(at, store.timezone).date()


def default_day(store_id: int) -> dt.date:
    """Today, or the last day with sales when nothing has been sold today yet."""
    today = business_date(get_store(store_id))
    last = last_day_with_sales(store_id)
    return last if last is not None and last < today else today


# -- conversion funnel -------------------------------------------------------------------------

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


def _visit_base(p: Period) -> Any:
    return (Visit.store == p.store_id) & (Visit.business_date >= p.date_from) & (Visit.business_date <= p.date_to)


def _funnel_query(p: Period, group: list[Any]) -> Any:
    needs = Case(None, [(((Visit.needs != {}) | Visit.budget.is_null(False)), 1)], 0)
    quoted = Case(None, [(Visit.quote_id.is_null(False), 1)], 0)
    sold = Case(None, [(Sale.status == "completed", 1)], 0)
    approach = _seconds(Visit.approached_at, Visit.signal_seen_at)
    duration = _seconds(Visit.ended_at, Visit.started_at)
    approach_ok = Visit.approached_at.is_null(False) & Visit.signal_seen_at.is_null(False)
    # Sums and counts (not averages), so the store's total adds up from the per-staff rows.
    return (Visit.select(*group, fn.COUNT(Visit.id), fn.SUM(needs), fn.SUM(quoted), fn.SUM(sold),
                         fn.SUM(Case(None, [(approach_ok, approach)], None)),
                         fn.COUNT(Case(None, [(approach_ok, 1)], None)),
                         fn.SUM(Case(None, [(Visit.ended_at.is_null(False), duration)], None)),
                         fn.COUNT(Visit.ended_at))
            .join(Sale, JOIN.LEFT_OUTER, on=(Visit.sale_id == Sale.id))
            .where(_visit_base(p)))


def _fill(row: FunnelRow, values: tuple[Any, ...]) -> FunnelRow:
    visits, needs, quoted, sold, a_sum, a_n, d_sum, d_n = values
    row.visits, row.needs, row.quoted, row.sold = _int(visits), _int(needs), _int(quoted), _int(sold)
    row.approach_n, row.duration_n = _int(a_n), _int(d_n)
    row.approach_avg = max(0, round(float(a_sum or 0) / row.approach_n)) if row.approach_n else None
    row.duration_avg = max(0, round(float(d_sum or 0) / row.duration_n)) if row.duration_n else None
    return row


def funnel(store_id: int, date_from: dt.date, date_to: dt.date | None = None) -> Funnel:
    """Visits → needs recorded → quoted → sold, per staff member and for the store, with the
    average time to approach and visit duration, and why customers left."""
    from storepos.services import visits as visits_service

    p = period(store_id, date_from, date_to)
    per = list(_funnel_query(p, [Visit.staff]).group_by(Visit.staff).tuples())
    staff = _names({r[0] for r in per})
    rows = [_fill(FunnelRow(sid, staff[sid].code if sid in staff else "", staff[sid].name if sid in staff else ""),
                  tuple(values)) for sid, *values in per]
    rows.sort(key=lambda r: (-(r.conversion or 0), -r.visits, r.code))
    # The store's row is the sum of the staff rows (one scan of the period's visits, not two).
    sums = [sum(float(v[i] or 0) for _sid, *v in per) for i in range(8)]
    total = _fill(FunnelRow(None, "", t("report.store_total")), tuple(sums))
    # Outcomes and the reasons customers left, from one GROUP BY.
    pairs = list(Visit.select(Visit.outcome, Visit.leave_reason, fn.COUNT(Visit.id)).where(_visit_base(p))
                 .group_by(Visit.outcome, Visit.leave_reason).tuples())
    by_outcome: dict[str | None, int] = {}
    by_reason: dict[str | None, int] = {}
    for outcome, reason, n in pairs:
        by_outcome[outcome] = by_outcome.get(outcome, 0) + _int(n)
        if outcome == "left":
            by_reason[reason] = by_reason.get(reason, 0) + _int(n)
    leave = sorted(((c or "", visits_service.label("outcomes", "leave_reasons", c) if c else t("report.no_reason"),
                     n) for c, n in by_reason.items()), key=lambda x: (-x[2], x[0]))
    outcomes = sorted(((c or "", visits_service.label("outcomes", "outcomes", c) if c else t("report.no_outcome"),
                        n) for c, n in by_outcome.items()), key=lambda x: (-x[2], x[0]))
    return Funnel(p, rows, total, leave, outcomes)


# -- staff performance -------------------------------------------------------------------------

@dataclass(frozen=True)
class StaffFigure:
    """A figure another area provides per staff member (e.g. satisfaction from surveys)."""

    value: float | None  # for ranking/sorting; None: nothing to show
    text: str  # as shown ("4.3", "8/9")
    count: int = 0  # records behind it


# name -> fn(store_id, date_from, date_to) -> {staff_id: StaffFigure}.  After-sales fills
# "satisfaction" and "followups_on_time".
STAFF_FIGURES: dict[str, Callable[[int, dt.date, dt.date], dict[int, StaffFigure]]] = {}


def staff_figure(name: str) -> Callable[[Callable[..., dict[int, StaffFigure]]], Callable[..., dict[int, StaffFigure]]]:
    def deco(fn_: Callable[..., dict[int, StaffFigure]]) -> Callable[..., dict[int, StaffFigure]]:
        STAFF_FIGURES[name] = fn_
        return fn_

    return deco


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


def staff_performance(store_id: int, date_from: dt.date, date_to: dt.date | None = None) -> StaffReport:
    """Sales amount and count, average ticket, conversion, satisfaction, checklist compliance,
    follow-ups on time and overrides needed, per staff member, ranked by net sales."""
    p = period(store_id, date_from, date_to)
    by: dict[int, StaffRow] = {}
    everyone = list(Staff.select().where(Staff.store == store_id, Staff.role != "trainer", Staff.active == True))

    def row(sid: int) -> StaffRow:
        if sid not in by:
            s = Staff.get_by_id(sid)
            by[sid] = StaffRow(s.id, s.code, s.name, s.role)
        return by[sid]

    for s in everyone:
        by[s.id] = StaffRow(s.id, s.code, s.name, s.role)

    orig = Sale.alias("orig")
    seller = fn.COALESCE(orig.staff, Sale.staff)
    for sid, kind, n, total in (Sale.select(seller, Sale.kind, fn.COUNT(Sale.id), fn.SUM(Sale.total))
                                .join(orig, JOIN.LEFT_OUTER, on=(Sale.original == orig.id))
                                .where(_sales_in(p)).group_by(seller, Sale.kind).tuples()):
        r = row(sid)
        if kind == "sale":
            r.sales_count, r.sales_amount = _int(n), _int(total)
        else:
            r.returns_count, r.returns_amount = _int(n), _int(total)
    for sid, disc in (Sale.select(Sale.staff, fn.SUM(Sale.discount)).where(_sales_in(p), Sale.kind == "sale")
                      .group_by(Sale.staff).tuples()):
        row(sid).discount_amount = _int(disc)
    sold = Case(None, [(Sale.status == "completed", 1)], 0)
    for sid, n, s in (Visit.select(Visit.staff, fn.COUNT(Visit.id), fn.SUM(sold))
                      .join(Sale, JOIN.LEFT_OUTER, on=(Visit.sale_id == Sale.id))
                      .where(_visit_base(p)).group_by(Visit.staff).tuples()):
        r = row(sid)
        r.visits, r.sold_visits = _int(n), _int(s)
    on_time = Case(None, [(ChecklistRun.late == False, 1)], 0)
    cl_base = ((ChecklistRun.store == store_id) & (ChecklistRun.business_date >= p.date_from)
               & (ChecklistRun.business_date <= p.date_to) & ChecklistRun.first_submitted_at.is_null(False))
    for sid, n, ok in (ChecklistRun.select(ChecklistRun.submitted_by, fn.COUNT(ChecklistRun.id), fn.SUM(on_time))
                       .where(cl_base).group_by(ChecklistRun.submitted_by).tuples()):
        if sid:
            r = row(sid)
            r.checklist_submitted, r.checklist_on_time = _int(n), _int(ok)
    for sid, n in (Approval.select(Approval.requested_by, fn.COUNT(Approval.id))
                   .where(Approval.store == store_id, Approval.at >= p.start, Approval.at < p.end)
                   .group_by(Approval.requested_by).tuples()):
        row(sid).overrides = _int(n)
    missing = []
    for name in EXTRA_FIGURES:
        provider = STAFF_FIGURES.get(name)
        if provider is None:
            missing.append(name)
            continue
        for sid, figure in provider(store_id, p.date_from, p.date_to).items():
            if sid in by or figure.value is not None:
                row(sid).extra[name] = figure
    rows = [r for r in by.values() if r.role != "trainer"]
    rows.sort(key=lambda r: (-r.net_amount, -r.sales_count, -(r.conversion or 0), r.code))
    for i, r in enumerate(rows, start=1):
        r.rank = i
    n, ok = ChecklistRun.select(fn.COUNT(ChecklistRun.id), fn.SUM(on_time)).where(cl_base).tuples().get()
    return StaffReport(p, rows, missing, p.days, _int(n), _int(ok))


# -- drill-down: the records behind a figure ----------------------------------------------------

@dataclass
class DrillRow:
    kind: str  # sale | return | visit | approval | checklist | (after-sales kinds)
    id: int
    at: dt.datetime | None  # store-local
    label: str
    amount: int | None
    detail: str


DRILL_FIGURES = ("sales", "returns", "discounts", "visits", "sold_visits", "overrides", "checklist", "surveys",
                 "followups")
# name -> fn(store_id, date_from, date_to, staff_id) -> [DrillRow]; after-sales adds its own.
DRILLS: dict[str, Callable[[int, dt.date, dt.date, int], list[DrillRow]]] = {}


def drill(store_id: int, date_from: dt.date, date_to: dt.date | None, staff_id: int, figure: str = "sales",
          *, limit: int | None = None) -> list[DrillRow]:
    """The records behind one staff figure (newest first)."""
    p = period(store_id, date_from, date_to)
    if figure in DRILLS:
        return DRILLS[figure](store_id, p.date_from, p.date_to, staff_id)
    if figure in ("sales", "returns"):
        orig = Sale.alias("orig")
        q = (Sale.select(Sale.id, Sale.kind, Sale.created_at, Sale.total, Sale.discount, Sale.paid,
                         Sale.balance_due, Customer.name)
             .join(orig, JOIN.LEFT_OUTER, on=(Sale.original == orig.id)).switch(Sale)
             .join(Customer, JOIN.LEFT_OUTER, on=(Sale.customer == Customer.id))
             .where(_sales_in(p), fn.COALESCE(orig.staff, Sale.staff) == staff_id,
                    Sale.kind == ("sale" if figure == "sales" else "return"))
             .order_by(Sale.created_at.desc(), Sale.id.desc()))
        rows = list((q.limit(limit) if limit else q).tuples())
        labels = _sale_labels({r[0] for r in rows})
        out = []
        for sid, kind, at, total, discount, paid, due, customer in rows:
            bits = [customer or ""]
            if discount:
                bits.append(t("report.drill_discount", amount=_money(discount)))
            if due:
                bits.append(t("report.drill_due", amount=_money(due)))
            out.append(DrillRow(kind, sid, p.local(at), labels.get(sid, ""), _int(total),
                                " · ".join(b for b in bits if b)))
        return out
    if figure == "discounts":
        return [DrillRow("sale", d.sale_id, d.at, d.receipt, d.amount,
                         t("report.drill_approved_by", name=d.approver) if d.approver else t("report.within_authority"))
                for d in reversed(_discounts(p, staff_id=staff_id))]
    if figure in ("visits", "sold_visits"):
        from storepos.services import visits as visits_service

        q = (Visit.select().join(Sale, JOIN.LEFT_OUTER, on=(Visit.sale_id == Sale.id))
             .where(_visit_base(p), Visit.staff == staff_id))
        if figure == "sold_visits":
            q = q.where(Sale.status == "completed")
        q = q.order_by(Visit.started_at.desc(), Visit.id.desc())
        return [DrillRow("visit", v.id, p.local(v.started_at), f"#{v.id}", v.budget, visits_service.summary(v))
                for v in (q.limit(limit) if limit else q)]
    if figure == "overrides":
        return [DrillRow("approval", a.id, a.at, a.kind_label, None,
                         f"{a.approved_by} · {a.record} · {a.reason}")
                for a in approvals_log(store_id, p.date_from, p.date_to, staff_id=staff_id, limit=limit)]
    if figure == "checklist":
        q = (ChecklistRun.select().where(ChecklistRun.store == store_id, ChecklistRun.business_date >= p.date_from,
                                         ChecklistRun.business_date <= p.date_to,
                                         ChecklistRun.submitted_by == staff_id)
             .order_by(ChecklistRun.business_date.desc()))
        return [DrillRow("checklist", r.id, p.local(r.first_submitted_at), r.business_date.isoformat(), None,
                         t(f"checklist.status.{r.status}") + (" " + t("checklist.late_mark") if r.late else ""))
                for r in q]
    raise ValueError(f"unknown figure {figure!r}")


# -- approvals log -----------------------------------------------------------------------------

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


def _records(pairs: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(entity, id) -> a readable name: receipt numbers, quote numbers, checklist dates…"""
    out: dict[tuple[str, str], str] = {}
    by_entity: dict[str, set[int]] = {}
    for entity, eid in pairs:
        if eid.isdigit():
            by_entity.setdefault(entity, set()).add(int(eid))
    for sid, label in _sale_labels(by_entity.get("sale", set())).items():
        out[("sale", str(sid))] = label
    if by_entity.get("quote"):
        for qid, number in Quote.select(Quote.id, Quote.number).where(Quote.id.in_(sorted(by_entity["quote"]))).tuples():
            out[("quote", str(qid))] = number
    if by_entity.get("checklist_run"):
        for rid, day in (ChecklistRun.select(ChecklistRun.id, ChecklistRun.business_date)
                         .where(ChecklistRun.id.in_(sorted(by_entity["checklist_run"]))).tuples()):
            out[("checklist_run", str(rid))] = t("report.record_checklist", date=_as_date(day).isoformat())
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


def approvals_log(store_id: int, date_from: dt.date, date_to: dt.date | None = None, *, kind: str | None = None,
                  staff_id: int | None = None, limit: int | None = None) -> list[ApprovalRow]:
    """Every manager override of the period (newest first): who asked, who approved, why, and the
    record it touched.  *staff_id* filters on who asked."""
    from storepos.services.core.approvals import KINDS

    p = period(store_id, date_from, date_to)
    q = (Approval.select().where(Approval.store == store_id, Approval.at >= p.start, Approval.at < p.end)
         .order_by(Approval.at.desc(), Approval.id.desc()))
    if kind:
        q = q.where(Approval.kind == kind)
    if staff_id is not None:
        q = q.where(Approval.requested_by == staff_id)
    rows = list(q.limit(limit) if limit else q)
    staff = _names({a.requested_by_id for a in rows} | {a.approved_by_id for a in rows})
    records = _records({(a.entity, a.entity_id) for a in rows})
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


# -- the last 30 days --------------------------------------------------------------------------

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
    """Net sales, sales count, visits and conversion per business day, oldest first."""
    store = get_store(store_id)
    date_to = date_to or business_date(store)
    date_from = date_to - dt.timedelta(days=days - 1)
    p = period(store_id, date_from, date_to)
    points = {date_from + dt.timedelta(days=i): DayPoint(date_from + dt.timedelta(days=i)) for i in range(days)}
    off_a, off_b = _utc_offset_minutes(p.tz, date_from), _utc_offset_minutes(p.tz, date_to)
    count_sale = fn.SUM(Case(None, [(Sale.kind == "sale", 1)], 0))
    if off_a == off_b:
        day = _local_date(Sale.created_at, off_a)
        for d, n, total in (Sale.select(day, count_sale, fn.SUM(Sale.total)).where(_sales_in(p))
                            .group_by(day).tuples()):
            point = points.get(_as_date(d))
            if point is not None:
                point.sales_count, point.net_amount = _int(n), _int(total)
    else:  # a change of UTC offset inside the window: one indexed query per day
        for d, point in points.items():
            q = period(store_id, d)
            n, total = Sale.select(count_sale, fn.SUM(Sale.total)).where(_sales_in(q)).tuples().get()
            point.sales_count, point.net_amount = _int(n), _int(total)
    sold = Case(None, [(Sale.status == "completed", 1)], 0)
    for d, n, s in (Visit.select(Visit.business_date, fn.COUNT(Visit.id), fn.SUM(sold))
                    .join(Sale, JOIN.LEFT_OUTER, on=(Visit.sale_id == Sale.id))
                    .where(_visit_base(p)).group_by(Visit.business_date).tuples()):
        point = points.get(_as_date(d))
        if point is not None:
            point.visits, point.sold_visits = _int(n), _int(s)
    return [points[d] for d in sorted(points)]


# -- CSV (the CLI and the screens write the same) ----------------------------------------------

def _money(fen: int | None) -> str:
    return "" if fen is None else f"{from_fen(int(fen)):.2f}"


def _pct(x: float | None) -> str:
    return "" if x is None else f"{x * 100:.1f}"


def _ts(at: dt.datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S") if at else ""


DAILY_HEAD = ["section", "key", "label", "count", "amount", "note"]


def daily_csv(r: DailyReport) -> list[list[str]]:
    """The daily report as rows of (section, key, label, count, amount, note); amounts in yuan."""
    p = r.period
    rows: list[list[str]] = [DAILY_HEAD,
                             ["period", "from", p.date_from.isoformat(), "", "", ""],
                             ["period", "to", p.date_to.isoformat(), "", "", ""]]
    rows += [["summary", "sales", t("report.sales"), str(r.sales_count), _money(r.sales_amount), ""],
             ["summary", "gross", t("report.gross"), "", _money(r.sales_gross), ""],
             ["summary", "returns", t("report.returns"), str(r.returns_count), _money(r.returns_amount), ""],
             ["summary", "net", t("report.net"), "", _money(r.net_amount), ""],
             ["summary", "voids", t("report.voids"), str(r.voids_count), _money(r.voids_amount), ""],
             ["summary", "vat", t("report.vat"), "", _money(r.vat), ""],
             ["summary", "items", t("report.items"), str(r.items), "", ""],
             ["summary", "discounts", t("report.discounts"), str(r.discount_count), _money(r.discount_total), ""],
             ["summary", "overrides", t("report.overrides"), str(r.overrides_count), "", ""]]
    for m in r.by_method:
        for kind in PAYMENT_KINDS:
            rows.append([f"method_{kind}", m.method, m.label, "", _money(getattr(m, kind)), ""])
        rows.append(["method", m.method, m.label, str(m.count), _money(m.net), ""])
    for c in r.by_category:
        rows.append(["category", c.code, c.label, str(c.qty), _money(c.amount), ""])
    for d in r.discounts:
        rows.append(["discount", d.receipt, d.staff, "1", _money(d.amount),
                     f"{d.approver}: {d.reason}" if d.approver else ""])
    for kind, label, n in r.overrides:
        rows.append(["override", kind, label, str(n), "", ""])
    for s in r.sessions:
        rows.append(["register", str(s.id), s.terminal, "", _money(s.difference),
                     f"{_ts(s.opened_at)} {s.opened_by} / {_ts(s.closed_at)} {s.closed_by}"
                     f" expected {_money(s.expected)} counted {_money(s.counted)}"
                     + (f" approved {s.approver}" if s.approver else "")])
    rows += [["deposit", "taken", t("report.deposits"), str(r.deposit_count), _money(r.deposit_taken), ""],
             ["deposit", "due", t("report.balance_due"), str(r.due_count), _money(r.due_amount), ""],
             ["deposit", "collected", t("report.balances_collected"), "", _money(r.balances_collected), ""]]
    for rec in r.receivables:
        rows.append(["receivable", rec.receipt, rec.customer, "1", _money(rec.amount), rec.due_date.isoformat()])
    return rows


FUNNEL_HEAD = ["section", "code", "name", "visits", "needs", "quoted", "sold", "conversion_pct",
               "avg_approach_s", "avg_duration_s"]


def funnel_csv(f: Funnel) -> list[list[str]]:
    def line(section: str, r: FunnelRow) -> list[str]:
        return [section, r.code, r.name, str(r.visits), str(r.needs), str(r.quoted), str(r.sold), _pct(r.conversion),
                "" if r.approach_avg is None else str(r.approach_avg),
                "" if r.duration_avg is None else str(r.duration_avg)]

    rows = [FUNNEL_HEAD] + [line("staff", r) for r in f.rows] + [line("store", f.total)]
    rows += [["leave_reason", code, label, str(n), "", "", "", "", "", ""] for code, label, n in f.leave_reasons]
    rows += [["outcome", code, label, str(n), "", "", "", "", "", ""] for code, label, n in f.outcomes]
    return rows


STAFF_HEAD = ["rank", "code", "name", "sales_count", "sales_amount", "returns_amount", "net_amount", "avg_ticket",
              "visits", "sold_visits", "conversion_pct", "satisfaction", "checklist_on_time", "checklist_submitted",
              "followups_on_time", "overrides", "discounts"]


def staff_csv(s: StaffReport) -> list[list[str]]:
    rows = [STAFF_HEAD]
    for r in s.rows:
        sat = r.extra.get("satisfaction")
        fol = r.extra.get("followups_on_time")
        rows.append([str(r.rank), r.code, r.name, str(r.sales_count), _money(r.sales_amount),
                     _money(r.returns_amount), _money(r.net_amount), _money(r.avg_ticket), str(r.visits),
                     str(r.sold_visits), _pct(r.conversion), sat.text if sat and sat.value is not None else "",
                     str(r.checklist_on_time), str(r.checklist_submitted),
                     fol.text if fol and fol.value is not None else "", str(r.overrides),
                     _money(r.discount_amount)])
    return rows


APPROVALS_HEAD = ["at", "kind", "requested_by", "approved_by", "reason", "entity", "entity_id", "record"]


def approvals_csv(rows: list[ApprovalRow]) -> list[list[str]]:
    return [APPROVALS_HEAD] + [[_ts(a.at), a.kind, a.requested_by, a.approved_by, a.reason, a.entity, a.entity_id,
                                a.record] for a in rows]


def csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def export_csv(rows: list[list[str]], home: Path, kind: str, store_code: str, date_from: dt.date,
               date_to: dt.date) -> Path:
    """Write *rows* to HOME/exports/<kind>-<store>-<from>_<to>.csv (UTF-8 with BOM, so a
    spreadsheet opens the Chinese right).  Returns the path."""
    folder = Path(home) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{kind}-{store_code}-{date_from.isoformat()}"
    if date_to != date_from:
        name += f"_{date_to.isoformat()}"
    path = folder / f"{name}.csv"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(csv_text(rows), encoding="utf-8-sig")
    tmp.replace(path)
    return path


def read_csv(path: Path) -> list[list[str]]:
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        return [row for row in csv.reader(fh)]


def store_of(store_id: int) -> Store:
    return get_store(store_id)


# -- after-sales figures (issue 8): satisfaction, follow-ups done on time ------------------------

@staff_figure("satisfaction")
def _satisfaction(store_id: int, date_from: dt.date, date_to: dt.date) -> dict[int, StaffFigure]:
    from storepos.models.aftersales import SurveyResponse

    p = period(store_id, date_from, date_to)
    out = {}
    for sid, n, total in (SurveyResponse.select(SurveyResponse.sold_by, fn.COUNT(SurveyResponse.id),
                                                fn.SUM(SurveyResponse.average_x100))
                          .where(SurveyResponse.store == store_id, SurveyResponse.created_at >= p.start,
                                 SurveyResponse.created_at < p.end)
                          .group_by(SurveyResponse.sold_by).tuples()):
        n, total = _int(n), _int(total)
        if n:
            # mean of the averages, two decimals half-up, from integers
            x100 = (2 * total + n) // (2 * n)
            out[sid] = StaffFigure(x100 / 100, f"{x100 // 100}.{x100 % 100:02d}", n)
    return out


@staff_figure("followups_on_time")
def _followups_on_time(store_id: int, date_from: dt.date, date_to: dt.date) -> dict[int, StaffFigure]:
    from storepos.models.aftersales import FollowUp

    on_time = Case(None, [(FollowUp.on_time == True, 1)], 0)  # noqa: E712
    out = {}
    for sid, n, ok in (FollowUp.select(FollowUp.owner, fn.COUNT(FollowUp.id), fn.SUM(on_time))
                       .where(FollowUp.store == store_id, FollowUp.first_due >= date_from,
                              FollowUp.first_due <= date_to, FollowUp.status != "cancelled")
                       .group_by(FollowUp.owner).tuples()):
        n, ok = _int(n), _int(ok)
        if n:
            out[sid] = StaffFigure(ok / n, f"{ok}/{n}", n)
    return out


def _drill_surveys(store_id: int, date_from: dt.date, date_to: dt.date, staff_id: int) -> list[DrillRow]:
    from storepos.models.aftersales import SurveyResponse

    p = period(store_id, date_from, date_to)
    rows = list(SurveyResponse.select().where(SurveyResponse.store == store_id, SurveyResponse.sold_by == staff_id,
                                              SurveyResponse.created_at >= p.start, SurveyResponse.created_at < p.end)
                .order_by(SurveyResponse.created_at.desc()))
    labels = _sale_labels({r.sale_id for r in rows})
    return [DrillRow("survey", r.id, p.local(r.created_at), labels.get(r.sale_id, ""), None,
                     t("report.drill_survey", average=f"{r.average_x100 / 100:.2f}", lowest=r.lowest,
                       comment=r.comment or DASH)) for r in rows]


def _drill_followups(store_id: int, date_from: dt.date, date_to: dt.date, staff_id: int) -> list[DrillRow]:
    from storepos.models.aftersales import FollowUp
    from storepos.services.aftersales import kind_label

    p = period(store_id, date_from, date_to)
    rows = list(FollowUp.select().where(FollowUp.store == store_id, FollowUp.owner == staff_id,
                                        FollowUp.first_due >= date_from, FollowUp.first_due <= date_to,
                                        FollowUp.status != "cancelled")
                .order_by(FollowUp.first_due.desc(), FollowUp.id.desc()))
    out = []
    for f in rows:
        state = t("report.on_time") if f.on_time else (t("report.late") if f.status == "done" else
                                                        t("report.not_done"))
        out.append(DrillRow("followup", f.id, p.local(f.done_at), f"{_as_date(f.first_due).isoformat()} {kind_label(f.kind)}",
                            None, state))
    return out


DRILLS["surveys"] = _drill_surveys
DRILLS["followups"] = _drill_followups


__all__ = [
    "DRILLS",
    "STAFF_FIGURES",
    "ApprovalRow",
    "DailyReport",
    "DayPoint",
    "DrillRow",
    "Funnel",
    "FunnelRow",
    "Period",
    "StaffFigure",
    "StaffReport",
    "StaffRow",
    "approvals_csv",
    "approvals_log",
    "daily",
    "daily_csv",
    "daily_series",
    "default_day",
    "drill",
    "export_csv",
    "funnel",
    "funnel_csv",
    "peewee",
    "read_csv",
    "require_desk",
    "staff_csv",
    "staff_figure",
    "staff_performance",
]
