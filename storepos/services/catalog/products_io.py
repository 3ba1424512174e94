"""Products from and to CSV: the one CSV reader of the program (the demo catalog loads through it).

Format (fixtures/demo/products.csv): ``sku,barcode,name_zh,name_en,category,unit,price,
floor_price,stock,active``; Chinese headers are accepted too (货号,条码,中文名,英文名,类别,单位,售价,
底价,库存,启用 and a few synonyms, see HEADERS).  UTF-8 with or without BOM, or GB18030 (what
Excel on a Chinese Windows writes), detected from the bytes.  Columns other than these are
ignored; sku, a name and price are required.

Rules (rejections carry the file's line number and a reason):
- a row needs a SKU, a name (中文名, else 英文名 is used for both) and a valid price; floor_price
  must not be above price (empty: the price for a new product, unchanged for an existing one);
- barcode may hold several codes separated by ``|`` (the first is the main one); a code used
  twice in the file, or by another product already, rejects the row; a SKU twice in the file
  rejects the later row;
- an unknown category (matched by code or by Chinese/English name) is **created** (code and
  name = the text) and listed in the summary, so a shop can load its own catalog in one go;
- for an existing SKU an empty cell keeps what the product has; a stock that differs is written
  as a "count" move of the difference through the stock ledger, never overwritten silently;
- nothing is written unless every row is valid, or the caller asked for the good rows only.
Everything is planned from lookups loaded once, then written with bulk inserts in one
transaction, so 100,000 rows take seconds.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import peewee

from storepos import clock
from storepos.db import database, is_sqlite, transactional
from storepos.i18n import t
from storepos.models import Category, Product, ProductBarcode, StockMove
from storepos.money import MoneyError, from_fen, parse_amount, to_fen
from storepos.services.core import audit
from storepos.services.catalog.codes import CODE_RE as _CODE_RE, split_codes
from storepos.services.catalog.search import normalize_query
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError
from storepos.services.core.permissions import require
from storepos.services.catalog.ledger import apply_move

COLUMNS = ("sku", "barcode", "name_zh", "name_en", "category", "unit", "price", "floor_price", "stock",
           "active")
HEADERS: dict[str, tuple[str, ...]] = {
    "sku": ("sku", "货号", "商品编码", "编码", "商品编号"),
    "barcode": ("barcode", "barcodes", "条码", "条形码", "商品条码"),
    "name_zh": ("name_zh", "中文名", "中文名称", "名称", "商品名称", "品名"),
    "name_en": ("name_en", "英文名", "英文名称", "name"),
    "category": ("category", "类别", "分类", "品类"),
    "unit": ("unit", "单位"),
    "price": ("price", "售价", "价格", "零售价", "单价"),
    "floor_price": ("floor_price", "底价", "最低价", "最低售价"),
    "stock": ("stock", "库存", "数量", "库存数量"),
    "active": ("active", "启用", "在售", "状态"),
}
ZH_HEADERS = {key: names[1] for key, names in HEADERS.items()}
_TRUE = {"1", "true", "yes", "y", "是", "启用", "在售", "t"}
_FALSE = {"0", "false", "no", "n", "否", "停用", "停售", "f"}
Progress = Callable[[str, int, int], None]  # (phase, done, total)


def _norm_header(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().lstrip("\ufeff").lower().replace(" ", "_")


_HEADER_LOOKUP = {_norm_header(name): key for key, names in HEADERS.items() for name in names}


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


# -- reading -------------------------------------------------------------------------------------

def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding found: utf-8-sig, utf-8 or gb18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise DomainError("err.import_encoding", field="path") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise DomainError("err.import_encoding", field="path") from None


def read_source(source: str | Path | bytes) -> bytes:
    if isinstance(source, bytes):
        return source
    path = Path(str(source).strip()).expanduser()
    if not str(source).strip():
        raise DomainError("err.required", field="path")
    if not path.is_file():
        raise DomainError("err.file_not_found", field="path", path=str(path))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DomainError("err.file_unreadable", field="path", path=str(path), reason=exc.strerror or str(exc)) \
            from None


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) of each non-blank CSV record."""
    reader = csv.reader(io.StringIO(text, newline=""))
    prev_end = 0
    try:
        for cells in reader:
            start = prev_end + 1
            prev_end = reader.line_num
            if any(c.strip() for c in cells):
                yield start, cells
    except csv.Error as exc:
        raise DomainError("err.import_bad_csv", field="path", line=reader.line_num, reason=str(exc)) from None


