"""What the catalog shows on home: the low-stock and expiring figures and the expired notice
(listed in services/manifest.py)."""

from __future__ import annotations

from storepos.i18n import t
from storepos.services import home
from storepos.services.catalog.batches import expiring
from storepos.services.catalog.low_stock import low_stock_query
from storepos.services.core.context import Actor
from storepos.services.core.store import get_store, settings_of


def low_stock_figure(actor: Actor) -> home.Figure:
    """How many active products are at or below the store's low_stock_threshold."""
    store = get_store(actor.store_id)
    n = low_stock_query(actor.store_id, settings_of(store).low_stock_threshold).count()
    return home.Figure("home.glance_low_stock", str(n), alert=n > 0)


def expiring_figure(actor: Actor) -> home.Figure:
    """How many batches have expired or expire within the store's expiry_warning_days."""
    items = expiring(actor.store_id)
    return home.Figure("home.glance_expiring", str(len(items)), alert=bool(items))


def expired_notices(actor: Actor) -> list[str]:
    """A notice when batches in stock have expired."""
    expired = [b for b in expiring(actor.store_id, 0) if b.expired]
    return [t("stock.notice_expired", count=len(expired))] if expired else []
