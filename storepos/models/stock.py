"""The stock ledger: every change of a product's quantity is a StockMove; batches for expiry/FIFO.

Invariants (checked by `storepos check`):
  sum(move.qty where location='main')      == product.stock
  sum(move.qty where location='defective') == product.defective
  sum(move.qty where batch=b)              == b.qty_left
"""

from __future__ import annotations

import peewee

from storepos.models.base import BaseModel
from storepos.models.catalog import Product
from storepos.models.staff import Staff
from storepos.models.store import Store

REASONS = ("receive", "sale", "return", "adjustment", "defective", "count", "transfer")
LOCATIONS = ("main", "defective")


class Batch(BaseModel):
    """A delivery of one product with its own code and expiry date; sold oldest first."""

    store = peewee.ForeignKeyField(Store, backref="+", on_delete="RESTRICT")
    product = peewee.ForeignKeyField(Product, backref="batches", on_delete="RESTRICT")
    code = peewee.CharField(max_length=40)
    expiry = peewee.DateField(null=True, index=True)
    received_at = peewee.DateTimeField()
    qty_received = peewee.IntegerField(default=0)
    qty_left = peewee.IntegerField(default=0)

    class Meta:
        indexes = ((("product", "code"), True),)


class StockMove(BaseModel):
    store = peewee.ForeignKeyField(Store, backref="+", on_delete="RESTRICT")
    product = peewee.ForeignKeyField(Product, backref="moves", on_delete="RESTRICT")
    qty = peewee.IntegerField()  # signed change of the location's quantity
    reason = peewee.CharField(max_length=12, index=True)  # one of REASONS
    location = peewee.CharField(max_length=10, default="main")  # main | defective
    ref = peewee.CharField(max_length=120, default="")  # sale number, delivery note, "import x.csv"…
    note = peewee.CharField(max_length=200, default="")
    batch = peewee.ForeignKeyField(Batch, null=True, backref="moves", on_delete="RESTRICT")
    staff = peewee.ForeignKeyField(Staff, null=True, backref="+", on_delete="RESTRICT")
    terminal = peewee.CharField(max_length=40, default="")
    at = peewee.DateTimeField(index=True)

    class Meta:
        indexes = ((("product", "at"), False),)
