"""Customers and their credit terms."""

from __future__ import annotations

import peewee

from storepos.models.base import BaseModel, MoneyField
from storepos.models.store import Store

SEGMENTS = ("retail", "business", "vip")


class Customer(BaseModel):
    store = peewee.ForeignKeyField(Store, backref="customers", on_delete="RESTRICT")
    number = peewee.CharField(max_length=20)
    name = peewee.CharField(max_length=100)
    phone = peewee.CharField(max_length=20, default="", index=True)
    segment = peewee.CharField(max_length=20, default="retail")
    address = peewee.CharField(max_length=200, default="")
    notes = peewee.TextField(default="")
    credit_limit = MoneyField(default=0)
    credit_days = peewee.IntegerField(default=0)
    created_at = peewee.DateTimeField()

    class Meta:
        indexes = ((("store", "number"), True),)
