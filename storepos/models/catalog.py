"""Categories and products.  Prices in fen; stock kept in step with the stock ledger.

A product has a main barcode (Product.barcode) and any number of extra ones (ProductBarcode);
a scanned code is looked up in both.  ``stock`` is the sellable quantity and ``defective`` the
quantity held in the defective location (不合格品库, not sellable); both change only through
services.stock.apply_move, which writes a StockMove for every change.

On SQLite a trigram FTS5 index over the names (``product_fts``) is kept in step by triggers
(see SQLITE_SEARCH_INDEX); PostgreSQL has none and searches the plain table.
"""

from __future__ import annotations

import peewee

from storepos.models.base import BaseModel, MoneyField
from storepos.models.store import Store


class Category(BaseModel):
    store = peewee.ForeignKeyField(Store, backref="categories", on_delete="RESTRICT")
    code = peewee.CharField(max_length=40)
    name_zh = peewee.CharField(max_length=100)
    name_en = peewee.CharField(max_length=100, default="")

    class Meta:
        indexes = ((("store", "code"), True),)


class Product(BaseModel):
    store = peewee.ForeignKeyField(Store, backref="products", on_delete="RESTRICT")
    sku = peewee.CharField(max_length=40)
    barcode = peewee.CharField(max_length=40, null=True)
    name_zh = peewee.CharField(max_length=200)
    name_en = peewee.CharField(max_length=200, default="")
    category = peewee.ForeignKeyField(Category, null=True, backref="products", on_delete="SET NULL")
    unit = peewee.CharField(max_length=10, default="个")
    price = MoneyField()
    floor_price = MoneyField()
    stock = peewee.IntegerField(default=0)
    defective = peewee.IntegerField(default=0)  # units in the defective location (not sellable)
    active = peewee.BooleanField(default=True)
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()

    class Meta:
        indexes = (
            (("store", "sku"), True),
            (("store", "barcode"), False),
        )


class ProductBarcode(BaseModel):
    """An extra barcode of a product (a second supplier's code, an inner pack…)."""

    store = peewee.ForeignKeyField(Store, backref="+", on_delete="RESTRICT")
    product = peewee.ForeignKeyField(Product, backref="extra_barcodes", on_delete="CASCADE")
    code = peewee.CharField(max_length=40)

    class Meta:
        indexes = ((("store", "code"), True),)


# Trigram full-text index of product names on SQLite (3+ character fragments, any script).
# External content: the index holds no copy of the names; triggers keep it in step.
SQLITE_SEARCH_INDEX = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS product_fts USING fts5("
    "name_zh, name_en, content='product', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS product_fts_ai AFTER INSERT ON product BEGIN "
    "INSERT INTO product_fts(rowid, name_zh, name_en) VALUES (new.id, new.name_zh, new.name_en); END",
    "CREATE TRIGGER IF NOT EXISTS product_fts_ad AFTER DELETE ON product BEGIN "
    "INSERT INTO product_fts(product_fts, rowid, name_zh, name_en) "
    "VALUES ('delete', old.id, old.name_zh, old.name_en); END",
    "CREATE TRIGGER IF NOT EXISTS product_fts_au AFTER UPDATE OF name_zh, name_en ON product BEGIN "
    "INSERT INTO product_fts(product_fts, rowid, name_zh, name_en) "
    "VALUES ('delete', old.id, old.name_zh, old.name_en); "
    "INSERT INTO product_fts(rowid, name_zh, name_en) VALUES (new.id, new.name_zh, new.name_en); END",
)
