"""The five checks of SOP §5 (A–E) before a sale, and the manager's overrides of each.

A the sale matches its quote, B stock covers every line, C no overdue account, D within the credit
limit (C and D only for the part on account), E within the seller's authority (discount percent,
floor price).  A check that fails stays failed unless a manager's Approval of the right kind, for
this cart, overrides it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from storepos.i18n import t
from storepos.models import Approval, Customer, Product, Receivable, Store
from storepos.money import fmt, to_fen
from storepos.services.checkout.cart import ZERO, Cart, plan_of
from storepos.services.core import sop
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError
from storepos.services.core.store import business_date, get_store, settings_of

# check code -> the Approval kinds that override it
OVERRIDE_KINDS: dict[str, tuple[str, ...]] = {
    "quote_match": ("quote_match",),
    "stock": ("stock",),
    "overdue_days": ("credit",),
    "credit_limit": ("credit",),
    "authority": ("discount", "price_floor"),
}


@dataclass(frozen=True)
class CheckResult:
    """One check of SOP §5.  ``ok`` when it does not apply, passed, or a manager overrode it."""

    code: str
    letter: str
    applies: bool
    passed: bool
    key: str  # i18n message saying why (or that all is well)
    params: dict[str, Any] = field(default_factory=dict)
    over_by: str = ""  # how far over, formatted ("3 units", "15 days", "¥1,200.00", "5.00%")
    approval_id: int | None = None
    approval_kind: str = ""  # the kind of approval that overrides it

    @property
    def ok(self) -> bool:
        return (not self.applies) or self.passed or self.approval_id is not None

    @property
    def overridden(self) -> bool:
        return self.applies and not self.passed and self.approval_id is not None

    @property
    def label(self) -> str:
        for entry in sop.entries("checkout_checks", "checks"):
            if entry.code == self.code:
                return entry.label
        return self.code

    @property
    def message(self) -> str:
        return t(self.key, **self.params)


class ChecksFailed(DomainError):
    """Checks that failed without an override; ``results`` holds all five."""

    def __init__(self, results: list[CheckResult]) -> None:
        failed = [r for r in results if not r.ok]
        super().__init__("err.checks_failed", letters=", ".join(r.letter for r in failed))
        self.results = results
        self.failed = failed


@dataclass(frozen=True)
class Credit:
    owed: int  # fen outstanding on account
    oldest_days: int  # age in days of the oldest unpaid on-account sale
    limit: int
    days: int


def customer_credit(customer: Customer, today: dt.date) -> Credit:
    """What *customer* owes on account today, the age of the oldest unpaid part, and their terms."""
    rows = list(Receivable.select(Receivable.amount, Receivable.paid, Receivable.credited,
                                  Receivable.business_date)
                .where(Receivable.customer == customer.id).tuples())
    owed = 0
    oldest = 0
    for amount, paid, credited, day in rows:
        out = amount - paid - credited
        if out > 0:
            owed += out
            if isinstance(day, str):
                day = dt.date.fromisoformat(day)
            oldest = max(oldest, (today - day).days)
    return Credit(owed, oldest, customer.credit_limit, customer.credit_days)


def _approval_ok(actor: Actor, approval_id: int | None, kinds: tuple[str, ...], cart_uuid: str) -> int | None:
    if approval_id is None:
        return None
    row = Approval.get_or_none(Approval.id == approval_id, Approval.store == actor.store_id)
    if row is None or row.kind not in kinds or row.entity_id not in ("", cart_uuid):
        return None
    return row.id


@dataclass
class _Results:
    """The results so far, each with its override looked up when it failed."""

    actor: Actor
    cart_uuid: str
    approvals: dict[str, int]
    letters: dict[str, str]
    out: list[CheckResult] = field(default_factory=list)

    def add(self, code: str, applies: bool, passed: bool, key: str, over_text: str = "", **params: Any) -> None:
        kinds = OVERRIDE_KINDS[code]
        appr = (_approval_ok(self.actor, self.approvals.get(code), kinds, self.cart_uuid)
                if applies and not passed else None)
        self.out.append(CheckResult(code, self.letters.get(code, "?"), applies, passed, key, params, over_text,
                                    appr, kinds[0]))


def run_checks(actor: Actor, cart: Cart, *, on_account: Decimal = ZERO,
               approvals: dict[str, int] | None = None, store: Any = None) -> list[CheckResult]:
    """The five checks of SOP §5 against the database as it is now (call again inside the sale's
    transaction), in the order A, B, C, D, E.  *approvals* maps a check code to a manager's
    Approval id (default: the cart's); *store* the actor's store when the caller has read it.
    Raises nothing: a failed check is a result."""
    letters = {e.code: str(e.get("letter", "")) for e in sop.entries("checkout_checks", "checks")}
    results = _Results(actor, cart.uuid, dict(cart.approvals if approvals is None else approvals), letters)
    store = store if store is not None and store.id == actor.store_id else get_store(actor.store_id)
    _check_quote_match(results, cart)
    _check_stock(results, cart, allow_negative=settings_of(store).allow_negative_stock)
    _check_credit(results, cart, on_account, store)
    _check_authority(results, cart, actor.discount_authority)
    return results.out


def _check_quote_match(results: _Results, cart: Cart) -> None:
    """A: the lines are the quote's (or order's) plan, unchanged."""
    if cart.plan is None:
        results.add("quote_match", False, True, "check.not_applicable")
        return
    diff = Counter(cart.plan)
    diff.subtract(Counter(plan_of(cart.lines)))
    changed = sum(abs(v) for v in diff.values())
    results.add("quote_match", True, changed == 0, "check.quote_match_fail" if changed else "check.quote_match_ok",
                t("check.lines_n", n=changed) if changed else "", n=changed)


def _check_stock(results: _Results, cart: Cart, *, allow_negative: bool) -> None:
    """B: stock on hand covers every line (passes anyway where the store allows negative stock)."""
    need: Counter[int] = Counter()
    for ln in cart.lines:
        need[ln.product_id] += ln.qty
    on_hand = dict(Product.select(Product.id, Product.stock).where(Product.id.in_(list(need) or [0])).tuples())
    short = [(pid, q, on_hand.get(pid, 0)) for pid, q in need.items() if q > on_hand.get(pid, 0)]
    if not cart.lines:
        results.add("stock", False, True, "check.not_applicable")
    elif short and allow_negative:
        results.add("stock", True, True, "check.stock_negative_allowed")
    elif short:
        pid, q, have = short[0]
        sku = next(ln.sku for ln in cart.lines if ln.product_id == pid)
        units = sum(q - h for _p, q, h in short)
        results.add("stock", True, False, "check.stock_fail", t("check.units_n", n=units), sku=sku, need=q,
                    have=have, short=q - have, lines=len(short))
    else:
        results.add("stock", True, True, "check.stock_ok")


def _check_credit(results: _Results, cart: Cart, on_account: Decimal, store: Store) -> None:
    """C and D: the customer's credit terms, only for the part on account."""
    if on_account <= 0:
        results.add("overdue_days", False, True, "check.not_applicable")
        results.add("credit_limit", False, True, "check.not_applicable")
        return
    customer = Customer.get_or_none(Customer.id == cart.customer_id) if cart.customer_id else None
    if customer is None:
        results.add("overdue_days", True, False, "check.no_customer")
        results.add("credit_limit", True, False, "check.no_customer")
        return
    credit = customer_credit(customer, business_date(store))
    over_days = credit.oldest_days - credit.days
    results.add("overdue_days", True, over_days <= 0,
                "check.overdue_fail" if over_days > 0 else "check.overdue_ok",
                t("check.days_n", n=over_days) if over_days > 0 else "",
                age=credit.oldest_days, days=credit.days, over=max(over_days, 0))
    after = credit.owed + to_fen(on_account)
    over_fen = after - credit.limit
    results.add("credit_limit", True, over_fen <= 0,
                "check.credit_fail" if over_fen > 0 else "check.credit_ok",
                fmt(over_fen, fen=True) if over_fen > 0 else "",
                owed=fmt(credit.owed, fen=True), this=fmt(on_account), limit=fmt(credit.limit, fen=True),
                over=fmt(max(over_fen, 0), fen=True))


def _check_authority(results: _Results, cart: Cart, authority: int) -> None:
    """E: within the seller's authority (discount percent, floor price).  A quote's locked lines
    were approved on the quote, so only the editable lines count; the first problem is named."""
    problems: list[tuple[str, str, dict[str, Any]]] = []
    for ln in cart.lines:
        if ln.locked:
            continue
        pct = ln.effective_percent
        if pct > authority:
            problems.append(("check.authority_discount", f"{pct - authority:.2f}%",
                             {"sku": ln.sku, "percent": f"{pct:.2f}", "authority": authority}))
        if ln.qty and ln.floor_price and ln.total < ln.floor_price * ln.qty:
            gap = ln.floor_price * ln.qty - ln.total
            problems.append(("check.authority_floor", fmt(gap),
                             {"sku": ln.sku, "net": fmt(ln.total), "floor": fmt(ln.floor_price * ln.qty)}))
    if problems:
        key, over, params = problems[0]
        results.add("authority", True, False, key, over, **params)
    else:
        results.add("authority", any(not ln.locked for ln in cart.lines), True, "check.authority_ok")
