"""The daily report of a store for one business day or a range: sales, returns and voids, money
by payment method, sales by category, discounts and who approved them, manager overrides, the
registers, deposits and balances due, receivables.

Definitions (the tests hold the code to them):
- sales: completed documents of kind "sale" made in the period (a voided sale is not a sale);
  returns: completed "return" documents made in the period (negative amounts);
  net = sales + returns.  By category adds up to net exactly (lines carry the discounts).
- voids: sales voided in the period (by ``voided_at``), whatever day they were made.
- by payment method: money moved in the period by method, split by the payment's kind
  (taken at a sale, balance collected later, refunded on a return, paid back on a void).
- deposits and balances due: deposit sales of the period and what they took; balances still due
  on the period's sales; balances collected in the period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peewee import JOIN, fn

from storepos.i18n import pick, t
from storepos.models import (
    Approval,
    Category,
    Customer,
    Payment,
    Product,
    Receivable,
    RegisterSession,
    Sale,
    SaleLine,
    Terminal,
)
from storepos.services.core.approvals import KINDS
from storepos.services.reports.labels import receipt_labels, staff_by_id
from storepos.services.reports.periods import Period, period, sales_in
from storepos.services.reports.sql import as_date, as_int

METHODS = ("cash", "card", "wechat", "alipay", "account")
PAYMENT_KINDS = ("sale", "balance", "refund", "void")

# Approvals are looked up by sale id in chunks, under every database's limit on bound parameters.
APPROVAL_CHUNK = 500


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
    """One register session that was open during the period."""

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
    """The daily report of a store for one business day or a range (inclusive).  Raises NotFound
    for an unknown store."""
    p = period(store_id, date_from, date_to)
    r = DailyReport(p)
    _add_sales_and_returns(r)
    _add_voids(r)
    _add_payment_methods(r)
    _add_categories(r)
    _add_discounts(r)
    r.overrides = _overrides(p)
    r.sessions = register_sessions(p)
    _add_deposits(r)
    r.receivables = _receivables(p)
    return r


def _add_sales_and_returns(r: DailyReport) -> None:
    for kind, count, total, subtotal, vat in (
            Sale.select(Sale.kind, fn.COUNT(Sale.id), fn.SUM(Sale.total), fn.SUM(Sale.subtotal), fn.SUM(Sale.vat))
            .where(sales_in(r.period)).group_by(Sale.kind).tuples()):
        r.vat += as_int(vat)
        if kind == "sale":
            r.sales_count, r.sales_amount, r.sales_gross = as_int(count), as_int(total), as_int(subtotal)
        elif kind == "return":
            r.returns_count, r.returns_amount = as_int(count), as_int(total)


def _add_voids(r: DailyReport) -> None:
    """Voids count on the day they were voided, not the day the sale was made."""
    p = r.period
    count, total = (Sale.select(fn.COUNT(Sale.id), fn.SUM(Sale.total))
                    .where(Sale.store == p.store_id, Sale.status == "voided", Sale.voided_at >= p.start,
                           Sale.voided_at < p.end).tuples().get())
    r.voids_count, r.voids_amount = as_int(count), as_int(total)


def _add_payment_methods(r: DailyReport) -> None:
    """Money moved in the period, by method and the payment's kind."""
    p = r.period
    rows: dict[str, MethodRow] = {}
    for method, kind, n, amount in (
            Payment.select(Payment.method, Payment.kind, fn.COUNT(Payment.id), fn.SUM(Payment.amount))
            .join(Sale, on=(Payment.sale == Sale.id))
            .where(Sale.store == p.store_id, Payment.created_at >= p.start, Payment.created_at < p.end)
            .group_by(Payment.method, Payment.kind).tuples()):
        row = rows.setdefault(method, MethodRow(method))
        row.count += as_int(n)
        if kind in PAYMENT_KINDS:
            setattr(row, kind, getattr(row, kind) + as_int(amount))
        else:  # pragma: no cover - unknown kind: keep it visible as taken
            row.sale += as_int(amount)
    order = {m: i for i, m in enumerate(METHODS)}
    r.by_method = sorted(rows.values(), key=lambda x: (order.get(x.method, 99), x.method))
    r.balances_collected = sum(x.balance for x in r.by_method)


def _add_categories(r: DailyReport) -> None:
    """Sales by category, net of returns (the lines carry their discounts)."""
    cat_rows = (SaleLine.select(Category.code, Category.name_zh, Category.name_en,
                                fn.SUM(SaleLine.qty), fn.SUM(SaleLine.line_total))
                .join(Sale, on=(SaleLine.sale == Sale.id))
                .join(Product, on=(SaleLine.product == Product.id))
                .join(Category, JOIN.LEFT_OUTER, on=(Product.category == Category.id))
                .where(sales_in(r.period))
                .group_by(Category.code, Category.name_zh, Category.name_en).tuples())
    for code, zh, en, qty, amount in cat_rows:
        r.by_category.append(CategoryRow(code or "", pick(zh, en) if code else t("report.no_category"),
                                         as_int(qty), as_int(amount)))
        r.items += as_int(qty)
    r.by_category.sort(key=lambda c: (-c.amount, c.code))


def _add_discounts(r: DailyReport) -> None:
    """Discounts given, and who approved which."""
    r.discounts = discounts_given(r.period)
    r.discount_total = sum(d.amount for d in r.discounts)
    r.discount_count = len(r.discounts)
    grouped: dict[tuple[str, str], DiscountByStaff] = {}
    for d in r.discounts:
        g = grouped.setdefault((d.staff, d.approver), DiscountByStaff(d.staff, d.approver, 0, 0))
        g.count += 1
        g.amount += d.amount
    r.discounts_by_staff = sorted(grouped.values(), key=lambda g: (-g.amount, g.staff, g.approver))


