"""The home screen's sales figure: today's sales and takings."""

from __future__ import annotations

from storepos.clock import local_day_bounds
from storepos.models import Sale
from storepos.money import fmt
from storepos.services.core.context import Actor
from storepos.services.core.store import business_date, get_store
from storepos.services.home import Figure


def sales_figure(actor: Actor) -> Figure:
    """Completed sales of the store's business day, and their total net of returns."""
    store = get_store(actor.store_id)
    start, end = local_day_bounds(business_date(store), store.timezone)
    rows = list(Sale.select(Sale.kind, Sale.total).where(
        Sale.store == store.id, Sale.status == "completed", Sale.created_at >= start,
        Sale.created_at < end).tuples())
    count = sum(1 for k, _t in rows if k == "sale")
    total = sum(tot for _k, tot in rows)
    return Figure("home.glance_sales", f"{count} · {fmt(total, fen=True)}")
