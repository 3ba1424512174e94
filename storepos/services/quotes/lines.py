"""A quote's lines: adding products, quantities, a line's discount and negotiated unit price,
removing a line.  Each change on a given quote makes its next revision first."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from storepos.db import transactional
from storepos.models import Product, Quote, QuoteLine
from storepos.money import MoneyError, parse_amount, to_fen
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound, parse
from storepos.services.core.numbers import WholeNumber
from storepos.services.quotes.reading import get
from storepos.services.quotes.revisions import ready_to_edit, snapshot_line
from storepos.services.quotes.sums import line_total_fen, recalc

MAX_QTY = 9999


class QtyInput(BaseModel):
    qty: WholeNumber = Field(ge=1, le=MAX_QTY)


class DiscountPctInput(BaseModel):
    discount_pct: int = Field(ge=0, le=100)


def add_product_line(actor: Actor, quote: Quote, product: Product, qty: int) -> QuoteLine:
    """Put *qty* of *product* on the quote at its list price; a product already on it adds to its
    line (up to MAX_QTY).  The caller checks the quote is editable and recalculates it."""
    existing = QuoteLine.get_or_none(QuoteLine.quote == quote.id, QuoteLine.product == product.id)
    if existing is not None:
        existing.qty = min(MAX_QTY, existing.qty + qty)
        existing.total = line_total_fen(existing.unit_price, existing.qty, existing.discount_pct)
        existing.save()
        audit.record(actor, "quote.line_change", "quote", quote.id,
                     after={"line": existing.id, "qty": existing.qty})
        return existing
    last = QuoteLine.select(QuoteLine.position).where(QuoteLine.quote == quote.id).order_by(
        QuoteLine.position.desc()).first()
    line = QuoteLine.create(
        quote=quote.id, position=(last.position + 1) if last else 1, product=product.id, sku=product.sku,
        name_zh=product.name_zh, name_en=product.name_en, unit=product.unit, qty=qty,
        list_price=product.price, floor_price=product.floor_price, unit_price=product.price,
        discount_pct=0, total=line_total_fen(product.price, qty, 0))
    audit.record(actor, "quote.line_add", "quote", quote.id,
                 after={"line": line.id, "sku": product.sku, "qty": qty, "unit_price": product.price})
    return line


@transactional
def add_line(actor: Actor, quote_id: int, product_id: int, qty: int = 1) -> QuoteLine:
    """Add *qty* of a product at its list price (the same product again adds to its line).
    Raises NotFound for a product of another store, DomainError for an inactive one, a bad
    quantity (field='qty') or a quote that can no longer change."""
    quote = ready_to_edit(actor, get(actor, quote_id))
    qty = parse(QtyInput, {"qty": qty}).qty
    product = Product.get_or_none(Product.id == product_id, Product.store == actor.store_id)
    if product is None:
        raise NotFound("err.quote_product_not_found")
    if not product.active:
        raise DomainError("err.quote_product_inactive", sku=product.sku)
    line = add_product_line(actor, quote, product, qty)
    recalc(quote)
    return line


def _line_for(actor: Actor, line_id: int) -> tuple[Quote, QuoteLine]:
    line = QuoteLine.get_or_none(QuoteLine.id == line_id)
    if line is None:
        raise NotFound("err.quote_line_not_found")
    quote = ready_to_edit(actor, get(actor, line.quote_id))
    return quote, line


def _change_line(actor: Actor, line_id: int, **changes: Any) -> QuoteLine:
    quote, line = _line_for(actor, line_id)
    before = {k: getattr(line, k) for k in changes}
    for k, v in changes.items():
        setattr(line, k, v)
    line.total = line_total_fen(line.unit_price, line.qty, line.discount_pct)
    line.save()
    audit.record(actor, "quote.line_change", "quote", quote.id, before={"line": line.id, **before},
                 after={"line": line.id, **changes, "total": line.total})
    recalc(quote)
    return line


@transactional
def set_qty(actor: Actor, line_id: int, qty: Any) -> QuoteLine:
    """Set a line's quantity (1–9999).  Raises DomainError(field='qty')."""
    return _change_line(actor, line_id, qty=parse(QtyInput, {"qty": qty}).qty)


@transactional
def change_qty(actor: Actor, line_id: int, delta: int) -> QuoteLine:
    """+1 / -1 on a line's quantity (never below 1: remove the line instead).  Raises NotFound
    for an unknown line."""
    line = QuoteLine.get_or_none(QuoteLine.id == line_id)
    if line is None:
        raise NotFound("err.quote_line_not_found")
    return _change_line(actor, line_id, qty=max(1, min(MAX_QTY, line.qty + delta)))


@transactional
def set_line_discount(actor: Actor, line_id: int, percent: Any) -> QuoteLine:
    """Set a line's discount in whole percent (0–100).  Beyond the actor's authority the line
    needs a manager before the quote can be given.  Raises DomainError(field='discount_pct')."""
    text = str(percent).strip().rstrip("%").strip() or "0"
    return _change_line(actor, line_id, discount_pct=parse(DiscountPctInput, {"discount_pct": text}).discount_pct)


@transactional
def set_unit_price(actor: Actor, line_id: int, price: Any) -> QuoteLine:
    """Set a line's negotiated unit price (yuan text or Decimal).  Raises DomainError(field='unit_price')."""
    try:
        value = parse_amount(price)
    except MoneyError as exc:
        raise DomainError(str(exc.args[0]), field="unit_price") from None
    return _change_line(actor, line_id, unit_price=to_fen(value))


@transactional
def remove_line(actor: Actor, line_id: int) -> None:
    """Take a line off the quote.  Raises NotFound for an unknown line, DomainError when the
    quote can no longer change."""
    quote, line = _line_for(actor, line_id)
    audit.record(actor, "quote.line_remove", "quote", quote.id, before=snapshot_line(line))
    line.delete_instance()
    recalc(quote)
