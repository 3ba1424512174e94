"""Portable SQL for the desk's aggregates: the few expressions that differ between SQLite and
PostgreSQL, and the plain values an aggregate row comes back as."""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import SQL, fn

from storepos import clock
from storepos.db import is_sqlite


def seconds_between(later: Any, earlier: Any) -> Any:
    """SQL: seconds from *earlier* to *later* (both timestamp columns)."""
    if is_sqlite():
        return (fn.julianday(later) - fn.julianday(earlier)) * 86400.0
    return fn.date_part("epoch", later - earlier)


def utc_offset_minutes(tz: str, day: dt.date) -> int:
    """The store's offset from UTC on *day*, in minutes (taken at local noon, away from a change)."""
    local_noon = dt.datetime.combine(day, dt.time(12))
    off = local_noon.replace(tzinfo=clock.zone(tz)).utcoffset() or dt.timedelta()
    return int(off.total_seconds() // 60)


def local_date(column: Any, minutes: int) -> Any:
    """SQL: the local calendar date of a naive-UTC timestamp column at a fixed UTC offset."""
    if is_sqlite():
        return fn.date(column, f"{minutes:+d} minutes")
    return fn.date(column + SQL(f"interval '{int(minutes)} minutes'"))


def as_date(value: Any) -> dt.date:
    """A date column's value as a date (SQLite gives text, PostgreSQL a date or a timestamp)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def as_int(value: Any) -> int:
    """A COUNT or SUM as an int (SUM over no rows is NULL: 0)."""
    return int(value or 0)
