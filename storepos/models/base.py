"""The model base: every table is bound to the database proxy of storepos.db."""

from __future__ import annotations

import json
from typing import Any

import peewee

from storepos.db import database


class BaseModel(peewee.Model):
    class Meta:
        database = database
        legacy_table_names = False


class JSONField(peewee.TextField):
    """JSON kept as text (portable across SQLite and PostgreSQL)."""

    def db_value(self, value: Any) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)

    def python_value(self, value: Any) -> Any:
        return None if value is None else json.loads(value)


class MoneyField(peewee.BigIntegerField):
    """Money in integer fen (分).  Convert with storepos.money.to_fen / from_fen."""
