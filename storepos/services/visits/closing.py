"""Close of day: visits still open when the day ends count as "left", unfinished at close."""

from __future__ import annotations

import datetime as dt

from storepos.db import transactional
from storepos.models import Store, Visit
from storepos.services.core.store import business_date
from storepos.services.visits.ending import close_visit

CLOSE_REASON = "unfinished_at_close"


@transactional
def close_day(store_id: int, business_date_: dt.date) -> int:
    """End every visit still open on or before *business_date_* as "left" (reason
    "unfinished_at_close"), ended at its last activity.  Returns how many."""
    rows = list(Visit.select().where(Visit.store == store_id, Visit.status == "open",
                                     Visit.business_date <= business_date_))
    for v in rows:
        close_visit(None, v, outcome="left", leave_reason=CLOSE_REASON, ended_at=v.updated_at)
    return len(rows)


def close_earlier_days(store: Store) -> int:
    """At app start: close the visits left open on days before today (an indexed check)."""
    yesterday = business_date(store) - dt.timedelta(days=1)
    if not Visit.select().where(Visit.store == store.id, Visit.status == "open",
                                Visit.business_date <= yesterday).exists():
        return 0
    return close_day(store.id, yesterday)
