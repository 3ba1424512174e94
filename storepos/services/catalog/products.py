"""Products: finding them (scan, search as you type) and editing them (managers, audited).

Search order: exact barcode (main or extra) or SKU, SKU prefix (indexed range), then name
fragments in Chinese or English.  CJK note (NOTES.md): on SQLite a trigram FTS5 index
(``product_fts``, kept in step by triggers) finds 3+ character fragments fast, but finds nothing
for 1–2 characters (and LIKE on it silently returns 0 rows), so shorter words use
instr() on the product table with a LIMIT.  PostgreSQL has no FTS table: every word uses
strpos() there.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import peewee
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from storepos import clock
from storepos.db import contains, database, is_sqlite, transactional
from storepos.i18n import pick
from storepos.models import Category, Product, ProductBarcode
from storepos.money import from_fen, parse_amount, to_fen
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound, parse
from storepos.services.core.permissions import require


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


_contains = contains  # storepos.db.contains: instr() on SQLite, strpos() on PostgreSQL


def _name_query(base: peewee.ModelSelect, q: str) -> peewee.ModelSelect:
    """Every word must appear in the Chinese or the English name (English case-insensitive).

    Words of 3+ characters go through the trigram index where there is one (the index drives
    the query through IN (subquery)); shorter ones (and every word on PostgreSQL) through instr()/strpos().  No ORDER
    BY here: the caller takes a capped number of candidates (the query stops early) and ranks
    them, so a one-character fragment over 100,000 names stays fast."""
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
        term = _contains(Product.name_zh, word) | _contains(peewee.fn.lower(Product.name_en), word.lower())
        cond = term if cond is None else cond & term
    return base.where(cond)


def browse(store_id: int, query: str = "", *, limit: int = 200) -> list[ProductHit]:
    """The catalog list: every product (inactive too) by SKU, or the search for *query*."""
    if normalize_query(query):
        return search(store_id, query, limit=limit, include_inactive=True)
    rows = Product.select(*_FIELDS).where(Product.store == store_id).order_by(Product.sku).limit(limit)
    return [_hit(r) for r in rows.tuples()]


def count_products(store_id: int) -> int:
    return Product.select().where(Product.store == store_id).count()


# -- editing (managers) --------------------------------------------------------------------------

_CODE_RE = re.compile(r"^[0-9A-Za-z._/-]{1,40}$")


def split_codes(value: Any) -> list[str]:
    """'a|b, c' or a list -> ['a', 'b', 'c'] (normalised, empty ones dropped, order kept)."""
    if value is None:
        return []
    parts = value if isinstance(value, (list, tuple)) else re.split(r"[|,;，；\s]+", str(value))
    out: list[str] = []
    for part in parts:
        code = normalize_query(str(part))
        if code and code not in out:
            out.append(code)
    return out


def _money(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return parse_amount(value)
    return parse_amount(str(value) if value is not None else "")  # MoneyError is a ValueError


class ProductInput(BaseModel):
    """A product as a manager enters it (or an import row).  Amounts in yuan."""

    model_config = ConfigDict(str_strip_whitespace=True)

    sku: str = Field(min_length=1, max_length=40)
    barcode: str = Field("", max_length=40)
    extra_barcodes: list[str] = Field(default_factory=list)
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str = Field("", max_length=200)
    category: str = Field("", max_length=40)
    unit: str = Field("个", min_length=1, max_length=10)
    price: Decimal
    floor_price: Decimal | None = None
    active: bool = True

    @field_validator("sku", "barcode", mode="before")
    @classmethod
    def _code(cls, value: Any) -> Any:
        value = normalize_query(str(value or ""))
        if value and not _CODE_RE.match(value):
            raise ValueError("err.bad_code")
        return value

    @field_validator("extra_barcodes", mode="before")
    @classmethod
    def _codes(cls, value: Any) -> list[str]:
        codes = split_codes(value)
        for code in codes:
            if not _CODE_RE.match(code):
                raise ValueError("err.bad_code")
        return codes

    @field_validator("price", mode="before")
    @classmethod
    def _price(cls, value: Any) -> Decimal:
        return _money(value)

    @field_validator("floor_price", mode="before")
    @classmethod
    def _floor(cls, value: Any) -> Decimal | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return _money(value)

    @model_validator(mode="after")
    def _floor_rule(self) -> ProductInput:
        if self.floor_price is None:
            self.floor_price = self.price
        if self.floor_price > self.price:
            raise DomainError("err.floor_above_price", field="floor_price")
        if self.barcode and self.barcode in self.extra_barcodes:
            self.extra_barcodes = [c for c in self.extra_barcodes if c != self.barcode]
        return self


def _parse_product(data: dict[str, Any]) -> ProductInput:
    return parse(ProductInput, data)


def _view_of(clean: ProductInput) -> dict[str, Any]:
    assert clean.floor_price is not None
    return {"sku": clean.sku, "barcode": clean.barcode, "extra_barcodes": list(clean.extra_barcodes),
            "name_zh": clean.name_zh, "name_en": clean.name_en, "category": clean.category,
            "unit": clean.unit, "price": str(from_fen(to_fen(clean.price))),
            "floor_price": str(from_fen(to_fen(clean.floor_price))), "active": clean.active}


def barcode_owners(store_id: int, codes: list[str]) -> dict[str, tuple[int, str]]:
    """code -> (product id, sku) for the codes already used as a main or extra barcode."""
    if not codes:
        return {}
    out: dict[str, tuple[int, str]] = {}
    for code, pid, sku in (Product.select(Product.barcode, Product.id, Product.sku)
                           .where(Product.store == store_id, Product.barcode.in_(codes)).tuples()):
        out[code] = (pid, sku)
    for code, pid, sku in (ProductBarcode.select(ProductBarcode.code, Product.id, Product.sku)
                           .join(Product, on=(ProductBarcode.product == Product.id))
                           .where(ProductBarcode.store == store_id, ProductBarcode.code.in_(codes)).tuples()):
        out.setdefault(code, (pid, sku))
    return out


def categories(store_id: int) -> list[Category]:
    return list(Category.select().where(Category.store == store_id).order_by(Category.code))


def product_view(product: Product) -> dict[str, Any]:
    """A product as plain data (for the edit form and the audit's before/after)."""
    cat = Category.get_or_none(Category.id == product.category_id) if product.category_id else None
    extras = [c for (c,) in ProductBarcode.select(ProductBarcode.code)
              .where(ProductBarcode.product == product.id).order_by(ProductBarcode.id).tuples()]
    return {"sku": product.sku, "barcode": product.barcode or "", "extra_barcodes": extras,
            "name_zh": product.name_zh, "name_en": product.name_en, "category": cat.code if cat else "",
            "unit": product.unit, "price": str(from_fen(product.price)),
            "floor_price": str(from_fen(product.floor_price)), "active": bool(product.active)}


def get_product(store_id: int, product_id: int) -> Product:
    p = Product.get_or_none(Product.id == product_id, Product.store == store_id)
    if p is None:
        raise NotFound("err.product_not_found")
    return p


def _check_unique(store_id: int, data: ProductInput, product_id: int | None) -> int | None:
    """Raise on a taken SKU or barcode; returns the category id."""
    other = Product.get_or_none(Product.store == store_id, Product.sku == data.sku)
    if other is not None and other.id != product_id:
        raise DomainError("err.sku_taken", field="sku", sku=data.sku)
    codes = ([data.barcode] if data.barcode else []) + data.extra_barcodes
    if len(set(codes)) != len(codes):
        raise DomainError("err.barcode_repeated", field="extra_barcodes")
    owners = barcode_owners(store_id, codes)
    for code in codes:
        owner = owners.get(code)
        if owner is not None and owner[0] != product_id:
            raise DomainError("err.barcode_taken", field="barcode" if code == data.barcode else "extra_barcodes",
                              code=code, sku=owner[1])
    if not data.category:
        return None
    cat = Category.get_or_none(Category.store == store_id, Category.code == data.category)
    if cat is None:
        raise DomainError("err.category_unknown", field="category", code=data.category)
    return cat.id


def _columns(data: ProductInput, category_id: int | None) -> dict[str, Any]:
    assert data.floor_price is not None
    return {"sku": data.sku, "barcode": data.barcode or None, "name_zh": data.name_zh, "name_en": data.name_en,
            "category": category_id, "unit": data.unit, "price": to_fen(data.price),
            "floor_price": to_fen(data.floor_price), "active": data.active}


def _set_extras(store_id: int, product_id: int, codes: list[str]) -> None:
    ProductBarcode.delete().where(ProductBarcode.product == product_id).execute()
    if codes:
        ProductBarcode.insert_many([{"store": store_id, "product": product_id, "code": c} for c in codes]).execute()


@transactional
def create_product(actor: Actor, data: dict[str, Any]) -> int:
    """A new product (stock 0: stock comes in by receiving or a count).  Manager only."""
    require(actor, "catalog.edit")
    clean = _parse_product(data)
    cat_id = _check_unique(actor.store_id, clean, None)
    now = clock.now()
    pid = Product.insert(_columns(clean, cat_id) | {"store": actor.store_id, "stock": 0, "defective": 0,
                                                   "created_at": now, "updated_at": now}).execute()
    _set_extras(actor.store_id, pid, clean.extra_barcodes)
    audit.record(actor, "catalog.create", "product", pid, after=product_view(get_product(actor.store_id, pid)))
    return pid


@transactional
def update_product(actor: Actor, product_id: int, data: dict[str, Any]) -> bool:
    """Change a product (fields not given stay).  Manager only; audited with before/after.
    Returns False when nothing changed (nothing written)."""
    require(actor, "catalog.edit")
    p = get_product(actor.store_id, product_id)
    before = product_view(p)
    clean = _parse_product(before | data)
    cat_id = _check_unique(actor.store_id, clean, p.id)
    after = _view_of(clean)
    if after == before:
        return False
    Product.update(_columns(clean, cat_id) | {"updated_at": clock.now()}).where(Product.id == p.id).execute()
    if clean.extra_barcodes != before["extra_barcodes"]:
        _set_extras(actor.store_id, p.id, clean.extra_barcodes)
    changed = {k for k in after if after[k] != before[k]}
    audit.record(actor, "catalog.update", "product", p.id, before={k: before[k] for k in sorted(changed)},
                 after={k: after[k] for k in sorted(changed)})
    return True
