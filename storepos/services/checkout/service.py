"""Checkout: start a cart, the five checks of SOP §5 (A–E), and the sale as ONE transaction.

``complete_sale`` writes header, lines, payments, stock, receivable and audit inside one
IMMEDIATE transaction (``@transactional``) and is idempotent on the cart's UUID: the sale row is
UNIQUE on it, so a retry returns the first sale.  Stock is taken with a guarded UPDATE so two
terminals can never sell the last unit twice (unless the store allows negative stock or a manager
approved it).  Void and returns live in services/returns.py; receipts in services/receipt.py.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import peewee

from storepos import clock
from storepos.db import transactional
from storepos.i18n import t
from storepos.models import (
    Approval,
    Customer,
    Payment,
    Product,
    ReceiptCounter,
    Receivable,
    Sale,
    SaleLine,
    Store,
    Terminal,
)
from storepos.money import fmt, from_fen, to_fen
from storepos.services.core import approvals as approvals_service
from storepos.services.core import audit, sop
import storepos.services.catalog as stock
from storepos.services.checkout.cart import (
    METHODS,
    NEEDS_REFERENCE,
    ZERO,
    Cart,
    CartLine,
    PaymentIn,
    SaleOptions,
    Totals,
)
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound
from storepos.services.core.numbers import parse_whole
from storepos.services import manifest
from storepos.services.home import Figure
from storepos.services.core.permissions import require
from storepos.services.register import current_session
from storepos.services.core.store import business_date, get_store, settings_of


# check code -> the Approval kinds that override it
OVERRIDE_KINDS: dict[str, tuple[str, ...]] = {
    "quote_match": ("quote_match",),
    "stock": ("stock",),
    "overdue_days": ("credit",),
    "credit_limit": ("credit",),
    "authority": ("discount", "price_floor"),
}

__all__ = ["Cart", "CartLine", "CheckResult", "ChecksFailed", "PaymentIn", "SaleOptions", "Totals",
           "complete_sale", "customer_credit", "run_checks", "start_cart"]


# -- starting a cart --------------------------------------------------------------------------

def start_cart(actor: Actor, *, lines: list[dict[str, Any]] | None = None, customer_id: int | None = None,
               quote_id: int | None = None, visit_id: int | None = None, locked: bool = False) -> Cart:
    """A new cart (fresh UUID) for *actor*'s store.

    *lines*: dicts with ``product_id``, ``qty`` (default 1) and optionally ``unit_price`` (Decimal
    yuan; default the product's price) and ``discount`` (Decimal yuan off the line) or
    ``discount_percent``.  With ``locked=True`` (a quote's lines) price, quantity and discount
    cannot change and check A compares the sale with these lines.  Raises DomainError for an
    unknown product or customer."""
    require(actor, "checkout.sell")
    cart = Cart(store_id=actor.store_id, customer_id=None, quote_id=quote_id, visit_id=visit_id,
                locked=locked)
    if customer_id is not None:
        if Customer.get_or_none(Customer.id == customer_id, Customer.store == actor.store_id) is None:
            raise NotFound("err.customer_not_found", field="customer_id")
        cart.customer_id = customer_id
    for raw in lines or []:
        product = Product.get_or_none(Product.id == raw["product_id"], Product.store == actor.store_id)
        if product is None:
            raise NotFound("err.product_not_found", field="product_id")
        qty = parse_whole(raw.get("qty", 1), field="qty")
        if qty < 1:
            raise DomainError("err.qty_min", field="qty")
        price = raw.get("unit_price")
        line = CartLine(product.id, product.sku, product.name_zh, product.name_en,
                        Decimal(str(price)) if price is not None else from_fen(product.price),
                        from_fen(product.floor_price), product.unit, qty,
                        Decimal(str(raw.get("discount", "0.00"))),
                        Decimal(str(raw["discount_percent"])) if raw.get("discount_percent") is not None else None,
                        locked=locked)
        cart.lines.append(line)
    if quote_id is not None or locked:
        cart.plan = plan_of(cart.lines)
    return cart


def plan_of(lines: list[CartLine]) -> list[tuple[int, int, Decimal, Decimal]]:
    return [(ln.product_id, ln.qty, ln.unit_price, ln.discount) for ln in lines]


# -- the checks A–E ---------------------------------------------------------------------------

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


def run_checks(actor: Actor, cart: Cart, *, on_account: Decimal = ZERO,
               approvals: dict[str, int] | None = None) -> list[CheckResult]:
    """The five checks of SOP §5 against the database as it is now (call again inside the sale's
    transaction).  *approvals* maps a check code to a manager's Approval id."""
    approvals = dict(cart.approvals if approvals is None else approvals)
    letters = {e.code: str(e.get("letter", "")) for e in sop.entries("checkout_checks", "checks")}
    store = get_store(actor.store_id)
    policy = settings_of(store)
    out: list[CheckResult] = []

    def result(code: str, applies: bool, passed: bool, key: str, over_text: str = "", **params: Any) -> None:
        kinds = OVERRIDE_KINDS[code]
        appr = _approval_ok(actor, approvals.get(code), kinds, cart.uuid) if applies and not passed else None
        out.append(CheckResult(code, letters.get(code, "?"), applies, passed, key, params, over_text, appr,
                               kinds[0]))

    # A: matches the quote / order plan
    if cart.plan is not None:
        diff = Counter(cart.plan)
        diff.subtract(Counter(plan_of(cart.lines)))
        changed = sum(abs(v) for v in diff.values())
        result("quote_match", True, changed == 0, "check.quote_match_fail" if changed else "check.quote_match_ok",
               t("check.lines_n", n=changed) if changed else "", n=changed)
    else:
        result("quote_match", False, True, "check.not_applicable")

    # B: stock covers every line
    need: Counter[int] = Counter()
    for ln in cart.lines:
        need[ln.product_id] += ln.qty
    stock = dict(Product.select(Product.id, Product.stock).where(Product.id.in_(list(need) or [0])).tuples())
    short = [(pid, q, stock.get(pid, 0)) for pid, q in need.items() if q > stock.get(pid, 0)]
    if not cart.lines:
        result("stock", False, True, "check.not_applicable")
    elif short and policy.allow_negative_stock:
        result("stock", True, True, "check.stock_negative_allowed")
    elif short:
        pid, q, have = short[0]
        sku = next(ln.sku for ln in cart.lines if ln.product_id == pid)
        units = sum(q - h for _p, q, h in short)
        result("stock", True, False, "check.stock_fail", t("check.units_n", n=units), sku=sku, need=q,
               have=have, short=q - have, lines=len(short))
    else:
        result("stock", True, True, "check.stock_ok")

    # C and D: credit terms, only for the part on account
    if on_account > 0:
        customer = Customer.get_or_none(Customer.id == cart.customer_id) if cart.customer_id else None
        if customer is None:
            result("overdue_days", True, False, "check.no_customer")
            result("credit_limit", True, False, "check.no_customer")
        else:
            credit = customer_credit(customer, business_date(store))
            over_days = credit.oldest_days - credit.days
            result("overdue_days", True, over_days <= 0,
                   "check.overdue_fail" if over_days > 0 else "check.overdue_ok",
                   t("check.days_n", n=over_days) if over_days > 0 else "",
                   age=credit.oldest_days, days=credit.days, over=max(over_days, 0))
            after = credit.owed + to_fen(on_account)
            over_fen = after - credit.limit
            result("credit_limit", True, over_fen <= 0,
                   "check.credit_fail" if over_fen > 0 else "check.credit_ok",
                   fmt(over_fen, fen=True) if over_fen > 0 else "",
                   owed=fmt(credit.owed, fen=True), this=fmt(on_account), limit=fmt(credit.limit, fen=True),
                   over=fmt(max(over_fen, 0), fen=True))
    else:
        result("overdue_days", False, True, "check.not_applicable")
        result("credit_limit", False, True, "check.not_applicable")

    # E: within the seller's authority (discount percent, floor price); a quote's locked lines
    # were approved on the quote.
    problems: list[tuple[str, str, dict[str, Any]]] = []
    for ln in cart.lines:
        if ln.locked:
            continue
        pct = ln.effective_percent
        if pct > actor.discount_authority:
            problems.append(("check.authority_discount", f"{pct - actor.discount_authority:.2f}%",
                             {"sku": ln.sku, "percent": f"{pct:.2f}", "authority": actor.discount_authority}))
        if ln.qty and ln.floor_price and ln.total < ln.floor_price * ln.qty:
            gap = ln.floor_price * ln.qty - ln.total
            problems.append(("check.authority_floor", fmt(gap),
                             {"sku": ln.sku, "net": fmt(ln.total), "floor": fmt(ln.floor_price * ln.qty)}))
    editable = [ln for ln in cart.lines if not ln.locked]
    if problems:
        key, over, params = problems[0]
        result("authority", True, False, key, over, **params)
    else:
        result("authority", bool(editable), True, "check.authority_ok")
    return out


# -- completing the sale ----------------------------------------------------------------------

def _validate_options(cart: Cart, policy: Any) -> SaleOptions:
    o = cart.options
    if o.fulfilment not in ("take", "deliver"):
        raise DomainError("err.not_allowed_value", field="fulfilment")
    mode = o.settle_mode or policy.fulfilment_mode
    if mode not in ("settle_then_deliver", "deliver_then_settle"):
        raise DomainError("err.not_allowed_value", field="settle_mode")
    if o.fulfilment == "deliver" and o.delivery_date is None:
        raise DomainError("err.delivery_date_required", field="delivery_date")
    if o.fulfilment == "take" and o.deposit:
        raise DomainError("err.deposit_needs_delivery", field="deposit")
    if o.invoice_kind not in ("", "ordinary", "special"):
        raise DomainError("err.not_allowed_value", field="invoice_kind")
    if o.invoice_kind and not o.invoice_title.strip():
        raise DomainError("err.invoice_title_required", field="invoice_title")
    if o.invoice_kind == "special" and not o.invoice_tax_no.strip():
        raise DomainError("err.invoice_tax_no_required", field="invoice_tax_no")
    return SaleOptions(o.fulfilment, mode, o.deposit, o.delivery_date, o.invoice_title.strip()[:200],
                       o.invoice_tax_no.strip()[:40], o.invoice_kind)


def _validate_payments(cart: Cart, payments: list[PaymentIn], totals: Totals, opts: SaleOptions,
                       policy: Any) -> tuple[Decimal, Decimal, Decimal]:
    """(paid, on account, money actually received) — or DomainError."""
    paid = ZERO
    for p in payments:
        if p.method not in METHODS:
            raise DomainError("err.not_allowed_value", field="method")
        if p.amount <= 0:
            raise DomainError("err.payment_positive", field="amount")
        if p.method in NEEDS_REFERENCE and not p.reference.strip():
            raise DomainError("err.reference_required", field="reference")
        if p.method == "account" and cart.customer_id is None:
            raise DomainError("err.account_needs_customer", field="method")
        if p.method != "cash" and p.tendered not in (ZERO, p.amount):
            raise DomainError("err.change_only_cash", field="amount")
        paid += p.amount
    on_account = sum((p.amount for p in payments if p.method == "account"), ZERO)
    received = paid - on_account
    if paid > totals.total:
        raise DomainError("err.overpaid", field="amount", remaining=f"{totals.total:.2f}")
    if paid < totals.total:
        partial_ok = opts.fulfilment == "deliver" and (opts.deposit or opts.settle_mode == "deliver_then_settle")
        if not partial_ok:
            raise DomainError("err.payments_short", field="amount", short=fmt(totals.total - paid))
        if opts.deposit and received <= 0:
            raise DomainError("err.deposit_empty", field="amount")
    if (policy.no_delivery_before_first_payment and opts.fulfilment == "deliver" and received <= 0
            and totals.total > 0):
        raise DomainError("err.delivery_before_payment", field="delivery_date")
    return paid, on_account, received


def _next_receipt_no(store_id: int, terminal: Terminal) -> int:
    """Bump the terminal's counter inside the sale's transaction (gapless: a rollback returns it)."""
    if ReceiptCounter.update(last_no=ReceiptCounter.last_no + 1).where(
            ReceiptCounter.terminal == terminal.id).execute() == 0:
        ReceiptCounter.create(store=store_id, terminal=terminal, last_no=1)
        return 1
    return ReceiptCounter.get(ReceiptCounter.terminal == terminal.id).last_no


def _take_stock(actor: Actor, product_id: int, qty: int, sale: Sale, *, allow_negative: bool) -> list[str]:
    """Take *qty* units for a sale through the stock ledger (issue 3's apply_move: a guarded
    conditional UPDATE plus StockMove rows, FIFO batches).  Returns the batch codes used."""
    result = stock.apply_move(actor, product_id, -qty, "sale", ref=f"sale:{sale.id}",
                              allow_negative=allow_negative)
    return [code for _bid, code, _q in result.batches]


def _put_back_stock(actor: Actor, product_id: int, qty: int, sale: Sale, *, reason: str = "return",
                    defective: bool = False, batch: str | None = None) -> None:
    """Put *qty* units back (a return or a void) through the stock ledger: to sellable stock
    (its first batch when known) or to the defective location."""
    if defective:
        stock.apply_move(actor, product_id, qty, reason, ref=f"sale:{sale.id}", location="defective")
    else:
        stock.apply_move(actor, product_id, qty, reason, ref=f"sale:{sale.id}", batch=batch or None)


def _sale_by_uuid(cart_uuid: str) -> Sale | None:
    """The sale made from a cart, if any.  The hot path (every checkout asks, twice) selects only
    the id: building the 40-column SELECT cost more than running it (bench/run.py, cProfile)."""
    sale_id = Sale.select(Sale.id).where(Sale.cart_uuid == cart_uuid).scalar()
    return Sale.get_by_id(sale_id) if sale_id is not None else None


def complete_sale(actor: Actor, cart: Cart, payments: list[PaymentIn] | None = None, *,
                  approvals: dict[str, int] | None = None, options: SaleOptions | None = None) -> Sale:
    """Issue the sale for *cart*: one IMMEDIATE transaction; idempotent on ``cart.uuid`` (a retry
    returns the sale already made).  Raises ChecksFailed (with the five results) when a check
    fails without an override, DomainError for anything else that says no; nothing is written
    then."""
    require(actor, "checkout.sell")
    if options is not None:
        cart.options = options
    if approvals is not None:
        cart.approvals = dict(approvals)
    pays = list(cart.payments if payments is None else payments)
    existing = _sale_by_uuid(cart.uuid)
    if existing is not None:
        return existing
    try:
        return _complete_sale_tx(actor, cart, pays)
    except peewee.IntegrityError:
        existing = _sale_by_uuid(cart.uuid)
        if existing is not None:
            return existing
        raise


@transactional
def _complete_sale_tx(actor: Actor, cart: Cart, pays: list[PaymentIn]) -> Sale:
    existing = _sale_by_uuid(cart.uuid)
    if existing is not None:
        return existing
    if cart.store_id != actor.store_id:
        raise DomainError("err.cart_other_store")
    if not cart.lines:
        raise DomainError("err.cart_empty")
    store: Store = get_store(actor.store_id)
    policy = settings_of(store)
    session = current_session(actor.store_id, actor.terminal)
    if session is None:
        raise DomainError("err.no_session", terminal=actor.terminal)
    opts = _validate_options(cart, policy)
    totals = cart.totals(policy.vat_rate_percent)
    paid, on_account, received = _validate_payments(cart, pays, totals, opts, policy)
    results = run_checks(actor, cart, on_account=on_account)
    if any(not r.ok for r in results):
        raise ChecksFailed(results)
    now = clock.now()
    terminal = Terminal.get_by_id(session.terminal_id)
    receipt_no = _next_receipt_no(store.id, terminal)
    total_fen = to_fen(totals.total)
    paid_fen = to_fen(paid)
    invoice_ok = bool(opts.invoice_kind) and received * 100 >= totals.total * policy.invoice_min_paid_percent
    delivered = opts.fulfilment == "take"
    used = {r.code: r.approval_id for r in results if r.overridden}
    sale = Sale.create(
        store=store.id, terminal=terminal, session=session, receipt_no=receipt_no, cart_uuid=cart.uuid,
        kind="sale", staff=actor.staff_id, customer=cart.customer_id, quote_id=cart.quote_id,
        visit_id=cart.visit_id, subtotal=to_fen(totals.subtotal), discount=to_fen(totals.discount),
        total=total_fen, paid=paid_fen, balance_due=total_fen - paid_fen, vat=to_fen(totals.vat),
        vat_rate_percent=policy.vat_rate_percent, fulfilment=opts.fulfilment, settle_mode=opts.settle_mode,
        deposit=opts.deposit, delivery_date=opts.delivery_date, delivered=delivered,
        delivered_at=now if delivered else None, status="completed", approvals=used,
        invoice_title=opts.invoice_title, invoice_tax_no=opts.invoice_tax_no, invoice_kind=opts.invoice_kind,
        invoice_issued=invoice_ok, invoice_issued_at=now if invoice_ok else None, created_at=now)
    allow_negative = policy.allow_negative_stock or "stock" in used
    for i, ln in enumerate(cart.lines, start=1):
        batches = _take_stock(actor, ln.product_id, ln.qty, sale, allow_negative=allow_negative)
        SaleLine.create(sale=sale, line_no=i, product=ln.product_id, sku=ln.sku, name_zh=ln.name_zh,
                        name_en=ln.name_en, qty=ln.qty, unit_price=to_fen(ln.unit_price),
                        line_discount=to_fen(ln.discount), line_total=to_fen(ln.total), batches=batches)
    for p in pays:
        Payment.create(sale=sale, session=session, method=p.method, amount=to_fen(p.amount),
                       tendered=to_fen(p.tendered) if p.method == "cash" else 0,
                       change=to_fen(p.change), reference=p.reference.strip()[:64], kind="sale", created_at=now)
    if on_account > 0:
        customer = Customer.get_by_id(cart.customer_id)
        day = business_date(store)
        Receivable.create(store=store.id, customer=customer, sale=sale, amount=to_fen(on_account),
                          business_date=day, due_date=day + dt.timedelta(days=customer.credit_days),
                          created_at=now)
    for approval_id in set(used.values()):
        approvals_service.attach(approval_id, "sale", sale.id)
    visit_id = cart.visit_id
    if cart.quote_id is not None:
        from storepos.services import quotes

        quote = quotes.mark_converted(cart.quote_id, sale.id, actor=actor)  # once only, in this transaction
        visit_id = visit_id or quote.visit_id
    if visit_id is not None:
        from storepos.services import visits

        visits.link_sale(actor, visit_id, sale.id)
    for hook in manifest.each(manifest.AFTER_SALE):  # after-sales schedules its follow-ups
        hook(actor, sale)
    audit.record(actor, "sale.complete", "sale", sale.id, after={
        "receipt": receipt_label(terminal.code, receipt_no), "cart": cart.uuid, "total": total_fen,
        "paid": paid_fen, "on_account": to_fen(on_account), "lines": len(cart.lines),
        "payments": [[p.method, to_fen(p.amount)] for p in pays], "approvals": used,
        "quote": cart.quote_id, "visit": cart.visit_id})
    return sale


def receipt_label(terminal_code: str, receipt_no: int) -> str:
    return f"{terminal_code}-{receipt_no:06d}"


def label_of(sale: Sale) -> str:
    return receipt_label(Terminal.get_by_id(sale.terminal_id).code, sale.receipt_no)


# -- after the sale: balance, delivery, invoice -----------------------------------------------

def _sale_for(actor: Actor, sale_id: int) -> Sale:
    sale = Sale.get_or_none(Sale.id == sale_id, Sale.store == actor.store_id)
    if sale is None:
        raise NotFound("err.sale_not_found")
    return sale


@transactional
def settle_balance(actor: Actor, sale_id: int, payments: list[PaymentIn]) -> Sale:
    """Take (part of) a sale's balance due, e.g. on delivery.  Cash lands in the open session."""
    require(actor, "checkout.sell")
    sale = _sale_for(actor, sale_id)
    if sale.status != "completed" or sale.kind != "sale":
        raise DomainError("err.sale_not_open")
    session = current_session(actor.store_id, actor.terminal)
    if session is None:
        raise DomainError("err.no_session", terminal=actor.terminal)
    total = sum((p.amount for p in payments), ZERO)
    if not payments or any(p.amount <= 0 for p in payments):
        raise DomainError("err.payment_positive", field="amount")
    if to_fen(total) > sale.balance_due:
        raise DomainError("err.overpaid", field="amount", remaining=f"{from_fen(sale.balance_due):.2f}")
    now = clock.now()
    for p in payments:
        if p.method == "account":
            raise DomainError("err.not_allowed_value", field="method")
        if p.method in NEEDS_REFERENCE and not p.reference.strip():
            raise DomainError("err.reference_required", field="reference")
        Payment.create(sale=sale, session=session, method=p.method, amount=to_fen(p.amount),
                       tendered=to_fen(p.tendered) if p.method == "cash" else 0, change=to_fen(p.change),
                       reference=p.reference.strip()[:64], kind="balance", created_at=now)
    Sale.update(paid=Sale.paid + to_fen(total), balance_due=Sale.balance_due - to_fen(total)).where(
        Sale.id == sale.id).execute()
    audit.record(actor, "sale.balance", "sale", sale.id, before={"balance_due": sale.balance_due},
                 after={"balance_due": sale.balance_due - to_fen(total)})
    return Sale.get_by_id(sale.id)


@transactional
def mark_delivered(actor: Actor, sale_id: int) -> Sale:
    """The goods have left the store.  Settle-then-deliver: only once nothing is due."""
    require(actor, "checkout.sell")
    sale = _sale_for(actor, sale_id)
    if sale.status != "completed" or sale.kind != "sale":
        raise DomainError("err.sale_not_open")
    if sale.delivered:
        return sale
    if sale.settle_mode == "settle_then_deliver" and sale.balance_due > 0:
        raise DomainError("err.settle_first", due=fmt(sale.balance_due, fen=True))
    Sale.update(delivered=True, delivered_at=clock.now()).where(Sale.id == sale.id).execute()
    audit.record(actor, "sale.delivered", "sale", sale.id, after={"delivered": True})
    return Sale.get_by_id(sale.id)


def received_of(sale: Sale) -> int:
    """Money actually received on a sale (fen): payments other than on account."""
    return sum(a for (a,) in Payment.select(Payment.amount).where(
        Payment.sale == sale.id, Payment.method != "account").tuples())


@transactional
def issue_invoice(actor: Actor, sale_id: int) -> Sale:
    """Issue the requested formal invoice once the store's paid-percent rule allows it."""
    require(actor, "checkout.sell")
    sale = _sale_for(actor, sale_id)
    if not sale.invoice_kind:
        raise DomainError("err.no_invoice_request")
    if sale.invoice_issued:
        return sale
    pct = settings_of(get_store(actor.store_id)).invoice_min_paid_percent
    received = received_of(sale)
    if received * 100 < sale.total * pct:
        raise DomainError("err.invoice_not_yet", percent=pct,
                          paid=f"{Decimal(received * 100) / sale.total if sale.total else 0:.0f}")
    Sale.update(invoice_issued=True, invoice_issued_at=clock.now()).where(Sale.id == sale.id).execute()
    audit.record(actor, "sale.invoice", "sale", sale.id, after={"invoice_issued": True})
    return Sale.get_by_id(sale.id)


# -- finding sales; home figure ---------------------------------------------------------------

def find_sale(actor: Actor, text: str) -> Sale:
    """A sale by receipt number: 'T1-000123', or '123' on this terminal."""
    import unicodedata

    raw = unicodedata.normalize("NFKC", text or "").strip().upper()
    code, _sep, number = raw.rpartition("-")
    # ASCII digits, at most 9 (found by the UI fuzz test: "９"*30 overflowed SQLite's INTEGER,
    # and "²".isdigit() is True but int("²") fails)
    if not (number.isascii() and number.isdigit() and len(number) <= 9):
        raise NotFound("err.sale_not_found", field="receipt")
    term = Terminal.get_or_none(Terminal.store == actor.store_id, Terminal.code == (code or actor.terminal))
    if term is None and code:
        term = (Terminal.select().where(Terminal.store == actor.store_id, peewee.fn.upper(Terminal.code) == code)
                .first())
    sale = Sale.get_or_none(Sale.terminal == term, Sale.receipt_no == int(number)) if term else None
    if sale is None:
        raise NotFound("err.sale_not_found", field="receipt")
    return sale


def sales_figure(actor: Actor) -> Figure:
    from storepos.clock import local_day_bounds

    store = get_store(actor.store_id)
    start, end = local_day_bounds(business_date(store), store.timezone)
    rows = list(Sale.select(Sale.kind, Sale.total).where(
        Sale.store == store.id, Sale.status == "completed", Sale.created_at >= start,
        Sale.created_at < end).tuples())
    count = sum(1 for k, _t in rows if k == "sale")
    total = sum(tot for _k, tot in rows)
    return Figure("home.glance_sales", f"{count} · {fmt(total, fen=True)}")


def find_customers(store_id: int, text: str, limit: int = 20) -> list[Customer]:
    """Customers for the checkout's customer pick: the customers area's own search (number, phone
    digits, Chinese or Latin name fragment); everyone when *text* is empty."""
    from storepos.services import customers

    q = (text or "").strip()
    if q:
        return customers.find(store_id, q, limit=limit)
    return list(Customer.select().where(Customer.store == store_id).order_by(Customer.number).limit(limit))


def save_draft(cart: Cart, path: Any) -> None:
    """Keep the cart (UUID, lines, payments taken, approvals) on disk so a restart resumes it."""
    import json
    import os
    from pathlib import Path

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(cart.to_dict(), ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, target)


def load_draft(path: Any) -> Cart | None:
    import json
    from pathlib import Path

    target = Path(path)
    try:
        return Cart.from_dict(json.loads(target.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError):
        return None
