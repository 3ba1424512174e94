"""Staff: who may log in, their role, PIN hash and lockout state."""

from __future__ import annotations

import peewee

from storepos.models.base import BaseModel
from storepos.models.store import Store

ROLES = ("staff", "manager", "trainer")


class Staff(BaseModel):
    store = peewee.ForeignKeyField(Store, backref="staff", on_delete="RESTRICT")
    code = peewee.CharField(max_length=20)
    name = peewee.CharField(max_length=60)
    role = peewee.CharField(max_length=10, default="staff")
    pin_hash = peewee.CharField(max_length=200)
    discount_authority = peewee.IntegerField(default=0)  # percent
    language = peewee.CharField(max_length=10, null=True)
    active = peewee.BooleanField(default=True)
    failed_pins = peewee.IntegerField(default=0)
    lockouts = peewee.IntegerField(default=0)
    locked_until = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField()

    class Meta:
        indexes = ((("store", "code"), True),)
