"""A quote's money: line totals, how far below list price, the quote's totals, and the
whole-quote discount shared over the lines.  Fen throughout; a line total is rounded half-up
once per line."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from storepos import clock
from storepos.models import Quote
from storepos.services.quotes.reading import lines_of


def line_total_fen(unit_price: int, qty: int, discount_pct: int) -> int:
    """unit price × qty less the line discount, rounded half-up to the fen once."""
    amount = Decimal(unit_price) * qty * (Decimal(100) - discount_pct) / Decimal(100)
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_off(list_amount: int, amount: int) -> Decimal:
    """How far *amount* is below *list_amount*, in percent to two places (0 when not below)."""
    if list_amount <= 0 or amount >= list_amount:
        return Decimal(0)
    return (Decimal(list_amount - amount) * 100 / Decimal(list_amount)).quantize(Decimal("0.01"))


def recalc(quote: Quote) -> None:
    """Sum the quote's lines into its subtotal, list total and total, and save it.  The whole-quote
    discount never exceeds what the lines add up to (it shrinks with them)."""
    rows = lines_of(quote.id)
    quote.subtotal = sum(r.total for r in rows)
    quote.list_total = sum(r.list_price * r.qty for r in rows)
    if quote.discount > quote.subtotal:
        quote.discount = quote.subtotal
    quote.total = quote.subtotal - quote.discount
    quote.updated_at = clock.now()
    quote.save()


def allocate_discount(totals: list[int], discount: int) -> list[int]:
    """Split *discount* over lines in proportion to their totals (largest remainder, in fen)."""
    base = sum(totals)
    if discount <= 0 or base <= 0:
        return [0] * len(totals)
    shares = [discount * tot // base for tot in totals]
    rest = discount - sum(shares)
    order = sorted(range(len(totals)), key=lambda i: (-(discount * totals[i] % base), i))
    for i in order[:rest]:
        shares[i] += 1
    return shares
