"""The store's days, as follow-ups count them: today's business date, the local day of a moment,
and a day typed for a follow-up (never in the past)."""

from __future__ import annotations

import datetime as dt

from storepos import clock
from storepos.models import Store
from storepos.services import visits
from storepos.services.core.errors import DomainError
from storepos.services.core.store import business_date, get_store


def store_today(store_id: int) -> dt.date:
    """The store's business date now."""
    return business_date(get_store(store_id))


def local_day(at: dt.datetime, store: Store) -> dt.date:
    """The day *at* (naive UTC) falls on in the store's timezone."""
    return clock.to_local(at, store.timezone).date()


def parse_future_day(value: str | dt.date | None, today: dt.date, *, field: str,
                     allow_today: bool = False) -> dt.date:
    """A day after *today* (or today itself with *allow_today*): a date, or text the visits'
    day parser reads ("3-10", "+7"…).  DomainError beside *field* when it is empty, unreadable or
    too early."""
    if isinstance(value, dt.date):
        day = value
    else:
        text = str(value or "").strip()
        if not text:
            raise DomainError("err.required", field=field)
        try:
            day = visits.parse_day(text, today)
        except DomainError as exc:
            raise DomainError(exc.key, field=field) from None
        if day is None:
            raise DomainError("err.bad_date", field=field)
    if day < today:
        raise DomainError("err.followup_date_past" if allow_today else "err.followup_date_future", field=field)
    if day == today and not allow_today:
        raise DomainError("err.followup_date_future", field=field)
    return day
