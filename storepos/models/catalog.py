"""Categories and products.  Prices in fen; stock kept in step with the stock ledger."""

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
    active = peewee.BooleanField(default=True)
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()

    class Meta:
        indexes = (
            (("store", "sku"), True),
            (("store", "barcode"), False),
        )
