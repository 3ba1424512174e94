"""How quickly customers are approached and how long visits last (for the reports).

Time to approach = approached_at - signal_seen_at; a visit's duration = ended_at - started_at.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storepos.models import Visit


def seconds_to_approach(v: Visit) -> int | None:
    """Seconds from the signal seen to the approach; None until both are recorded."""
    if v.signal_seen_at is None or v.approached_at is None:
        return None
    return max(0, int((v.approached_at - v.signal_seen_at).total_seconds()))


def duration_seconds(v: Visit) -> int | None:
    """Seconds from start to end; None while the visit is open."""
    if v.ended_at is None:
        return None
    return max(0, int((v.ended_at - v.started_at).total_seconds()))


@dataclass(frozen=True)
class DayTimes:
    visits: int
    approached: int  # visits with both times
    avg_seconds_to_approach: int | None
    closed: int
    avg_duration_seconds: int | None


def day_times(store_id: int, day: dt.date, *, staff_id: int | None = None) -> DayTimes:
    """Average time to approach and visit duration for one business day (reports)."""
    q = Visit.select().where(Visit.store == store_id, Visit.business_date == day)
    if staff_id is not None:
        q = q.where(Visit.staff == staff_id)
    rows = list(q)
    ta = [s for s in (seconds_to_approach(v) for v in rows) if s is not None]
    du = [s for s in (duration_seconds(v) for v in rows) if s is not None]
    return DayTimes(len(rows), len(ta), round(sum(ta) / len(ta)) if ta else None, len(du),
                    round(sum(du) / len(du)) if du else None)
