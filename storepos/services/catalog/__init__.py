"""The catalog area: its public API."""

from __future__ import annotations

from storepos.services.catalog.products import (  # noqa: F401
    ProductHit,
    normalize_query,
    find_by_code,
    search,
    browse,
    count_products,
    split_codes,
    _money,
    ProductInput,
    barcode_owners,
    categories,
    product_view,
    get_product,
    create_product,
    update_product,
)

__all__ = ['ProductHit', 'normalize_query', 'find_by_code', 'search', 'browse', 'count_products', 'split_codes', '_money', 'ProductInput', 'barcode_owners', 'categories', 'product_view', 'get_product', 'create_product', 'update_product']
