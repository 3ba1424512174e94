"""One clock for the whole program, so tests can set the time.

Times are stored as naive UTC datetimes; the business date is the store's local date.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class Clock:
    """The real clock."""

    def now(self) -> dt.datetime:
        """Current time, naive UTC (what the database stores)."""
        return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)

    def local_now(self, tz: str) -> dt.datetime:
        return to_local(self.now(), tz)

    def business_date(self, tz: str) -> dt.date:
        return self.local_now(tz).date()


class FixedClock(Clock):
    """A clock that stands still until moved; for tests and simulation."""

    def __init__(self, at: dt.datetime) -> None:
        self._at = at.replace(tzinfo=None) if at.tzinfo is None else at.astimezone(
            dt.timezone.utc).replace(tzinfo=None)

    def now(self) -> dt.datetime:
        return self._at

    def set(self, at: dt.datetime) -> None:
        self._at = FixedClock(at)._at

    def advance(self, **kwargs: float) -> None:
        self._at += dt.timedelta(**kwargs)


def zone(tz: str) -> dt.tzinfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.timezone(dt.timedelta(hours=8))


def to_local(utc_naive: dt.datetime, tz: str) -> dt.datetime:
    return utc_naive.replace(tzinfo=dt.timezone.utc).astimezone(zone(tz)).replace(tzinfo=None)


def to_utc(local_naive: dt.datetime, tz: str) -> dt.datetime:
    return local_naive.replace(tzinfo=zone(tz)).astimezone(dt.timezone.utc).replace(tzinfo=None)


def local_day_bounds(day: dt.date, tz: str) -> tuple[dt.datetime, dt.datetime]:
    """UTC [start, end) of a store-local calendar day."""
    start = to_utc(dt.datetime.combine(day, dt.time()), tz)
    end = to_utc(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()), tz)
    return start, end


_current: Clock = Clock()


def use(clock: Clock) -> Clock:
    """Make *clock* the program's clock (tests, simulation); returns the previous one."""
    global _current
    previous, _current = _current, clock
    return previous


def get() -> Clock:
    return _current


def now() -> dt.datetime:
    return _current.now()