def _overrides(p: Period) -> list[tuple[str, str, int]]:
    """Manager overrides of every kind: (kind, label, count), known kinds first in their order."""
    kinds = dict(Approval.select(Approval.kind, fn.COUNT(Approval.id))
                 .where(Approval.store == p.store_id, Approval.at >= p.start, Approval.at < p.end)
                 .group_by(Approval.kind).tuples())
    out = [(k, t(f"approval.kind.{k}"), as_int(kinds[k])) for k in KINDS if kinds.get(k)]
    out += [(k, k, as_int(n)) for k, n in sorted(kinds.items()) if k not in KINDS]
    return out


def _add_deposits(r: DailyReport) -> None:
    """Deposit sales and what they took; balances still due on the period's sales."""
    base = sales_in(r.period)
    count, taken = (Sale.select(fn.COUNT(Sale.id), fn.SUM(Sale.paid))
                    .where(base, Sale.kind == "sale", Sale.deposit == True).tuples().get())
    r.deposit_count, r.deposit_taken = as_int(count), as_int(taken)
    count, due = (Sale.select(fn.COUNT(Sale.id), fn.SUM(Sale.balance_due))
                  .where(base, Sale.kind == "sale", Sale.balance_due > 0).tuples().get())
    r.due_count, r.due_amount = as_int(count), as_int(due)


def _receivables(p: Period) -> list[ReceivableRow]:
    """What was sold on account in the period."""
    recs = list(Receivable.select(Receivable.sale, Customer.name, Receivable.amount, Receivable.due_date)
                .join(Customer, on=(Receivable.customer == Customer.id))
                .where(Receivable.store == p.store_id, Receivable.business_date >= p.date_from,
                       Receivable.business_date <= p.date_to)
                .order_by(Receivable.id).tuples())
    labels = receipt_labels({sid for sid, *_ in recs})
    return [ReceivableRow(sid, labels.get(sid, ""), name, as_int(amount), as_date(due))
            for sid, name, amount, due in recs]


def discounts_given(p: Period, *, staff_id: int | None = None) -> list[DiscountRow]:
    """The period's discounted sales (oldest first), each with the approval behind it, if any;
    *staff_id* keeps one seller's."""
    q = (Sale.select(Sale.id, Sale.created_at, Sale.staff, Sale.discount)
         .where(sales_in(p), Sale.kind == "sale", Sale.discount > 0))
    if staff_id is not None:
        q = q.where(Sale.staff == staff_id)
    rows = list(q.order_by(Sale.created_at, Sale.id).tuples())
    approvals = _discount_approvals([str(sid) for sid, *_ in rows])
    staff = staff_by_id({s for _i, _a, s, _d in rows} | {by for _a, by, _r in approvals.values()})
    labels = receipt_labels({sid for sid, *_ in rows})
    out = []
    for sid, at, seller, discount in rows:
        appr = approvals.get(str(sid))
        out.append(DiscountRow(sid, labels.get(sid, ""), p.local(at), staff[seller].name if seller in staff else "",
                               as_int(discount), appr[0] if appr else None,
                               staff[appr[1]].name if appr and appr[1] in staff else "", appr[2] if appr else ""))
    return out


def _discount_approvals(sale_ids: list[str]) -> dict[str, tuple[int, int, str]]:
    """sale id (as the approval's entity id) -> (approval id, approved by, reason), the first
    discount or price-floor approval of each sale."""
    approvals: dict[str, tuple[int, int, str]] = {}
    for chunk in range(0, len(sale_ids), APPROVAL_CHUNK):
        for aid, eid, by, reason in (Approval.select(Approval.id, Approval.entity_id, Approval.approved_by,
                                                     Approval.reason)
                                     .where(Approval.entity == "sale",
                                            Approval.entity_id.in_(sale_ids[chunk:chunk + APPROVAL_CHUNK]),
                                            Approval.kind.in_(("discount", "price_floor")))
                                     .order_by(Approval.id).tuples()):
            approvals.setdefault(eid, (aid, by, reason))
    return approvals


def register_sessions(p: Period) -> list[SessionRow]:
    """The register sessions open at any time in the period: who opened and closed them, the
    counted difference and the manager who approved it."""
    rows = list(RegisterSession.select(RegisterSession, Terminal.code.alias("term"))
                .join(Terminal, on=(RegisterSession.terminal == Terminal.id))
                .where(RegisterSession.store == p.store_id, RegisterSession.opened_at < p.end,
                       (RegisterSession.closed_at.is_null()) | (RegisterSession.closed_at >= p.start))
                .order_by(RegisterSession.opened_at, RegisterSession.id).objects())
    approvers = dict(Approval.select(Approval.id, Approval.approved_by)
                     .where(Approval.id.in_([s.approval_id for s in rows if s.approval_id] or [0])).tuples())
    staff = staff_by_id({s.opened_by_id for s in rows} | {s.closed_by_id or 0 for s in rows}
                        | set(approvers.values()))

    def name(i: int | None) -> str:
        return staff[i].name if i in staff else ""

    return [SessionRow(s.id, s.term, name(s.opened_by_id), p.local(s.opened_at), s.float_amount,
                       name(s.closed_by_id), p.local(s.closed_at), s.expected, s.counted, s.difference,
                       name(approvers.get(s.approval_id)) if s.approval_id else "")
            for s in rows]

