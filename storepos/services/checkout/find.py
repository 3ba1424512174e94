"""Finding a sale: by its id within the actor's store, or by the receipt number the customer holds."""

from __future__ import annotations

import unicodedata

import peewee

from storepos.models import Sale, Terminal
from storepos.services.core.context import Actor
from storepos.services.core.errors import NotFound


def sale_for(actor: Actor, sale_id: int) -> Sale:
    """Sale *sale_id* of the actor's store.  Raises NotFound when there is none (or it is another
    store's)."""
    sale = Sale.get_or_none(Sale.id == sale_id, Sale.store == actor.store_id)
    if sale is None:
        raise NotFound("err.sale_not_found")
    return sale


def find_sale(actor: Actor, text: str) -> Sale:
    """A sale by receipt number: 'T1-000123', or '123' on this terminal.  Raises NotFound (field
    ``receipt``) when the text names no sale of the actor's store."""
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
