"""Completing the sale: ONE transaction.

``complete_sale`` writes header, lines, payments, stock, receivable and audit inside one
IMMEDIATE transaction (``@transactional``) and is idempotent on the cart's UUID: the sale row is
UNIQUE on it, so a retry returns the first sale.  Stock is taken with a guarded UPDATE so two
terminals can never sell the last unit twice (unless the store allows negative stock or a manager
approved it).  Everything is checked (options, payments, checks A–E) before the first write, so
a refusal writes nothing and uses no receipt number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import peewee

from storepos import clock
from storepos.db import transactional
from storepos.models import (
    Customer,
    Payment,
    Receivable,
    RegisterSession,
    Sale,
    SaleLine,
    Store,
)
from storepos.money import fmt, from_fen, to_fen
from storepos.services import catalog, manifest, quotes, visits
from storepos.services.checkout.cart import (
    METHODS,
    NEEDS_REFERENCE,
    ZERO,
    Cart,
    PaymentIn,
    SaleOptions,
    Totals,
)
from storepos.services.checkout.checks import ChecksFailed, run_checks
from storepos.services.checkout.drafts import forget_sold_cart
from storepos.services.checkout.receipt import next_receipt_no, receipt_label
from storepos.services.core import approvals as approvals_service
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.dates import check_window
from storepos.services.core.errors import DomainError
from storepos.services.core.permissions import require
from storepos.services.core.store import StoreSettings, business_date, get_store, settings_of
from storepos.services.register import current_session


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


def _sale_by_uuid(cart_uuid: str) -> Sale | None:
    """The sale made from a cart, if any.  The hot path (every checkout asks, twice) selects only
    the id: building the 40-column SELECT cost more than running it (bench/run.py, cProfile)."""
    sale_id = Sale.select(Sale.id).where(Sale.cart_uuid == cart_uuid).scalar()
    return Sale.get_by_id(sale_id) if sale_id is not None else None


def sale_of_cart(actor: Actor, cart: Cart) -> Sale | None:
    """The sale already made from *cart* (e.g. completed just before a restart), or None: the
    screen shows that sale instead of selling the cart twice."""
    sale = _sale_by_uuid(cart.uuid)
    return sale if sale is not None and sale.store_id == actor.store_id else None


@dataclass(frozen=True)
class _Cleared:
    """What the checks settled before anything is written."""

    store: Store
    policy: StoreSettings
    session: RegisterSession
    options: SaleOptions
    totals: Totals
    paid: Decimal
    on_account: Decimal
    received: Decimal  # money actually received (paid less the part on account)
    used: dict[str, int]  # check code -> the Approval id that overrode it


@transactional
def _complete_sale_tx(actor: Actor, cart: Cart, pays: list[PaymentIn]) -> Sale:
    """The transaction itself, step by step; any exception rolls every step back.  Another
    terminal may have made the cart's sale since complete_sale looked: the sale row is UNIQUE on
    the cart's UUID, so its INSERT raises IntegrityError and complete_sale returns that sale."""
    cleared = _clear(actor, cart, pays)
    now = clock.now()
    sale = _write_header(actor, cart, cleared, now)
    allow_negative = cleared.policy.allow_negative_stock or "stock" in cleared.used
    _write_lines(actor, cart, sale, allow_negative=allow_negative)
    _write_payments(pays, sale, cleared.session, now)
    if cleared.on_account > 0:
        _open_receivable(cart, sale, cleared, now)
    for approval_id in set(cleared.used.values()):
        approvals_service.attach(approval_id, "sale", sale.id)
    _link_quote_and_visit(actor, cart, sale)
    forget_sold_cart(cart.uuid)
    for hook in manifest.each(manifest.AFTER_SALE):  # after-sales schedules its follow-ups
        hook(actor, sale)
    audit.record(actor, "sale.complete", "sale", sale.id, after={
        "receipt": receipt_label(actor.terminal, sale.receipt_no), "cart": cart.uuid, "total": sale.total,
        "paid": sale.paid, "on_account": to_fen(cleared.on_account), "lines": len(cart.lines),
        "payments": [[p.method, to_fen(p.amount)] for p in pays], "approvals": cleared.used,
        "quote": cart.quote_id, "visit": cart.visit_id})
    return sale


# -- before the first write -------------------------------------------------------------------

def _clear(actor: Actor, cart: Cart, pays: list[PaymentIn]) -> _Cleared:
    """Everything that may say no: the cart, the open register, options, payments, checks A–E."""
    if cart.store_id != actor.store_id:
        raise DomainError("err.cart_other_store")
    if not cart.lines:
        raise DomainError("err.cart_empty")
    store = get_store(actor.store_id)
    policy = settings_of(store)
    session = current_session(actor.store_id, actor.terminal)
    if session is None:
        raise DomainError("err.no_session", terminal=actor.terminal)
    opts = _validate_options(cart, policy, business_date(store))
    totals = cart.totals(policy.vat_rate_percent)
    paid, on_account, received = _validate_payments(cart, pays, totals, opts, policy)
    results = run_checks(actor, cart, on_account=on_account, store=store)
    if any(not r.ok for r in results):
        raise ChecksFailed(results)
    used = {r.code: r.approval_id for r in results if r.overridden and r.approval_id is not None}
    return _Cleared(store, policy, session, opts, totals, paid, on_account, received, used)