def _header_map(cells: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        key = _HEADER_LOOKUP.get(_norm_header(cell))
        if key is not None and key not in found:
            found[key] = i
    missing = [c for c in ("sku", "price") if c not in found]
    if "name_zh" not in found and "name_en" not in found:
        missing.append("name_zh")
    if missing:
        raise DomainError("err.import_missing_columns", field="path", columns=", ".join(missing))
    return found


# -- planning ------------------------------------------------------------------------------------

class _Reject(Exception):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _amount(text: str, key: str) -> int:
    try:
        return to_fen(parse_amount(text))
    except MoneyError:
        raise _Reject(key, value=text) from None


def _parse_row(cells: list[str], cols: dict[str, int]) -> dict[str, Any]:
    """One row's cells, checked on their own (no database).  Empty cells come back as None."""
    def cell(name: str) -> str:
        i = cols.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    out: dict[str, Any] = {}
    sku = normalize_query(cell("sku"))
    if not sku:
        raise _Reject("import.missing_sku")
    if not _CODE_RE.match(sku):
        raise _Reject("import.bad_sku", value=sku)
    out["sku"] = sku
    zh, en = cell("name_zh"), cell("name_en")
    if not zh and not en:
        raise _Reject("import.missing_name")
    if len(zh) > 200 or len(en) > 200:
        raise _Reject("import.name_too_long")
    out["name_zh"] = zh or en
    out["name_en"] = en if "name_en" in cols else None
    price_text = cell("price")
    if not price_text:
        raise _Reject("import.missing_price")
    out["price"] = _amount(price_text, "import.bad_price")
    floor_text = cell("floor_price")
    out["floor_price"] = _amount(floor_text, "import.bad_floor_price") if floor_text else None
    if out["floor_price"] is not None and out["floor_price"] > out["price"]:
        raise _Reject("import.floor_above_price", floor=floor_text, price=price_text)
    codes_text = cell("barcode")
    codes = split_codes(codes_text) if codes_text else None
    for code in codes or ():
        if not _CODE_RE.match(code):
            raise _Reject("import.bad_barcode", value=code)
    out["barcodes"] = codes
    unit = cell("unit")
    if len(unit) > 10:
        raise _Reject("import.bad_unit", value=unit)
    out["unit"] = unit or None
    stock_text = unicodedata.normalize("NFKC", cell("stock")).replace(",", "")
    if stock_text:
        try:
            stock = int(stock_text)
        except ValueError:
            raise _Reject("import.bad_stock", value=stock_text) from None
        if stock < 0 or stock > 10_000_000:
            raise _Reject("import.bad_stock", value=stock_text)
        out["stock"] = stock
    else:
        out["stock"] = None
    active = cell("active").lower()
    if not active:
        out["active"] = None
    elif active in _TRUE:
        out["active"] = True
    elif active in _FALSE:
        out["active"] = False
    else:
        raise _Reject("import.bad_active", value=cell("active"))
    category = cell("category")
    if len(category) > 40:
        raise _Reject("import.bad_category", value=category)
    out["category"] = category or None
    return out


def plan_import(store_id: int, source: str | Path | bytes, *, only_new: bool = False,
                progress: Progress | None = None) -> ImportPlan:
    """Read and check a products CSV against the store's catalog; writes nothing.

    Raises DomainError (field "path") for a file that cannot be used at all (missing, not CSV,
    unknown encoding, required columns missing)."""
    text, encoding = decode(read_source(source))
    records = list(_records(text))
    plan = ImportPlan(encoding=encoding)
    if not records:
        raise DomainError("err.import_empty", field="path")
    cols = _header_map(records[0][1])
    body = records[1:]
    plan.rows = len(body)
    total = len(body)

    # Everything the checks need, loaded once.
    existing: dict[str, tuple] = {}
    for row in (Product.select(Product.id, Product.sku, Product.barcode, Product.name_zh, Product.name_en,
                               Product.category, Product.unit, Product.price, Product.floor_price,
                               Product.stock, Product.active)
                .where(Product.store == store_id).tuples().iterator()):
        existing[row[1]] = row
    owner: dict[str, str] = {}  # barcode -> sku
    for sku, code in (Product.select(Product.sku, Product.barcode)
                      .where(Product.store == store_id, Product.barcode.is_null(False)).tuples().iterator()):
        owner[code] = sku
    extras: dict[int, list[str]] = {}
    for code, pid, sku in (ProductBarcode.select(ProductBarcode.code, ProductBarcode.product, Product.sku)
                           .join(Product, on=(ProductBarcode.product == Product.id))
                           .where(ProductBarcode.store == store_id).order_by(ProductBarcode.id).tuples()
                           .iterator()):
        owner.setdefault(code, sku)
        extras.setdefault(pid, []).append(code)
    cats: dict[str, int] = {}
    cat_code: dict[int, str] = {}
    for cid, code, zh, en in Category.select(Category.id, Category.code, Category.name_zh, Category.name_en) \
            .where(Category.store == store_id).tuples():
        cat_code[cid] = code
        for name in (en, zh, code):
            if name:
                cats[name.strip().lower()] = cid
    new_cats: dict[str, str] = {}

    seen_sku: dict[str, int] = {}
    seen_code: dict[str, int] = {}
    for n, (line, cells) in enumerate(body, 1):
        if progress is not None and n % 5000 == 0:
            progress("check", n, total)
        try:
            r = _parse_row(cells, cols)
            sku = r["sku"]
            if sku in seen_sku:
                raise _Reject("import.duplicate_sku", sku=sku, other=seen_sku[sku])
            old = existing.get(sku)
            if only_new and old is not None:
                seen_sku[sku] = line
                plan.unchanged += 1
                continue
            for code in r["barcodes"] or ():
                if code in seen_code:
                    raise _Reject("import.duplicate_barcode", code=code, other=seen_code[code])
                holder = owner.get(code)
                if holder is not None and holder != sku:
                    raise _Reject("import.barcode_taken", code=code, sku=holder)
            cat_id: int | None = None
            cat_new: str | None = None
            if r["category"] is not None:
                cat_id = cats.get(r["category"].lower())
                if cat_id is None:
                    cat_new = new_cats.setdefault(r["category"].lower(), r["category"])
            if old is None:
                floor = r["floor_price"] if r["floor_price"] is not None else r["price"]
                codes = r["barcodes"] or []
                values = {"sku": sku, "barcode": codes[0] if codes else None, "name_zh": r["name_zh"],
                          "name_en": r["name_en"] or "", "category": cat_id, "unit": r["unit"] or "个",
                          "price": r["price"], "floor_price": floor,
                          "active": True if r["active"] is None else r["active"]}
                plan.added.append(RowPlan(line, sku, None, values, codes, r["stock"] or 0,
                                          category_text=cat_new))
            else:
                pid, _, bc, zh, en, cid, unit, price, floor, stock, active = old
                floor_new = r["floor_price"] if r["floor_price"] is not None else floor
                if floor_new > r["price"]:
                    raise _Reject("import.floor_above_price", floor=str(from_fen(floor_new)),
                                  price=str(from_fen(r["price"])))
                new = {"name_zh": r["name_zh"], "name_en": r["name_en"] if r["name_en"] is not None else en,
                       "unit": r["unit"] or unit, "price": r["price"], "floor_price": floor_new,
                       "active": bool(active) if r["active"] is None else r["active"]}
                olds = {"name_zh": zh, "name_en": en, "unit": unit, "price": price, "floor_price": floor,
                        "active": bool(active)}
                changes = {k: (olds[k], v) for k, v in new.items() if olds[k] != v}
                if r["category"] is not None and (cat_new is not None or cat_id != cid):
                    changes["category"] = (cat_code.get(cid, "") if cid else "", r["category"])
                    new["category"] = cat_id
                codes = r["barcodes"]
                if codes is not None and codes != [c for c in [bc, *extras.get(pid, [])] if c]:
                    changes["barcode"] = ("|".join(c for c in [bc, *extras.get(pid, [])] if c), "|".join(codes))
                    new["barcode"] = codes[0] if codes else None
                else:
                    codes = None
                if r["stock"] is not None and r["stock"] != stock:
                    changes["stock"] = (stock, r["stock"])
                if changes:
                    plan.changed.append(RowPlan(line, sku, pid, {k: v for k, v in new.items()
                                                                 if k in changes or k == "category"},
                                                codes, r["stock"] if "stock" in changes else None, changes,
                                                category_text=cat_new))
                else:
                    plan.unchanged += 1
            seen_sku[sku] = line
            for code in r["barcodes"] or ():
                seen_code[code] = line
        except _Reject as rej:
            cells_sku = cells[cols["sku"]].strip() if cols["sku"] < len(cells) else ""
            plan.rejected.append(Rejected(line, cells_sku, rej.key, rej.params))
    plan.new_categories = sorted({p.category_text for p in plan.added + plan.changed if p.category_text})
    if progress is not None:
        progress("check", total, total)
    return plan


# -- writing -------------------------------------------------------------------------------------

def _bulk_insert(model: Any, rows: list[dict[str, Any]]) -> None:
    """INSERT many rows with one prepared statement (executemany): peewee's insert_many spends
    most of its time building SQL text, which matters at 100,000 rows."""
    if not rows:
        return
    db = database.obj
    fields = [model._meta.fields[name] for name in rows[0]]
    cols = ", ".join(f'"{f.column_name}"' for f in fields)
    sql = f'INSERT INTO "{model._meta.table_name}" ({cols}) VALUES ({", ".join([db.param] * len(fields))})'
    names = [f.name for f in fields]
    stamp = [i for i, f in enumerate(fields) if isinstance(f, peewee.DateTimeField)] if is_sqlite(db) else []

    def values(r: dict[str, Any]) -> tuple:
        out = [r[n] for n in names]
        for i in stamp:
            if out[i] is not None:
                out[i] = out[i].isoformat(sep=" ")
        return tuple(out)

    cursor = db.cursor()
    for i in range(0, len(rows), 5000):
        cursor.executemany(sql, [values(r) for r in rows[i:i + 5000]])

def run_import(store_id: int, source: str | Path | bytes, *, actor: Actor | None = None,
               dry_run: bool = False, good_rows: bool = False, only_new: bool = False,
               source_name: str = "", progress: Progress | None = None) -> ImportPlan:
    """A dry run (plan only, nothing written) or the import: planned again inside the writing
    transaction, so its checks still hold when it writes.  With rejected rows nothing is written
    unless *good_rows*: DomainError("err.import_rejected").  *only_new*: rows of existing SKUs
    are left alone (the demo load).  *actor* None: the system (CLI, demo load) is recorded."""
    data = read_source(source)
    name = source_name or (Path(str(source)).name if not isinstance(source, bytes) else "")
    if dry_run:
        return plan_import(store_id, data, only_new=only_new, progress=progress)
    return _write(store_id, data, actor, good_rows, only_new, name, progress)


@transactional
def _write(store_id: int, data: bytes, actor: Actor | None, good_rows: bool, only_new: bool, name: str,
           progress: Progress | None) -> ImportPlan:
    plan = plan_import(store_id, data, only_new=only_new, progress=progress)
    if plan.rejected and not good_rows:
        raise DomainError("err.import_rejected", count=len(plan.rejected))
    now = clock.now()
    ref = t("stock.ref_import", file=name)[:120]
    # Categories first.
    cat_ids: dict[str, int] = {}
    for text in plan.new_categories:
        cat_ids[text.lower()] = Category.insert(store=store_id, code=text, name_zh=text,
                                                name_en=text if text.isascii() else "").execute()
    for p in plan.added + plan.changed:
        if p.category_text:
            p.values["category"] = cat_ids[p.category_text.lower()]
    # New products in bulk, then their extra barcodes and opening stock (as count moves).
    total = len(plan.added) + len(plan.changed)
    done = 0
    rows = [p.values | {"store": store_id, "stock": p.stock or 0, "defective": 0, "created_at": now,
                        "updated_at": now} for p in plan.added]
    for i in range(0, len(rows), 5000):
        _bulk_insert(Product, rows[i:i + 5000])
        done += len(rows[i:i + 5000])
        if progress is not None:
            progress("write", done, total)
    if plan.added:
        added_skus = {p.sku for p in plan.added}
        ids = {sku: pid for pid, sku in Product.select(Product.id, Product.sku)
               .where(Product.store == store_id).tuples().iterator() if sku in added_skus}
        extra_rows = [{"store": store_id, "product": ids[p.sku], "code": c}
                      for p in plan.added for c in (p.barcodes or [])[1:]]
        _bulk_insert(ProductBarcode, extra_rows)
        moves = [{"store": store_id, "product": ids[p.sku], "qty": p.stock, "reason": "count",
                  "location": "main", "ref": ref, "note": "", "batch": None,
                  "staff": actor.staff_id if actor else None, "terminal": actor.terminal if actor else "",
                  "at": now} for p in plan.added if p.stock]
        _bulk_insert(StockMove, moves)
    # Changed products one by one (only what changed); stock through the ledger.
    for p in plan.changed:
        assert p.product_id is not None
        values = {k: v for k, v in p.values.items() if k != "stock"}
        if values:
            Product.update(values | {"updated_at": now}).where(Product.id == p.product_id).execute()
        if p.barcodes is not None:
            ProductBarcode.delete().where(ProductBarcode.product == p.product_id).execute()
            extra = [{"store": store_id, "product": p.product_id, "code": c} for c in p.barcodes[1:]]
            if extra:
                ProductBarcode.insert_many(extra).execute()
        if p.stock is not None:
            delta = p.stock - p.changes["stock"][0]
            if delta:
                apply_move(actor, p.product_id, delta, "count", ref)
        done += 1
        if progress is not None and done % 1000 == 0:
            progress("write", done, total)
    if not (plan.added or plan.changed):
        return plan
    audit.record(actor, "catalog.import", "store", store_id, store_id=store_id,
                 terminal=actor.terminal if actor else "cli",
                 after={"file": name, "encoding": plan.encoding, "added": len(plan.added),
                        "changed": {p.sku: {k: [str(a), str(b)] for k, (a, b) in p.changes.items()}
                                    for p in plan.changed},
                        "rejected": len(plan.rejected), "new_categories": plan.new_categories})
    if progress is not None:
        progress("write", total, total)
    plan.written = True
    return plan


def import_products(actor: Actor, source: str | Path | bytes, *, dry_run: bool = False,
                    good_rows: bool = False, progress: Progress | None = None) -> ImportPlan:
    """The import as a manager runs it from the app (permission catalog.import)."""
    require(actor, "catalog.import")
    return run_import(actor.store_id, source, actor=actor, dry_run=dry_run, good_rows=good_rows,
                      progress=progress)


# -- export --------------------------------------------------------------------------------------

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
    require(actor, "catalog.export")


__all__ = ["COLUMNS", "HEADERS", "ImportPlan", "Rejected", "RowPlan", "decode", "export_products", "export_rows",
           "import_products", "plan_import", "run_import"]
