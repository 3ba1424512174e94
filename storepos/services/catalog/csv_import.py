"""Importing products from CSV: the one CSV reader of the program (the demo catalog loads
through it).  The file is planned (import_plan.py), then written in one transaction with bulk
inserts; nothing is written unless every row is valid, or the caller asked for the good rows only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import peewee

from storepos import clock
from storepos.db import database, is_sqlite, transactional
from storepos.i18n import t
from storepos.models import Product, ProductBarcode, StockMove
from storepos.services.catalog.categories import add_named_category
from storepos.services.catalog.csv_format import read_source
from storepos.services.catalog.import_plan import ImportPlan, Progress, plan_import
from storepos.services.catalog.ledger import apply_move
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError
from storepos.services.core.permissions import require

_CHUNK = 5000


def run_import(store_id: int, source: str | Path | bytes, *, actor: Actor | None = None,
               dry_run: bool = False, good_rows: bool = False, only_new: bool = False,
               source_name: str = "", progress: Progress | None = None) -> ImportPlan:
    """A dry run (plan only, nothing written) or the import: planned again inside the writing
    transaction, so its checks still hold when it writes.  With rejected rows nothing is written
    unless *good_rows*: DomainError("err.import_rejected").  *only_new*: rows of existing SKUs
    are left alone (the demo load).  *actor* None: the system (CLI, demo load) is recorded.

    Raises DomainError (field "path") for a file that cannot be used at all (see plan_import)."""
    data = read_source(source)
    name = source_name or (Path(str(source)).name if not isinstance(source, bytes) else "")
    if dry_run:
        return plan_import(store_id, data, only_new=only_new, progress=progress)
    return _write(store_id, data, actor, good_rows, only_new, name, progress)


def import_products(actor: Actor, source: str | Path | bytes, *, dry_run: bool = False,
                    good_rows: bool = False, progress: Progress | None = None) -> ImportPlan:
    """The import as a manager runs it from the app (permission catalog.import); see run_import.

    Raises PermissionDenied and what run_import raises."""
    require(actor, "catalog.import")
    return run_import(actor.store_id, source, actor=actor, dry_run=dry_run, good_rows=good_rows,
                      progress=progress)


def import_products_in_worker(actor: Actor, source: str | Path | bytes, *, dry_run: bool = False,
                              good_rows: bool = False, progress: Progress | None = None) -> ImportPlan:
    """import_products from a worker thread: the thread's own database connection is closed
    afterwards, whatever happens (each thread opens its own; a finished worker must not keep one).

    Raises what import_products raises."""
    try:
        return import_products(actor, source, dry_run=dry_run, good_rows=good_rows, progress=progress)
    finally:
        database.obj.close()


@transactional
def _write(store_id: int, data: bytes, actor: Actor | None, good_rows: bool, only_new: bool, name: str,
           progress: Progress | None) -> ImportPlan:
    plan = plan_import(store_id, data, only_new=only_new, progress=progress)
    if plan.rejected and not good_rows:
        raise DomainError("err.import_rejected", count=len(plan.rejected))
    now = clock.now()
    ref = t("stock.ref_import", file=name)[:120]
    _add_categories(store_id, plan)
    total = len(plan.added) + len(plan.changed)
    done = _add_products(store_id, plan, actor, ref, now, total, progress)
    _change_products(store_id, plan, actor, ref, now, done, total, progress)
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


def _add_categories(store_id: int, plan: ImportPlan) -> None:
    """Categories first, so the products can name them."""
    cat_ids = {text.lower(): add_named_category(store_id, text) for text in plan.new_categories}
    for p in plan.added + plan.changed:
        if p.category_text:
            p.values["category"] = cat_ids[p.category_text.lower()]


def _add_products(store_id: int, plan: ImportPlan, actor: Actor | None, ref: str, now: dt.datetime,
                  total: int, progress: Progress | None) -> int:
    """New products in bulk, then their extra barcodes and opening stock (as count moves, written
    directly: the products are new, so there is no quantity to guard).  Returns how many were added."""
    done = 0
    rows = [p.values | {"store": store_id, "stock": p.stock or 0, "defective": 0, "created_at": now,
                        "updated_at": now} for p in plan.added]
    for i in range(0, len(rows), _CHUNK):
        _bulk_insert(Product, rows[i:i + _CHUNK])
        done += len(rows[i:i + _CHUNK])
        if progress is not None:
            progress("write", done, total)
    if not plan.added:
        return done
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
    return done


def _change_products(store_id: int, plan: ImportPlan, actor: Actor | None, ref: str, now: dt.datetime,
                     done: int, total: int, progress: Progress | None) -> None:
    """Changed products one by one (only what changed); stock through the ledger."""
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
    for i in range(0, len(rows), _CHUNK):
        cursor.executemany(sql, [values(r) for r in rows[i:i + _CHUNK]])
