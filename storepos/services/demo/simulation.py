"""A store with history: days of realistic activity driven through the services (see shop.py),
with the program's clock moved through each day, so every rule and the audit chain apply.

Same seed, same end date, same starting database -> the same figures.  Each simulated day is one
transaction.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from storepos import clock
from storepos.db import transaction
from storepos.models import Staff, Store
from storepos.services import checklist
from storepos.services.core import audit
from storepos.services.core.errors import DomainError
from storepos.services.core.store import business_date
from storepos.services.demo.results import SimResult
from storepos.services.demo.shop import Shop


def simulate(days: int, *, seed: int = 1, store_code: str | None = None, end: dt.date | None = None,
             progress: Callable[[int, int, dt.date], None] | None = None) -> SimResult:
    """Fill the store (the demo store by default, loaded when missing) with *days* business days
    of activity ending *end* (default: yesterday).  The program's clock is moved day by day and
    put back afterwards.  Returns what was done."""
    from storepos.services.demo.load import demo_staff, load_demo

    if days < 1:
        raise DomainError("err.sim_days", field="days")
    if store_code is None:
        load_demo()
        store_code = "S001"
    store = Store.get_or_none(Store.code == store_code)
    if store is None:
        raise DomainError("err.sim_no_store", code=store_code)
    checklist.ensure_items(store.id)
    end = end or business_date(store) - dt.timedelta(days=1)
    first = end - dt.timedelta(days=days - 1)
    manager = Staff.select().where(Staff.store == store.id, Staff.role == "manager").order_by(Staff.code).first()
    pins = {str(s["code"]): str(s["pin"]) for s in demo_staff()}
    pin = pins.get(manager.code) if manager is not None and store.code == "S001" else None
    result = SimResult()
    real = clock.get()
    sim_clock = clock.FixedClock(clock.to_utc(dt.datetime.combine(first, dt.time(8)), store.timezone))
    clock.use(sim_clock)
    try:
        sim = Shop(store, random.Random(seed), pin, result)
        opened = clock.to_local(store.created_at, store.timezone).date()
        if opened > first:
            with transaction():
                Store.update(created_at=clock.to_utc(dt.datetime.combine(first, dt.time(8)), store.timezone)).where(
                    Store.id == store.id).execute()
                audit.record(None, "store.history", "store", store.id, store_id=store.id,
                             after={"simulated_from": first.isoformat(), "days": days, "seed": seed})
            store = Store.get_by_id(store.id)
            sim.store = store
        for i in range(days):
            day = first + dt.timedelta(days=i)
            with transaction():
                sim.day(day)
            result.days += 1
            if progress is not None:
                progress(i + 1, days, day)
    finally:
        clock.use(real)
    from storepos.services import reports

    result.net = reports.daily(store.id, first, end).net_amount
    return result
