"""The opening checklist: items (data, per store), one run per store and business day, and every
answer given (history kept: the latest answer per item counts)."""

from __future__ import annotations

import peewee

from storepos.models.base import BaseModel
from storepos.models.staff import Staff
from storepos.models.store import Store

RUN_STATUSES = ("open", "submitted", "approved", "returned")
ANSWERS = ("ok", "problem", "na")


class ChecklistItem(BaseModel):
    """One check of the opening list; seeded from fixtures/sop/checklist.toml, then edited by managers.
    Items are never deleted: a retired item stays for the runs that answered it."""

    store = peewee.ForeignKeyField(Store, backref="+", on_delete="RESTRICT")
    code = peewee.CharField(max_length=40)
    group = peewee.CharField(max_length=40)  # group code of the fixture (environment, products, staff)
    text_zh = peewee.CharField(max_length=200)
    text_en = peewee.CharField(max_length=200, default="")
    tip_zh = peewee.TextField(default="")
    tip_en = peewee.TextField(default="")
    mandatory = peewee.BooleanField(default=True)
    position = peewee.IntegerField(default=0)
    retired = peewee.BooleanField(default=False)
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()

    class Meta:
        indexes = ((("store", "code"), True),)


class ChecklistRun(BaseModel):
    store = peewee.ForeignKeyField(Store, backref="+", on_delete="RESTRICT")
    business_date = peewee.DateField()
    started_by = peewee.ForeignKeyField(Staff, backref="+", on_delete="RESTRICT")
    started_at = peewee.DateTimeField()
    status = peewee.CharField(max_length=10, default="open")  # open | submitted | approved | returned
    submitted_by = peewee.ForeignKeyField(Staff, null=True, backref="+", on_delete="RESTRICT")
    submitted_at = peewee.DateTimeField(null=True)
    first_submitted_at = peewee.DateTimeField(null=True)
    late = peewee.BooleanField(default=False)  # first submitted after the store's opening time
    reviewer = peewee.ForeignKeyField(Staff, null=True, backref="+", on_delete="RESTRICT")
    review_note = peewee.TextField(default="")
    reviewed_at = peewee.DateTimeField(null=True)
    returned_count = peewee.IntegerField(default=0)

    class Meta:
        indexes = ((("store", "business_date"), True),)


class ChecklistEntry(BaseModel):
    """One answer.  Never updated: answering again adds a row.  Keeps the wording answered."""

    run = peewee.ForeignKeyField(ChecklistRun, backref="entries", on_delete="RESTRICT")
    item = peewee.ForeignKeyField(ChecklistItem, backref="+", on_delete="RESTRICT")
    answer = peewee.CharField(max_length=10)  # ok | problem | na
    note = peewee.TextField(default="")
    staff = peewee.ForeignKeyField(Staff, backref="+", on_delete="RESTRICT")
    at = peewee.DateTimeField()
    text_zh = peewee.CharField(max_length=200)
    text_en = peewee.CharField(max_length=200, default="")

    class Meta:
        indexes = ((("run", "item"), False),)
