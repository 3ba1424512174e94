"""Finding products: by scanned barcode or SKU, and search-as-you-type over names.

Search order: exact barcode or SKU (indexed), SKU prefix (indexed range), then name fragments in
Chinese or English.  CJK note (NOTES.md): an FTS5 trigram index finds 3+ character fragments but
silently finds nothing for 1–2 characters, so short fragments use instr() with a LIMIT.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import peewee

from storepos.i18n import pick
from storepos.models import Product
from storepos.money import from_fen


@dataclass(frozen=True)
class ProductHit:
    id: int
    sku: str
    barcode: str | None
    name_zh: str
    name_en: str
    unit: str
    price: Decimal
    floor_price: Decimal
    stock: int
    active: bool

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)


_FIELDS = (Product.id, Product.sku, Product.barcode, Product.name_zh, Product.name_en, Product.unit,
           Product.price, Product.floor_price, Product.stock, Product.active)


def _hit(row: tuple) -> ProductHit:
    pid, sku, barcode, zh, en, unit, price, floor, stock, active = row
    return ProductHit(pid, sku, barcode, zh, en, unit, from_fen(price), from_fen(floor), stock, bool(active))


def normalize_query(text: str) -> str:
    """Full-width to half-width, trimmed, control characters dropped."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()


def find_by_code(store_id: int, code: str, *, include_inactive: bool = False) -> ProductHit | None:
    """The product whose barcode or SKU is exactly *code* (what a scanner types)."""
    code = normalize_query(code)
    if not code:
        return None
    base = Product.select(*_FIELDS).where(Product.store == store_id)
    if not include_inactive:
        base = base.where(Product.active == True)  # noqa: E712
    row = base.where(Product.barcode == code).tuples().first()
    if row is None:
        row = base.where(Product.sku == code).tuples().first()
    if row is None and code.upper() != code:
        row = base.where(Product.sku == code.upper()).tuples().first()
    return _hit(row) if row else None


def search(store_id: int, query: str, *, limit: int = 50, include_inactive: bool = False) -> list[ProductHit]:
    """Products matching *query*: exact code first, then SKU prefix, then name fragments
    (Chinese or English, any length).  At most *limit* rows, best first."""
    q = normalize_query(query)
    if not q:
        return []
    out: list[ProductHit] = []
    seen: set[int] = set()

    def add(rows: peewee.ModelSelect) -> None:
        for row in rows.tuples():
            if row[0] not in seen and len(out) < limit:
                seen.add(row[0])
                out.append(_hit(row))

    exact = find_by_code(store_id, q, include_inactive=include_inactive)
    if exact is not None:
        seen.add(exact.id)
        out.append(exact)
    base = Product.select(*_FIELDS).where(Product.store == store_id)
    if not include_inactive:
        base = base.where(Product.active == True)  # noqa: E712
    if q.isascii() and " " not in q:
        upper = q.upper()
        # SKU prefix as an index range (LIKE would not use the index on PostgreSQL).
        add(base.where(Product.sku >= upper, Product.sku < upper + "\uffff").order_by(Product.sku).limit(limit))
        if q.isdigit() and len(q) >= 4:
            add(base.where(Product.barcode >= q, Product.barcode < q + "\uffff").order_by(Product.barcode).limit(limit))
    if len(out) < limit:
        add(_name_query(base, q).limit(limit - len(out)))
    return out


def _name_query(base: peewee.ModelSelect, q: str) -> peewee.ModelSelect:
    # Every word must appear in the Chinese or the English name (case-insensitive for English).
    cond = None
    for word in q.split():
        lw = word.lower()
        term = (peewee.fn.instr(Product.name_zh, word) > 0) | (peewee.fn.instr(peewee.fn.lower(Product.name_en), lw) > 0)
        cond = term if cond is None else cond & term
    return base.where(cond).order_by(peewee.fn.length(Product.name_zh), Product.sku)
