"""The journey area: one customer's way through the procedure at a terminal, and the carts it
keeps.  A journey row holds the step reached and what that step hands the next (a JSON handoff);
a cart row holds a checkout cart (lines, payments taken, approvals) as JSON, current or parked.
No logic beyond field rules."""

from __future__ import annotations

import peewee

from storepos.models.base import BaseModel, JSONField
from storepos.models.store import Store

JOURNEY_STEPS = ("visit", "needs", "quote", "checkout", "receipt", "followup", "done")


class Journey(BaseModel):
    """A terminal's journey: ``open_key`` is "<store id>:<terminal>" while the journey is open and
    NULL once it ends; UNIQUE, so one open journey per terminal is a database fact."""

    store = peewee.ForeignKeyField(Store, backref="+", on_delete="RESTRICT")
    terminal = peewee.CharField(max_length=32)
    open_key = peewee.CharField(max_length=48, null=True, unique=True)
    step = peewee.CharField(max_length=16, default="visit")
    customer_id = peewee.IntegerField(null=True)
    visit_id = peewee.IntegerField(null=True)
    quote_id = peewee.IntegerField(null=True)
    sale_id = peewee.IntegerField(null=True)
    handoff = JSONField(null=True)
    started_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()
    ended_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("store", "terminal", "ended_at"), False),)


class CartDraft(BaseModel):
    """A checkout cart kept in the database: the terminal's current one (``parked`` false: at
    most one per terminal, by ``current_key``) or parked ones, named by ``label``."""

    uuid = peewee.CharField(max_length=36, unique=True)
    store = peewee.ForeignKeyField(Store, backref="+", on_delete="RESTRICT")
    terminal = peewee.CharField(max_length=32)
    current_key = peewee.CharField(max_length=48, null=True, unique=True)
    parked = peewee.BooleanField(default=False)
    label = peewee.CharField(max_length=120, default="")
    data = JSONField()
    updated_at = peewee.DateTimeField()

    class Meta:
        indexes = ((("store", "parked", "updated_at"), False),)
