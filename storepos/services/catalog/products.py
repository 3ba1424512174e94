"""Editing products (managers, audited): the product as entered, its barcodes, create and update.

A new product starts with no stock: stock comes in by receiving or a count (the stock ledger).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from storepos import clock
from storepos.db import transactional
from storepos.models import Product, ProductBarcode
from storepos.money import from_fen, parse_amount, to_fen
from storepos.services.catalog.categories import category_code, category_id_of
from storepos.services.catalog.codes import CODE_RE, split_codes
from storepos.services.catalog.search import normalize_query
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound, parse
from storepos.services.core.permissions import require


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
        if value and not CODE_RE.match(value):
            raise ValueError("err.bad_code")
        return value

    @field_validator("extra_barcodes", mode="before")
    @classmethod
    def _codes(cls, value: Any) -> list[str]:
        codes = split_codes(value)
        for code in codes:
            if not CODE_RE.match(code):
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


def product_view(product: Product) -> dict[str, Any]:
    """A product as plain data (for the edit form and the audit's before/after)."""
    extras = [c for (c,) in ProductBarcode.select(ProductBarcode.code)
              .where(ProductBarcode.product == product.id).order_by(ProductBarcode.id).tuples()]
    return {"sku": product.sku, "barcode": product.barcode or "", "extra_barcodes": extras,
            "name_zh": product.name_zh, "name_en": product.name_en, "category": category_code(product.category_id),
            "unit": product.unit, "price": str(from_fen(product.price)),
            "floor_price": str(from_fen(product.floor_price)), "active": bool(product.active)}


def get_product(store_id: int, product_id: int) -> Product:
    """The store's product *product_id*; raises NotFound("err.product_not_found")."""
    p = Product.get_or_none(Product.id == product_id, Product.store == store_id)
    if p is None:
        raise NotFound("err.product_not_found")
    return p


def _check_unique(store_id: int, data: ProductInput, product_id: int | None) -> int | None:
    """Raise on a taken SKU or barcode (or an unknown category); returns the category id."""
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
    return category_id_of(store_id, data.category)


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
    """A new product (stock 0: stock comes in by receiving or a count).  Manager only.

    Returns its id.  Raises PermissionDenied, DomainError for a field that is wrong (the field
    named), a SKU or barcode already taken, or an unknown category."""
    require(actor, "catalog.edit")
    clean = parse(ProductInput, data)
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
    Returns False when nothing changed (nothing written).

    Raises PermissionDenied, NotFound for a product of another store, and DomainError as
    create_product does."""
    require(actor, "catalog.edit")
    p = get_product(actor.store_id, product_id)
    before = product_view(p)
    clean = parse(ProductInput, before | data)
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
