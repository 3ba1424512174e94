"""Stores, terminals and the database's own key/value facts (schema version, audit head)."""

from __future__ import annotations

import peewee

from storepos.models.base import BaseModel, JSONField


class Meta(BaseModel):
    key = peewee.CharField(primary_key=True, max_length=64)
    value = peewee.TextField()

    class Meta:
        table_name = "storepos_meta"


class Store(BaseModel):
    code = peewee.CharField(unique=True, max_length=20)
    name_zh = peewee.CharField(max_length=100)
    name_en = peewee.CharField(max_length=100, default="")
    opening_time = peewee.CharField(max_length=5, default="09:00")  # HH:MM local
    timezone = peewee.CharField(max_length=64, default="Asia/Shanghai")
    settings = JSONField(default=dict)  # validated by services.store.StoreSettings
    created_at = peewee.DateTimeField()


class Terminal(BaseModel):
    store = peewee.ForeignKeyField(Store, backref="terminals", on_delete="RESTRICT")
    code = peewee.CharField(max_length=40)
    created_at = peewee.DateTimeField()
    last_seen_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("store", "code"), True),)
