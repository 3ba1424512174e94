"""Where the store stands against its opening time: the countdown the checklist screen shows,
and whether a submission came after the doors opened (late)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal

from storepos import clock
from storepos.models import Store
from storepos.services.core.store import business_date, opening_datetime_local

WINDOW_MINUTES = 10  # the SOP's "ten minutes before the doors open"


@dataclass(frozen=True)
class Window:
    """Where the store stands against its opening time.

    state: "early" (more than the window before opening), "window" (the last WINDOW_MINUTES),
    "open" (opening time has passed).  minutes: whole minutes to opening (rounded up) before it,
    minutes since opening after it.
    """

    state: Literal["early", "window", "open"]
    minutes: int
    seconds: int


def opening_window(now_local: dt.datetime, opening_local: dt.datetime,
                   window_minutes: int = WINDOW_MINUTES) -> Window:
    """Pure: the countdown to opening as the checklist screen shows it."""
    delta = (opening_local - now_local).total_seconds()
    if delta > 0:
        state: Literal["early", "window", "open"] = "window" if delta <= window_minutes * 60 else "early"
        return Window(state, math.ceil(delta / 60), int(delta))
    return Window("open", int(-delta // 60), int(-delta))


def store_window(store: Store, day: dt.date | None = None) -> Window:
    """The store's countdown to its opening on *day* (default: its business date), now."""
    day = day or business_date(store)
    return opening_window(clock.get().local_now(store.timezone), opening_datetime_local(store, day))


def is_late(store: Store, day: dt.date, at_utc: dt.datetime) -> bool:
    """Whether *at_utc* is after the store's opening time on business day *day*."""
    return clock.to_local(at_utc, store.timezone) > opening_datetime_local(store, day)
