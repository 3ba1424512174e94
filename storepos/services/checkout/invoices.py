"""The formal invoice (发票) a customer asked for: issued once enough of the sale is paid."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from storepos import clock
from storepos.db import transactional
from storepos.models import Sale
from storepos.services.checkout.balances import received_of
from storepos.services.checkout.find import sale_for
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError
from storepos.services.core.permissions import require
from storepos.services.core.store import get_store, settings_of


def paid_share(received: int, total: int) -> str:
    """The share of *total* received, in percent as the refusal says it: up to two decimals,
    rounded down (59.999% paid is "59.99", never a rounded "60" that reads as enough)."""
    if not total:
        return "0"
    share = (Decimal(received) * 100 / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    text = f"{share:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@transactional
def issue_invoice(actor: Actor, sale_id: int) -> Sale:
    """Issue the requested formal invoice once the store's paid-percent rule allows it (issuing
    twice changes nothing).  Raises DomainError when no invoice was asked for
    (err.no_invoice_request) or too little is received yet (err.invoice_not_yet)."""
    require(actor, "checkout.sell")
    sale = sale_for(actor, sale_id)
    if not sale.invoice_kind:
        raise DomainError("err.no_invoice_request")
    if sale.invoice_issued:
        return sale
    pct = settings_of(get_store(actor.store_id)).invoice_min_paid_percent
    received = received_of(sale)
    if received * 100 < sale.total * pct:
        raise DomainError("err.invoice_not_yet", percent=pct, paid=paid_share(received, sale.total))
    Sale.update(invoice_issued=True, invoice_issued_at=clock.now()).where(Sale.id == sale.id).execute()
    audit.record(actor, "sale.invoice", "sale", sale.id, after={"invoice_issued": True})
    return Sale.get_by_id(sale.id)
