"""A day as the salesperson types it (a delivery time, a come-back date)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from storepos.services.core.errors import DomainError

_DATE_RES = (
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"), "ymd"),
    (re.compile(r"^(\d{1,2})[-/.月](\d{1,2})日?$"), "md"),
)


def parse_day(text: str, today: dt.date) -> dt.date | None:
    """A date typed as 2026-03-20, 2026/3/20, 2026年3月20日, 3-20 or 3月20日 (month-day: this
    year, or next year when already past), or +N (N days from today).  None when not a date.
    Raises DomainError("err.bad_date") when it has a date's shape but no such day exists."""
    s = unicodedata.normalize("NFKC", text or "").strip().replace(" ", "")
    if re.fullmatch(r"\+\d{1,3}", s):
        return today + dt.timedelta(days=int(s[1:]))
    for pattern, kind in _DATE_RES:
        m = pattern.match(s)
        if not m:
            continue
        try:
            if kind == "ymd":
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            day = dt.date(today.year, int(m[1]), int(m[2]))
            return day if day >= today else dt.date(today.year + 1, int(m[1]), int(m[2]))
        except ValueError:
            raise DomainError("err.bad_date") from None
    return None
