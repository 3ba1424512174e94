"""Quotes: what was offered to a customer, at what price, until when; revisions kept.

Money in fen.  A line's total is rounded half-up once per line (services.quotes does the sums).
Status codes: draft, given, accepted, converted, expired, cancelled.
"""

from __future__ import annotations

import peewee

from storepos.models.audit import Approval
from storepos.models.base import BaseModel, JSONField, MoneyField
from storepos.models.catalog import Product
from storepos.models.customer import Customer
from storepos.models.staff import Staff
from storepos.models.store import Store

QUOTE_STATUSES = ("draft", "given", "accepted", "converted", "expired", "cancelled")
OPEN_STATUSES = ("draft", "given", "accepted")  # these expire when their validity ends


class Quote(BaseModel):
    store = peewee.ForeignKeyField(Store, backref="quotes", on_delete="RESTRICT")
    number = peewee.CharField(max_length=20)  # Q20260302-001: business date + sequence
    customer = peewee.ForeignKeyField(Customer, null=True, backref="quotes", on_delete="RESTRICT")
    staff = peewee.ForeignKeyField(Staff, backref="quotes", on_delete="RESTRICT")
    visit_id = peewee.IntegerField(null=True)  # the visit it came from (issue 5)
    status = peewee.CharField(max_length=12, default="draft")
    valid_until = peewee.DateField()  # last store-local day the prices hold
    notes = peewee.TextField(default="")
    revision = peewee.IntegerField(default=1)
    discount = MoneyField(default=0)  # whole-quote discount, fen off the lines' sum
    subtotal = MoneyField(default=0)  # sum of line totals
    total = MoneyField(default=0)  # subtotal - discount
    list_total = MoneyField(default=0)  # what the lines cost at list price (authority base)
    approval = peewee.ForeignKeyField(Approval, null=True, backref="+", on_delete="RESTRICT")
    approved_total = MoneyField(null=True)  # lowest total the whole-quote approval covers
    sale_id = peewee.IntegerField(null=True)  # the sale it became (checkout)
    given_at = peewee.DateTimeField(null=True)
    accepted_at = peewee.DateTimeField(null=True)
    closed_at = peewee.DateTimeField(null=True)  # converted, expired or cancelled
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()

    class Meta:
        indexes = (
            (("store", "number"), True),
            (("store", "status", "valid_until"), False),
            (("store", "staff", "status"), False),
            (("customer", "created_at"), False),
        )


class QuoteLine(BaseModel):
    quote = peewee.ForeignKeyField(Quote, backref="lines", on_delete="CASCADE")
    position = peewee.IntegerField()
    product = peewee.ForeignKeyField(Product, backref="+", on_delete="RESTRICT")
    sku = peewee.CharField(max_length=40)
    name_zh = peewee.CharField(max_length=200)
    name_en = peewee.CharField(max_length=200, default="")
    unit = peewee.CharField(max_length=10, default="个")
    qty = peewee.IntegerField()
    list_price = MoneyField()  # the product's price when the line was added
    floor_price = MoneyField()  # the product's floor when the line was added
    unit_price = MoneyField()  # the quoted unit price (may be negotiated below list)
    discount_pct = peewee.IntegerField(default=0)  # line discount, whole percent off unit_price
    total = MoneyField()  # unit_price * qty * (100 - discount_pct) / 100, half-up once
    approval = peewee.ForeignKeyField(Approval, null=True, backref="+", on_delete="RESTRICT")
    approved_total = MoneyField(null=True)  # lowest line total the line's approval covers

    class Meta:
        indexes = ((("quote", "position"), False),)


class QuoteRevision(BaseModel):
    """A snapshot of a quote as it was given to the customer (revision n)."""

    quote = peewee.ForeignKeyField(Quote, backref="revisions", on_delete="CASCADE")
    revision = peewee.IntegerField()
    lines = JSONField(default=list)
    discount = MoneyField(default=0)
    subtotal = MoneyField(default=0)
    total = MoneyField(default=0)
    valid_until = peewee.DateField()
    notes = peewee.TextField(default="")
    at = peewee.DateTimeField()
    by = peewee.ForeignKeyField(Staff, backref="+", on_delete="RESTRICT")

    class Meta:
        indexes = ((("quote", "revision"), True),)
