"""Finding a customer at the counter: by number, by any part of the phone, by a name fragment."""

from __future__ import annotations

import re

import peewee

from storepos.db import contains
from storepos.models import Customer
from storepos.services.customers.phones import normalize_phone, normalize_text

_NUMBER = re.compile(r"^[Cc]\d{1,8}$")


def find(store_id: int, query: str, *, limit: int = 30) -> list[Customer]:
    """Customers matching *query*: a customer number (C0007), phone digits (any part, 3+ digits)
    or a name fragment (Chinese or other, any length; no pinyin).  Best first."""
    q = normalize_text(query)
    if not q:
        return []
    base = Customer.select().where(Customer.store == store_id)
    out: list[Customer] = []
    seen: set[int] = set()

    def add(rows: peewee.ModelSelect) -> None:
        for c in rows:
            if c.id not in seen and len(out) < limit:
                seen.add(c.id)
                out.append(c)

    if _NUMBER.match(q):
        add(base.where(Customer.number == q.upper()))
    digits = re.sub(r"[\s\-()+]", "", q)
    if digits.isdigit() and len(digits) >= 3:
        flat = peewee.fn.replace(Customer.phone, "-", "")
        if len(digits) == 11 or (digits.startswith("0") and len(digits) >= 10):
            try:
                add(base.where(Customer.phone == normalize_phone(digits)))
            except ValueError:
                pass
        add(base.where(contains(flat, digits)).order_by(Customer.number).limit(limit))
    if len(out) < limit and not digits.isdigit():
        # Names are kept as typed: the query as typed and its NFKC form (full-width letters).
        for form in dict.fromkeys((q, (query or "").strip())):
            add(base.where(contains(Customer.name, form))
                .order_by(peewee.fn.length(Customer.name), Customer.number).limit(limit))
        if q.lower() != q or q.upper() != q:  # Latin names: case-insensitive
            add(base.where(contains(peewee.fn.lower(Customer.name), q.lower()))
                .order_by(Customer.number).limit(limit))
    return out
