"""Opening the manager's desk: who may, and on which day it opens."""

from __future__ import annotations

import datetime as dt

from peewee import fn

from storepos import clock
from storepos.models import Sale, Store
from storepos.services.core.context import Actor
from storepos.services.core.permissions import require
from storepos.services.core.store import business_date, get_store


def require_desk(actor: Actor) -> None:
    """Only managers open the desk (trainers see practice data only, never the live desk).
    Raises PermissionDenied otherwise."""
    require(actor, "manager.desk")


def last_day_with_sales(store_id: int) -> dt.date | None:
    """The store-local date of the latest sale (for opening the desk on a day with figures).
    Raises NotFound for an unknown store."""
    store = get_store(store_id)
    at = Sale.select(fn.MAX(Sale.created_at)).where(Sale.store == store_id).scalar()
    if at is None:
        return None
    if isinstance(at, str):
        at = dt.datetime.fromisoformat(at)
    return clock.to_local(at, store.timezone).date()


def default_day(store_id: int) -> dt.date:
    """Today, or the last day with sales when nothing has been sold today yet.  Raises NotFound for
    an unknown store."""
    today = business_date(get_store(store_id))
    last = last_day_with_sales(store_id)
    return last if last is not None and last < today else today


def store_of(store_id: int) -> Store:
    """The store the desk reports on.  Raises NotFound for an unknown store."""
    return get_store(store_id)
