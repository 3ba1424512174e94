"""Finding products: what a scanner types (an exact code) and search as you type.

Search order: exact barcode (main or extra) or SKU, SKU prefix (indexed range), then name
fragments in Chinese or English.  CJK note (NOTES.md): on SQLite a trigram FTS5 index
(``product_fts``, kept in step by triggers) finds 3+ character fragments fast, but finds nothing
for 1–2 characters (and LIKE on it silently returns 0 rows), so shorter words use
instr() on the product table with a LIMIT.  PostgreSQL has no FTS table: every word uses
strpos() there.
"""

from __future__ import annotations

import unicodedata
import weakref
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import peewee

from storepos.db import contains, database, is_sqlite
from storepos.i18n import pick
from storepos.models import Product, ProductBarcode
from storepos.models.catalog import SQLITE_SEARCH_INDEX
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
    defective: int = 0

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)


_FIELDS = (Product.id, Product.sku, Product.barcode, Product.name_zh, Product.name_en, Product.unit,
           Product.price, Product.floor_price, Product.stock, Product.active, Product.defective)


def _hit(row: tuple) -> ProductHit:
    pid, sku, barcode, zh, en, unit, price, floor, stock, active, defective = row
    return ProductHit(pid, sku, barcode, zh, en, unit, from_fen(price), from_fen(floor), stock, bool(active),
                      defective)


def normalize_query(text: str) -> str:
    """Full-width to half-width, trimmed, control characters dropped."""
    if text and text.isascii() and text.isprintable():
        return text.strip()
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()


def _products(store_id: int, include_inactive: bool) -> peewee.ModelSelect:
    base = Product.select(*_FIELDS).where(Product.store == store_id)
    if not include_inactive:
        base = base.where(Product.active == True)  # noqa: E712
    return base


def find_by_code(store_id: int, code: str, *, include_inactive: bool = False) -> ProductHit | None:
    """The product whose barcode or SKU is exactly *code* (what a scanner types)."""
    code = normalize_query(code)
    if not code:
        return None
    base = _products(store_id, include_inactive)
    row = base.where(Product.barcode == code).tuples().first()
    if row is None:
        row = (base.join(ProductBarcode, on=(ProductBarcode.product == Product.id))
               .where(ProductBarcode.store == store_id, ProductBarcode.code == code).tuples().first())
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
    base = _products(store_id, include_inactive)
    if q.isascii() and " " not in q:
        upper = q.upper()
        # SKU prefix as an index range (LIKE would not use the index on PostgreSQL).
        add(base.where(Product.sku >= upper, Product.sku < upper + "\uffff").order_by(Product.sku).limit(limit))
        if q.isdigit() and len(q) >= 4:
            add(base.where(Product.barcode >= q, Product.barcode < q + "\uffff").order_by(Product.barcode).limit(limit))
    if len(out) < limit:
        # Rank a capped set of candidates: shortest Chinese name first, then SKU.
        cands = [_hit(r) for r in _name_query(base, q).limit(max(300, limit * 10)).tuples()]
        cands.sort(key=lambda h: (len(h.name_zh), h.sku))
        for h in cands:
            if h.id not in seen and len(out) < limit:
                seen.add(h.id)
                out.append(h)
    return out


_FTS: "weakref.WeakKeyDictionary[Any, bool]" = weakref.WeakKeyDictionary()


def _has_fts() -> bool:
    db = database.obj
    if not is_sqlite(db):
        return False
    found = _FTS.get(db)
    if found is None:
        found = _FTS[db] = db.table_exists("product_fts")
    return found


def _name_query(base: peewee.ModelSelect, q: str) -> peewee.ModelSelect:
    """Every word must appear in the Chinese or the English name (English case-insensitive).

    Words of 3+ characters go through the trigram index where there is one (the index drives
    the query through IN (subquery)); shorter ones (and every word on PostgreSQL) through
    instr()/strpos() (storepos.db.contains).  No ORDER BY here: the caller takes a capped number
    of candidates (the query stops early) and ranks them, so a one-character fragment over
    100,000 names stays fast."""
    cond = None
    words = q.split()
    long_words = [w for w in words if len(w) >= 3] if _has_fts() else []
    if long_words:
        match = " ".join('"' + w.replace('"', '""') + '"' for w in long_words)
        # An IN (subquery) lets the index drive; a JOIN makes SQLite probe the index per product.
        cond = Product.id.in_(peewee.SQL("(SELECT rowid FROM product_fts WHERE product_fts MATCH ?)", [match]))
    for word in words:
        if word in long_words:
            continue
        term = contains(Product.name_zh, word) | contains(peewee.fn.lower(Product.name_en), word.lower())
        cond = term if cond is None else cond & term
    return base.where(cond)


def browse(store_id: int, query: str = "", *, limit: int = 200) -> list[ProductHit]:
    """The catalog list: every product (inactive too) by SKU, or the search for *query*."""
    if normalize_query(query):
        return search(store_id, query, limit=limit, include_inactive=True)
    rows = Product.select(*_FIELDS).where(Product.store == store_id).order_by(Product.sku).limit(limit)
    return [_hit(r) for r in rows.tuples()]


def count_products(store_id: int) -> int:
    """How many products the store has (inactive ones too)."""
    return Product.select().where(Product.store == store_id).count()


def search_index_rebuild_sql() -> tuple[str, ...]:
    """The SQLite statements that refill the name index from the product table and put its
    triggers back, in order: for a bulk load that dropped the triggers to insert faster (the
    benchmark's generator, on its own sqlite3 connection).  Raises nothing; running them needs
    FTS5 with the trigram tokenizer."""
    return ("INSERT INTO product_fts(product_fts) VALUES ('rebuild')", *SQLITE_SEARCH_INDEX[1:])
