"""After the sale: a deposit's (or a deliver-then-settle sale's) balance taken later, and the
goods marked as delivered."""

from __future__ import annotations

from storepos import clock
from storepos.db import transactional
from storepos.models import Payment, Sale
from storepos.money import fmt, from_fen, to_fen
from storepos.services.checkout.cart import NEEDS_REFERENCE, ZERO, PaymentIn
from storepos.services.checkout.find import sale_for
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError
from storepos.services.core.permissions import require
from storepos.services.register import current_session


@transactional
def settle_balance(actor: Actor, sale_id: int, payments: list[PaymentIn]) -> Sale:
    """Take (part of) a sale's balance due, e.g. on delivery.  Cash lands in the open session.
    Raises NotFound for another store's sale, DomainError when the sale is not open, no register
    is open, an amount is not positive or more than is due, a method is on account or lacks its
    reference."""
    require(actor, "checkout.sell")
    sale = sale_for(actor, sale_id)
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
    """The goods have left the store.  Settle-then-deliver: only once nothing is due (else
    DomainError err.settle_first).  Delivering twice changes nothing."""
    require(actor, "checkout.sell")
    sale = sale_for(actor, sale_id)
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
