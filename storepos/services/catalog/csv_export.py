"""Exporting products to CSV, in the import's format (so an export can be edited and imported back)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

from storepos.models import Category, Product, ProductBarcode
from storepos.money import from_fen
from storepos.services.catalog.csv_format import COLUMNS, ZH_HEADERS
from storepos.services.core.context import Actor
from storepos.services.core.permissions import require


def export_rows(store_id: int, *, chinese_headers: bool = False) -> Iterator[list[str]]:
    """The header and one row per product (by SKU), in the import format."""
    yield [ZH_HEADERS[c] for c in COLUMNS] if chinese_headers else list(COLUMNS)
    cats = {cid: code for cid, code in Category.select(Category.id, Category.code)
            .where(Category.store == store_id).tuples()}
    extras: dict[int, list[str]] = {}
    for pid, code in (ProductBarcode.select(ProductBarcode.product, ProductBarcode.code)
                      .where(ProductBarcode.store == store_id).order_by(ProductBarcode.id).tuples().iterator()):
        extras.setdefault(pid, []).append(code)
    q = (Product.select(Product.id, Product.sku, Product.barcode, Product.name_zh, Product.name_en,
                        Product.category, Product.unit, Product.price, Product.floor_price, Product.stock,
                        Product.active)
         .where(Product.store == store_id).order_by(Product.sku).tuples())
    for pid, sku, bc, zh, en, cid, unit, price, floor, stock, active in q.iterator():
        codes = "|".join(c for c in [bc, *extras.get(pid, [])] if c)
        yield [sku, codes, zh, en, cats.get(cid, "") if cid else "", unit, str(from_fen(price)),
               str(from_fen(floor)), str(stock), "1" if active else "0"]


def export_products(store_id: int, out: TextIO, *, chinese_headers: bool = False) -> int:
    """Write the catalog as CSV to *out*; returns the number of products."""
    writer = csv.writer(out, lineterminator="\n")
    n = -1
    for row in export_rows(store_id, chinese_headers=chinese_headers):
        writer.writerow(row)
        n += 1
    return n


def export_allowed(actor: Actor) -> None:
    """Raises PermissionDenied unless *actor* may export the catalog (catalog.export)."""
    require(actor, "catalog.export")
