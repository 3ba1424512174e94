"""Customer visits: the approach log (signal, greeting standard), needs, products shown, outcome.

Signal, greeting, outcome and leave-reason values are the CODES of fixtures/sop/approach.toml and
outcomes.toml, never their text.  Times are naive UTC (storepos.clock).
"""

from __future__ import annotations

import peewee

from storepos.models.base import BaseModel, JSONField, MoneyField
from storepos.models.catalog import Product
from storepos.models.customer import Customer
from storepos.models.staff import Staff
from storepos.models.store import Store

VISIT_STEPS = ("signal", "greeting", "needs", "outcome")
VISIT_STATUSES = ("open", "closed")


class Visit(BaseModel):
    store = peewee.ForeignKeyField(Store, backref="visits", on_delete="RESTRICT")
    staff = peewee.ForeignKeyField(Staff, backref="visits", on_delete="RESTRICT")
    customer = peewee.ForeignKeyField(Customer, null=True, backref="visits", on_delete="RESTRICT")
    business_date = peewee.DateField()  # the store-local date the visit started on
    started_at = peewee.DateTimeField()
    signal = peewee.CharField(max_length=40, null=True)  # approach.toml [[signals]] code
    signal_seen_at = peewee.DateTimeField(null=True)
    approached_at = peewee.DateTimeField(null=True)
    greeting = JSONField(default=list)  # approach.toml [[greeting]] codes met
    needs = JSONField(default=dict)  # needs.toml field code -> value (budget in its own column)
    budget = MoneyField(null=True)
    outcome = peewee.CharField(max_length=20, null=True)  # outcomes.toml [[outcomes]] code
    leave_reason = peewee.CharField(max_length=40, null=True)  # outcomes.toml [[leave_reasons]] code
    come_back_date = peewee.DateField(null=True)
    step = peewee.CharField(max_length=20, default="signal")  # where the visit stopped
    done = JSONField(default=list)  # steps completed
    skipped = JSONField(default=list)  # steps skipped (explicitly, or left empty at the end)
    status = peewee.CharField(max_length=10, default="open")
    ended_at = peewee.DateTimeField(null=True)
    quote_id = peewee.IntegerField(null=True)  # the quote it led to (set by the quote area)
    sale_id = peewee.IntegerField(null=True)  # the sale it led to (set by checkout)
    updated_at = peewee.DateTimeField()

    class Meta:
        indexes = (
            (("store", "business_date", "staff"), False),
            (("store", "status", "business_date"), False),
            (("store", "come_back_date"), False),
            (("customer", "started_at"), False),
        )


class VisitProduct(BaseModel):
    """A product shown to the customer during a visit."""

    visit = peewee.ForeignKeyField(Visit, backref="products", on_delete="CASCADE")
    product = peewee.ForeignKeyField(Product, backref="+", on_delete="RESTRICT")
    shown_at = peewee.DateTimeField()

    class Meta:
        indexes = ((("visit", "product"), True),)
