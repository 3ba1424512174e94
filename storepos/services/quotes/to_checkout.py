"""Into checkout: the accepted quote's lines with prices locked to it (checkout calls
:func:`lines_for_checkout`), and, inside the sale's transaction, :func:`mark_converted` (once
only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storepos import clock
from storepos.db import transactional
from storepos.i18n import pick, t
from storepos.models import Product, Quote
from storepos.money import from_fen
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound
from storepos.services.core.store import business_date, get_store
from storepos.services.quotes.reading import lines_of
from storepos.services.quotes.sums import allocate_discount


@dataclass(frozen=True)
class CheckoutLine:
    """One line as checkout must sell it: prices locked to the accepted quote.

    ``line_total`` (fen) already carries its share of the whole-quote discount, so the lines add
    up to the quote's total exactly; ``discount`` = unit_price × qty − line_total."""

    quote_line_id: int
    product_id: int
    sku: str
    name_zh: str
    name_en: str
    unit: str
    qty: int
    unit_price: int  # fen, quoted unit price before discounts
    line_total: int  # fen, what the customer pays for the line
    discount: int  # fen
    approval_id: int | None
    stock: int  # stock now (re-checked at the moment checkout opens)

    @property
    def short(self) -> bool:
        return self.stock < self.qty

    def cart_line(self) -> dict[str, Any]:
        """This line as services.checkout.start_cart(lines=[...], locked=True) takes it (yuan)."""
        return {"product_id": self.product_id, "qty": self.qty, "unit_price": from_fen(self.unit_price),
                "discount": from_fen(self.discount)}

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)


def _check_convertible(quote: Quote) -> None:
    if quote.status == "converted":
        raise DomainError("err.quote_already_converted", number=quote.number)
    if quote.status != "accepted":
        raise DomainError("err.quote_not_accepted", number=quote.number,
                          status=t(f"quote.status.{quote.status}"))
    if quote.valid_until < business_date(get_store(quote.store_id)):
        raise DomainError("err.quote_expired", number=quote.number)


def lines_for_checkout(quote_id: int) -> list[CheckoutLine]:
    """The accepted quote's lines with prices locked, and stock as it is now.

    Raises DomainError unless the quote is accepted and still valid (converted: already sold)."""
    quote = Quote.get_or_none(Quote.id == quote_id)
    if quote is None:
        raise NotFound("err.quote_not_found")
    _check_convertible(quote)
    rows = lines_of(quote.id)
    shares = allocate_discount([r.total for r in rows], quote.discount)
    stock = {p.id: p.stock for p in Product.select(Product.id, Product.stock)
             .where(Product.id.in_([r.product_id for r in rows]))}
    out = []
    for r, share in zip(rows, shares, strict=True):
        total = r.total - share
        out.append(CheckoutLine(r.id, r.product_id, r.sku, r.name_zh, r.name_en, r.unit, r.qty, r.unit_price,
                                total, r.unit_price * r.qty - total, r.approval_id or quote.approval_id,
                                stock.get(r.product_id, 0)))
    return out


@transactional
def mark_converted(quote_id: int, sale_id: int, *, actor: Actor | None = None) -> Quote:
    """Record that the accepted quote became sale *sale_id*.  Call inside checkout's sale
    transaction.  Raises DomainError when it was converted before (once only), is not accepted,
    or has expired; a concurrent second conversion loses on the guarded update."""
    quote = Quote.get_or_none(Quote.id == quote_id)
    if quote is None:
        raise NotFound("err.quote_not_found")
    _check_convertible(quote)
    now = clock.now()
    changed = (Quote.update(status="converted", sale_id=sale_id, closed_at=now, updated_at=now)
               .where(Quote.id == quote.id, Quote.status == "accepted").execute())
    if changed != 1:
        raise DomainError("err.quote_already_converted", number=quote.number)
    audit.record(actor, "quote.convert", "quote", quote.id, before={"status": "accepted"},
                 after={"status": "converted", "sale": sale_id}, store_id=quote.store_id)
    return Quote.get_by_id(quote.id)
