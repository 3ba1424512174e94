"""The duplicate warning: a new customer with the phone of an existing one, or a very close name."""

from __future__ import annotations

import difflib
import re

import peewee

from storepos.db import contains
from storepos.models import Customer
from storepos.services.core.errors import DomainError
from storepos.services.customers.phones import normalize_text


class DuplicateWarning(DomainError):
    """A likely duplicate: ``matches`` are the existing customers.  Confirm to create anyway."""

    def __init__(self, matches: list[Customer], field: str) -> None:
        names = "、".join(f"{c.number} {c.name} {c.phone}" for c in matches[:3])
        super().__init__("err.customer_duplicate", field=field, matches=names)
        self.matches = matches


def _name_key(name: str) -> str:
    return re.sub(r"[\s·.,，。()（）]", "", normalize_text(name)).casefold()


def similar_names(store_id: int, name: str, *, exclude: int | None = None) -> list[Customer]:
    """Customers whose name is the same or very close: equal ignoring spaces/case, one contains
    the other (2+ characters), or a close match (difflib ratio >= 0.8, 4+ characters)."""
    key = _name_key(name)
    if not key:
        return []
    # Candidates share a pair of characters with the name, so the database narrows them first.
    grams = {key[i:i + 2] for i in range(max(1, len(key) - 1))}
    cond = None
    for g in list(grams)[:20]:
        term = contains(peewee.fn.lower(Customer.name), g)
        cond = term if cond is None else cond | term
    rows = Customer.select().where(Customer.store == store_id, cond).limit(300)
    out = []
    for c in rows:
        if exclude is not None and c.id == exclude:
            continue
        other = _name_key(c.name)
        if other == key:
            out.append(c)
        elif min(len(key), len(other)) >= 2 and (key in other or other in key):
            out.append(c)
        elif min(len(key), len(other)) >= 4 and difflib.SequenceMatcher(None, key, other).ratio() >= 0.8:
            out.append(c)
    return out


def duplicates(store_id: int, name: str, phone: str, *, exclude: int | None = None) -> tuple[list[Customer], str]:
    """(likely duplicates, the field they concern): same phone first, then a similar name."""
    same_phone = [c for c in Customer.select().where(Customer.store == store_id, Customer.phone == phone)
                  if c.id != exclude]
    if same_phone:
        return same_phone, "phone"
    return similar_names(store_id, name, exclude=exclude), "name"
