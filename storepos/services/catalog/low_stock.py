"""Low stock: active products at or below the store's low_stock_threshold."""

from __future__ import annotations

import peewee

from storepos.models import Product
from storepos.services.core.store import get_store, settings_of


def low_stock_query(store_id: int, threshold: int) -> peewee.ModelSelect:
    """The query of the store's active products with stock <= *threshold* (unordered)."""
    return Product.select().where(Product.store == store_id, Product.active == True,  # noqa: E712
                                  Product.stock <= threshold)


def low_stock(store_id: int, threshold: int | None = None, *, limit: int = 200) -> list[Product]:
    """Active products at or below the store's low_stock_threshold, fewest first."""
    if threshold is None:
        threshold = settings_of(get_store(store_id)).low_stock_threshold
    return list(low_stock_query(store_id, threshold).order_by(Product.stock, Product.sku).limit(limit))
