"""What staff give the after-sales services: free text (notes, problems, comments, resolutions)
within its limit, and a sale of their store."""

from __future__ import annotations

import unicodedata

from storepos.models import Sale
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound

TEXT_LIMIT = 2000


def clean_text(text: str | None, field: str, *, required: bool = False) -> str:
    """*text* normalised (NFKC) and stripped.  DomainError beside *field* when it is empty but
    *required*, or longer than TEXT_LIMIT."""
    value = unicodedata.normalize("NFKC", text or "").strip()
    if required and not value:
        raise DomainError("err.required", field=field)
    if len(value) > TEXT_LIMIT:
        raise DomainError("err.too_long", field=field, limit=TEXT_LIMIT)
    return value


def store_sale(actor: Actor, sale_id: int) -> Sale:
    """Sale *sale_id* of the actor's store; NotFound beside "receipt" otherwise."""
    sale = Sale.get_or_none(Sale.id == sale_id, Sale.store == actor.store_id)
    if sale is None:
        raise NotFound("err.sale_not_found", field="receipt")
    return sale
