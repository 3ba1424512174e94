"""Append-only audit log (an HMAC chain, services.core.audit) and manager approvals (every override)."""

from __future__ import annotations

import peewee

from storepos.models.base import BaseModel, JSONField
from storepos.models.staff import Staff
from storepos.models.store import Store


class AuditLog(BaseModel):
    at = peewee.DateTimeField(index=True)
    store = peewee.ForeignKeyField(Store, null=True, backref="+", on_delete="RESTRICT")
    terminal = peewee.CharField(max_length=40, default="")
    staff = peewee.ForeignKeyField(Staff, null=True, backref="+", on_delete="RESTRICT")
    action = peewee.CharField(max_length=60, index=True)
    entity = peewee.CharField(max_length=40, default="")
    entity_id = peewee.CharField(max_length=40, default="")
    before = JSONField(null=True)
    after = JSONField(null=True)
    prev_hash = peewee.CharField(max_length=64)
    hash = peewee.CharField(max_length=64)
    # the audit key (id in the key file) whose HMAC `hash` is; NULL: a row written before the
    # chain was keyed (schema < 7), plain SHA-256, only allowed before the recorded start
    key_id = peewee.IntegerField(null=True)

    class Meta:
        indexes = ((("entity", "entity_id"), False),)


class Approval(BaseModel):
    """A manager's PIN entered on the spot to let something beyond the rules go ahead."""

    store = peewee.ForeignKeyField(Store, backref="+", on_delete="RESTRICT")
    at = peewee.DateTimeField(index=True)
    kind = peewee.CharField(max_length=40, index=True)  # discount, price_floor, credit, void, ...
    requested_by = peewee.ForeignKeyField(Staff, backref="+", on_delete="RESTRICT")
    approved_by = peewee.ForeignKeyField(Staff, backref="+", on_delete="RESTRICT")
    reason = peewee.TextField(default="")
    entity = peewee.CharField(max_length=40, default="")
    entity_id = peewee.CharField(max_length=40, default="")
    detail = JSONField(default=dict)
    terminal = peewee.CharField(max_length=40, default="")

    class Meta:
        # the approvals log of a period; the approvals behind a record (reports)
        indexes = ((("store", "at"), False), (("entity", "entity_id"), False))
