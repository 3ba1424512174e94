"""The whole quote's terms beside its lines: the discount off the lines' sum, the notes, how
long it is valid, and who it is for.  Each change on a given quote makes its next revision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from storepos.db import transactional
from storepos.models import Customer, Quote
from storepos.money import MoneyError, fmt, parse_amount, to_fen
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound, parse
from storepos.services.quotes.reading import get, today_of
from storepos.services.quotes.revisions import ready_to_edit
from storepos.services.quotes.sums import recalc


class NotesInput(BaseModel):
    notes: str = Field("", max_length=1000)


@transactional
def set_discount(actor: Actor, quote_id: int, amount: Any) -> Quote:
    """Whole-quote discount in yuan off the lines' sum (e.g. rounding off).  Raises DomainError
    (field='discount') for a bad amount or one above the lines' sum."""
    quote = get(actor, quote_id)
    try:
        value = to_fen(parse_amount(amount if str(amount).strip() else "0"))
    except MoneyError as exc:
        raise DomainError(str(exc.args[0]), field="discount") from None
    if value > quote.subtotal:
        raise DomainError("err.quote_discount_too_large", field="discount", subtotal=fmt(quote.subtotal, fen=True))
    quote = ready_to_edit(actor, quote)
    before = quote.discount
    quote.discount = value
    recalc(quote)
    audit.record(actor, "quote.discount", "quote", quote.id, before={"discount": before}, after={"discount": value})
    return quote


@transactional
def set_notes(actor: Actor, quote_id: int, notes: str) -> Quote:
    """Replace the quote's notes (up to 1000 characters).  Raises DomainError(field='notes')."""
    quote = ready_to_edit(actor, get(actor, quote_id))
    value = parse(NotesInput, {"notes": notes or ""}).notes.strip()
    before = quote.notes
    quote.notes = value
    recalc(quote)
    audit.record(actor, "quote.notes", "quote", quote.id, before={"notes": before}, after={"notes": value})
    return quote


def parse_validity(text: str, today: dt.date) -> dt.date:
    """'7' (days from today) or '2026-03-10' → the last valid day.  Raises DomainError(field='valid_until')."""
    raw = (text or "").strip()
    if not raw:
        raise DomainError("err.required", field="valid_until")
    if raw.isdigit():
        days = int(raw)
        if not 1 <= days <= 365:
            raise DomainError("err.quote_validity_range", field="valid_until")
        return today + dt.timedelta(days=days)
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise DomainError("err.bad_date", field="valid_until") from None
    if day < today or day > today + dt.timedelta(days=365):
        raise DomainError("err.quote_validity_range", field="valid_until")
    return day


@transactional
def set_validity(actor: Actor, quote_id: int, text: str) -> Quote:
    """Set the quote's last valid day (see :func:`parse_validity`).  Raises DomainError(field='valid_until')."""
    quote = get(actor, quote_id)
    day = parse_validity(text, today_of(actor.store_id))
    quote = ready_to_edit(actor, quote)
    before = str(quote.valid_until)
    quote.valid_until = day
    recalc(quote)
    audit.record(actor, "quote.validity", "quote", quote.id, before={"valid_until": before},
                 after={"valid_until": str(day)})
    return quote


@transactional
def set_customer(actor: Actor, quote_id: int, customer_id: int | None) -> Quote:
    """Set who the quote is for (None: walk-in).  Raises NotFound for a customer of another store."""
    quote = get(actor, quote_id)
    if customer_id is not None and Customer.get_or_none(
            Customer.id == customer_id, Customer.store == actor.store_id) is None:
        raise NotFound("err.quote_customer_not_found")
    quote = ready_to_edit(actor, quote)
    before = quote.customer_id
    quote.customer = customer_id
    recalc(quote)
    audit.record(actor, "quote.customer", "quote", quote.id, before={"customer": before},
                 after={"customer": customer_id})
    return quote
