"""The period a desk figure covers: store-local business dates, inclusive, and the base conditions
that put a sale or a visit in it.

A sale belongs to the local day of its ``created_at``; a visit to its ``business_date``.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from storepos import clock
from storepos.models import Sale, Visit
from storepos.services.core.errors import DomainError
from storepos.services.core.store import get_store

# The longest period the manager may type: three years.
MAX_RANGE_DAYS = 366 * 3


@dataclass(frozen=True)
class Period:
    store_id: int
    date_from: dt.date
    date_to: dt.date
    tz: str

    @property
    def start(self) -> dt.datetime:
        return clock.local_day_bounds(self.date_from, self.tz)[0]

    @property
    def end(self) -> dt.datetime:
        return clock.local_day_bounds(self.date_to, self.tz)[1]

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def local(self, at: dt.datetime | None) -> dt.datetime | None:
        return clock.to_local(at, self.tz) if at is not None else None


def period(store_id: int, date_from: dt.date, date_to: dt.date | None = None) -> Period:
    """The store's period from *date_from* to *date_to* (one day when *date_to* is None; the two
    swapped when given backwards).  Raises NotFound for an unknown store."""
    store = get_store(store_id)
    date_to = date_to or date_from
    if date_from > date_to:
        date_from, date_to = date_to, date_from
    return Period(store.id, date_from, date_to, store.timezone)


def parse_day(text: str, field: str, key: str = "err.bad_date") -> dt.date:
    """A date typed as 2026-03-02, 2026/3/2 or 2026.3.2.  DomainError(*key*, field=*field*, text=
    what was typed) otherwise."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    for sep in ("/", ".", "年", "月"):
        raw = raw.replace(sep, "-")
    raw = raw.rstrip("日")
    try:
        y, m, d = (int(x) for x in raw.split("-"))
        return dt.date(y, m, d)
    except ValueError:
        raise DomainError(key, field=field, text=(text or "").strip()) from None


def parse_range(text_from: str, text_to: str) -> tuple[dt.date, dt.date]:
    """A period typed by the manager; "to" left empty means one day.  Raises DomainError for a bad
    date, "to" before "from", or a period longer than three years."""
    d1 = parse_day(text_from, "from", "err.desk_bad_date")
    d2 = parse_day(text_to, "to", "err.desk_bad_date") if (text_to or "").strip() else d1
    if d1 > d2:
        raise DomainError("err.desk_bad_range", field="to", date_from=d1.isoformat(), date_to=d2.isoformat())
    if (d2 - d1).days > MAX_RANGE_DAYS:
        raise DomainError("err.desk_range_too_long", field="to", days=MAX_RANGE_DAYS)
    return d1, d2


def sales_in(p: Period) -> Any:
    """SQL condition: completed sales and returns made in the period (the base of most figures)."""
    return (Sale.store == p.store_id) & (Sale.created_at >= p.start) & (Sale.created_at < p.end) & \
        (Sale.status == "completed")


def visits_in(p: Period) -> Any:
    """SQL condition: the visits of the period's business days."""
    return (Visit.store == p.store_id) & (Visit.business_date >= p.date_from) & (Visit.business_date <= p.date_to)
