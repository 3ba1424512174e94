"""A date as a user types it, and the window a date must fall in (issue 18: plausible values).

Full-width digits and separators from a Chinese IME are the same date (２０２６－１２－０１),
and 2026/12/1, 2026.12.1 or 2026年12月1日 too."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from storepos.services.core.errors import DomainError

_YMD = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_date(text: str, field: str) -> dt.date:
    """The date in *text*; DomainError("err.bad_date", field=*field*) when it is not one."""
    s = unicodedata.normalize("NFKC", str(text or "")).strip().replace(" ", "").replace("\u3000", "")
    m = _YMD.match(s)
    if m is None:
        raise DomainError("err.bad_date", field=field)
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise DomainError("err.bad_date", field=field) from None


def check_window(day: dt.date, field: str, *, today: dt.date, days_ahead: int) -> dt.date:
    """*day* when it lies from *today* to *days_ahead* days after it; otherwise DomainError beside
    *field*: err.date_past (before today) or err.date_too_far (naming the last day allowed)."""
    last = today + dt.timedelta(days=days_ahead)
    if day < today:
        raise DomainError("err.date_past", field=field, today=today.isoformat())
    if day > last:
        raise DomainError("err.date_too_far", field=field, last=last.isoformat())
    return day


__all__ = ["check_window", "parse_date"]