def _validate_options(cart: Cart, policy: StoreSettings, today: dt.date) -> SaleOptions:
    """The cart's fulfilment and invoice options, cleaned, with the store's settle mode by default."""
    o = cart.options
    if o.fulfilment not in ("take", "deliver"):
        raise DomainError("err.not_allowed_value", field="fulfilment")
    mode = o.settle_mode or policy.fulfilment_mode
    if mode not in ("settle_then_deliver", "deliver_then_settle"):
        raise DomainError("err.not_allowed_value", field="settle_mode")
    if o.fulfilment == "deliver" and o.delivery_date is None:
        raise DomainError("err.delivery_date_required", field="delivery_date")
    if o.fulfilment == "deliver":  # from today to the store's bound ahead (a parked cart's date may have passed)
        check_window(o.delivery_date, "delivery_date", today=today, days_ahead=policy.delivery_days_ahead)
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
                       policy: StoreSettings) -> tuple[Decimal, Decimal, Decimal]:
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
        if p.method == "cash" and p.change > from_fen(policy.max_change) and not p.change_confirmed:
            raise DomainError("err.change_too_large", field="amount", change=fmt(p.change),
                              limit=fmt(policy.max_change, fen=True))
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


# -- the writes -------------------------------------------------------------------------------

def _write_header(actor: Actor, cart: Cart, cleared: _Cleared, now: dt.datetime) -> Sale:
    """The sale row, under the terminal's next receipt number; the invoice is issued at once when
    enough was received."""
    store, policy, opts, totals = cleared.store, cleared.policy, cleared.options, cleared.totals
    terminal_id = cleared.session.terminal_id
    receipt_no = next_receipt_no(store.id, terminal_id)
    total_fen = to_fen(totals.total)
    paid_fen = to_fen(cleared.paid)
    invoice_ok = (bool(opts.invoice_kind)
                  and cleared.received * 100 >= totals.total * policy.invoice_min_paid_percent)
    delivered = opts.fulfilment == "take"
    return Sale.create(
        store=store.id, terminal=terminal_id, session=cleared.session, receipt_no=receipt_no, cart_uuid=cart.uuid,
        kind="sale", staff=actor.staff_id, customer=cart.customer_id, quote_id=cart.quote_id,
        visit_id=cart.visit_id, subtotal=to_fen(totals.subtotal), discount=to_fen(totals.discount),
        total=total_fen, paid=paid_fen, balance_due=total_fen - paid_fen, vat=to_fen(totals.vat),
        vat_rate_percent=policy.vat_rate_percent, fulfilment=opts.fulfilment, settle_mode=opts.settle_mode,
        deposit=opts.deposit, delivery_date=opts.delivery_date, delivered=delivered,
        delivered_at=now if delivered else None, status="completed", approvals=cleared.used,
        invoice_title=opts.invoice_title, invoice_tax_no=opts.invoice_tax_no, invoice_kind=opts.invoice_kind,
        invoice_issued=invoice_ok, invoice_issued_at=now if invoice_ok else None, created_at=now)


def _write_lines(actor: Actor, cart: Cart, sale: Sale, *, allow_negative: bool) -> None:
    """A sale line per cart line, each naming the batches its units came from: the stock of
    every line is taken at once through the ledger (catalog.take_for_sale: one guarded UPDATE,
    FIFO batches, one INSERT of the moves), the lines in one INSERT."""
    batches = catalog.take_for_sale(actor, [(ln.product_id, ln.qty) for ln in cart.lines], f"sale:{sale.id}",
                                    allow_negative=allow_negative)
    SaleLine.insert_many([
        {"sale": sale.id, "line_no": i, "product": ln.product_id, "sku": ln.sku, "name_zh": ln.name_zh,
         "name_en": ln.name_en, "qty": ln.qty, "unit_price": to_fen(ln.unit_price), "line_discount": to_fen(ln.discount),
         "line_total": to_fen(ln.total), "batches": codes}
        for i, (ln, codes) in enumerate(zip(cart.lines, batches, strict=True), start=1)]).execute()


def _write_payments(pays: list[PaymentIn], sale: Sale, session: RegisterSession, now: dt.datetime) -> None:
    """The payments, into the open register (change and tendered only for cash), in one INSERT."""
    if not pays:
        return
    Payment.insert_many([
        {"sale": sale.id, "session": session.id, "method": p.method, "amount": to_fen(p.amount),
         "tendered": to_fen(p.tendered) if p.method == "cash" else 0, "change": to_fen(p.change),
         "reference": p.reference.strip()[:64], "kind": "sale", "created_at": now} for p in pays]).execute()


def _open_receivable(cart: Cart, sale: Sale, cleared: _Cleared, now: dt.datetime) -> None:
    """The part on account, due after the customer's credit days."""
    customer = Customer.get_by_id(cart.customer_id)
    day = business_date(cleared.store)
    Receivable.create(store=cleared.store.id, customer=customer, sale=sale, amount=to_fen(cleared.on_account),
                      business_date=day, due_date=day + dt.timedelta(days=customer.credit_days),
                      created_at=now)


def _link_quote_and_visit(actor: Actor, cart: Cart, sale: Sale) -> None:
    """The quote becomes converted (once only, in this transaction); the visit (the cart's, or
    the quote's) records its sale."""
    visit_id = cart.visit_id
    if cart.quote_id is not None:
        quote = quotes.mark_converted(cart.quote_id, sale.id, actor=actor)
        visit_id = visit_id or quote.visit_id
    if visit_id is not None:
        visits.link_sale(actor, visit_id, sale.id)
