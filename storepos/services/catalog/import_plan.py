"""Planning a products import: every row of the CSV checked against the store's catalog, as
what would be added, changed, left alone or rejected.  Nothing is written here.

Rules beyond one row's own cells (import_rows.py), rejections carrying the file's line number:
- a code used twice in the file, or by another product already, rejects the row; a SKU twice in
  the file rejects the later row;
- an unknown category (matched by code or by Chinese/English name) is to be **created** (code
  and name = the text) and listed in the summary, so a shop can load its own catalog in one go;
- for an existing SKU an empty cell keeps what the product has (floor_price included); a stock
  that differs is planned as a "count" move of the difference, never an overwrite.
Everything is planned from lookups loaded once, so 100,000 rows take seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storepos.i18n import t
from storepos.models import Product, ProductBarcode
from storepos.money import from_fen
from storepos.services.catalog.categories import category_names
from storepos.services.catalog.csv_format import decode, header_map, read_source, records
from storepos.services.catalog.import_rows import RowRejected, parse_row
from storepos.services.core.errors import DomainError

Progress = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass(frozen=True)
class Rejected:
    line: int
    sku: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return t(self.key, **self.params)


@dataclass
class RowPlan:
    line: int
    sku: str
    product_id: int | None  # None: a new product
    values: dict[str, Any]  # product columns (fen for money) to write
    barcodes: list[str] | None  # main + extras when the cell was given
    stock: int | None  # target stock when given
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    category_text: str | None = None  # a category to create first


@dataclass
class ImportPlan:
    encoding: str
    rows: int = 0
    added: list[RowPlan] = field(default_factory=list)
    changed: list[RowPlan] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    new_categories: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.rejected


class _Planner:
    """The store's catalog as the checks need it (loaded once), and what the file has used so far."""

    def __init__(self, store_id: int, plan: ImportPlan, only_new: bool) -> None:
        self.plan = plan
        self.only_new = only_new
        self.existing: dict[str, tuple] = {}
        for row in (Product.select(Product.id, Product.sku, Product.barcode, Product.name_zh, Product.name_en,
                                   Product.category, Product.unit, Product.price, Product.floor_price,
                                   Product.stock, Product.active)
                    .where(Product.store == store_id).tuples().iterator()):
            self.existing[row[1]] = row
        self.owner: dict[str, str] = {}  # barcode -> sku
        for sku, code in (Product.select(Product.sku, Product.barcode)
                          .where(Product.store == store_id, Product.barcode.is_null(False)).tuples().iterator()):
            self.owner[code] = sku
        self.extras: dict[int, list[str]] = {}
        for code, pid, sku in (ProductBarcode.select(ProductBarcode.code, ProductBarcode.product, Product.sku)
                               .join(Product, on=(ProductBarcode.product == Product.id))
                               .where(ProductBarcode.store == store_id).order_by(ProductBarcode.id).tuples()
                               .iterator()):
            self.owner.setdefault(code, sku)
            self.extras.setdefault(pid, []).append(code)
        self.cats, self.cat_code = category_names(store_id)
        self.new_cats: dict[str, str] = {}  # lowercased -> the spelling first seen
        self.seen_sku: dict[str, int] = {}  # -> line
        self.seen_code: dict[str, int] = {}  # -> line

    def add(self, line: int, cells: list[str], cols: dict[str, int]) -> None:
        """Plan one record of the file, or reject it."""
        try:
            self._plan(line, parse_row(cells, cols))
        except RowRejected as rej:
            cells_sku = cells[cols["sku"]].strip() if cols["sku"] < len(cells) else ""
            self.plan.rejected.append(Rejected(line, cells_sku, rej.key, rej.params))

    def _plan(self, line: int, r: dict[str, Any]) -> None:
        sku = r["sku"]
        if sku in self.seen_sku:
            raise RowRejected("import.duplicate_sku", sku=sku, other=self.seen_sku[sku])
        old = self.existing.get(sku)
        if self.only_new and old is not None:
            self.seen_sku[sku] = line
            self.plan.unchanged += 1
            return
        self._check_barcodes(sku, r["barcodes"])
        cat_id, cat_new = self._category(r["category"])
        if old is None:
            self.plan.added.append(self._new_product(line, r, cat_id, cat_new))
        else:
            changed = self._changed_product(line, r, old, cat_id, cat_new)
            if changed is None:
                self.plan.unchanged += 1
            else:
                self.plan.changed.append(changed)
        self.seen_sku[sku] = line
        for code in r["barcodes"] or ():
            self.seen_code[code] = line

    def _check_barcodes(self, sku: str, codes: list[str] | None) -> None:
        for code in codes or ():
            if code in self.seen_code:
                raise RowRejected("import.duplicate_barcode", code=code, other=self.seen_code[code])
            holder = self.owner.get(code)
            if holder is not None and holder != sku:
                raise RowRejected("import.barcode_taken", code=code, sku=holder)

    def _category(self, text: str | None) -> tuple[int | None, str | None]:
        """(the id of the category the cell names, or the text of one to create)."""
        if text is None:
            return None, None
        cat_id = self.cats.get(text.lower())
        if cat_id is not None:
            return cat_id, None
        return None, self.new_cats.setdefault(text.lower(), text)

    @staticmethod
    def _new_product(line: int, r: dict[str, Any], cat_id: int | None, cat_new: str | None) -> RowPlan:
        floor = r["floor_price"] if r["floor_price"] is not None else r["price"]
        codes = r["barcodes"] or []
        values = {"sku": r["sku"], "barcode": codes[0] if codes else None, "name_zh": r["name_zh"],
                  "name_en": r["name_en"] or "", "category": cat_id, "unit": r["unit"] or "个",
                  "price": r["price"], "floor_price": floor,
                  "active": True if r["active"] is None else r["active"]}
        return RowPlan(line, r["sku"], None, values, codes, r["stock"] or 0, category_text=cat_new)

    def _changed_product(self, line: int, r: dict[str, Any], old: tuple, cat_id: int | None,
                         cat_new: str | None) -> RowPlan | None:
        """The changes to an existing product (None: nothing differs)."""
        pid, _, bc, zh, en, cid, unit, price, floor, stock, active = old
        floor_new = r["floor_price"] if r["floor_price"] is not None else floor
        if floor_new > r["price"]:
            raise RowRejected("import.floor_above_price", floor=str(from_fen(floor_new)),
                              price=str(from_fen(r["price"])))
        new = {"name_zh": r["name_zh"], "name_en": r["name_en"] if r["name_en"] is not None else en,
               "unit": r["unit"] or unit, "price": r["price"], "floor_price": floor_new,
               "active": bool(active) if r["active"] is None else r["active"]}
        olds = {"name_zh": zh, "name_en": en, "unit": unit, "price": price, "floor_price": floor,
                "active": bool(active)}
        changes = {k: (olds[k], v) for k, v in new.items() if olds[k] != v}
        if r["category"] is not None and (cat_new is not None or cat_id != cid):
            changes["category"] = (self.cat_code.get(cid, "") if cid else "", r["category"])
            new["category"] = cat_id
        codes = r["barcodes"]
        have = [c for c in [bc, *self.extras.get(pid, [])] if c]
        if codes is not None and codes != have:
            changes["barcode"] = ("|".join(have), "|".join(codes))
            new["barcode"] = codes[0] if codes else None
        else:
            codes = None
        if r["stock"] is not None and r["stock"] != stock:
            changes["stock"] = (stock, r["stock"])
        if not changes:
            return None
        return RowPlan(line, r["sku"], pid, {k: v for k, v in new.items() if k in changes or k == "category"},
                       codes, r["stock"] if "stock" in changes else None, changes, category_text=cat_new)


def plan_import(store_id: int, source: str | Path | bytes, *, only_new: bool = False,
                progress: Progress | None = None) -> ImportPlan:
    """Read and check a products CSV against the store's catalog; writes nothing.

    Raises DomainError (field "path") for a file that cannot be used at all (missing, not CSV,
    unknown encoding, required columns missing)."""
    text, encoding = decode(read_source(source))
    found = list(records(text))
    plan = ImportPlan(encoding=encoding)
    if not found:
        raise DomainError("err.import_empty", field="path")
    cols = header_map(found[0][1])
    body = found[1:]
    plan.rows = total = len(body)
    planner = _Planner(store_id, plan, only_new)
    for n, (line, cells) in enumerate(body, 1):
        if progress is not None and n % 5000 == 0:
            progress("check", n, total)
        planner.add(line, cells, cols)
    plan.new_categories = sorted({p.category_text for p in plan.added + plan.changed if p.category_text})
    if progress is not None:
        progress("check", total, total)
    return plan
