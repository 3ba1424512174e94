"""Copying the live store into the practice database: catalog, prices, staff and customers.

The live database is only READ, through a separate read-only connection; its sales, stock moves
and audit are never copied and never written.  Staff keep their PIN hashes (the pepper file is
shared), so trainees log in to practice as they do to live.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import peewee

from storepos import clock
from storepos.config import Settings, masked, scrub
from storepos.db import transactional
from storepos.models import Category, Customer, Meta, Product, ProductBarcode, Staff, Store
from storepos.models.schema import SCHEMA_VERSION
from storepos.services import catalog
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError
from storepos.services.core.permissions import require
from storepos.services.practice.isolation import open_readonly, require_practice_db, same_database


@dataclass
class SeedResult:
    """How many rows a seed added (stock moves: the count moves that set live quantities)."""

    stores: int = 0
    categories: int = 0
    staff: int = 0
    products: int = 0
    barcodes: int = 0
    customers: int = 0
    stock_moves: int = 0

    @property
    def total(self) -> int:
        return self.stores + self.categories + self.staff + self.products + self.barcodes + self.customers


@dataclass
class LiveCopy:
    """Rows read from the live database (dicts of field name -> value)."""

    stores: list[dict[str, Any]] = field(default_factory=list)
    categories: list[dict[str, Any]] = field(default_factory=list)
    staff: list[dict[str, Any]] = field(default_factory=list)
    products: list[dict[str, Any]] = field(default_factory=list)
    barcodes: list[dict[str, Any]] = field(default_factory=list)
    customers: list[dict[str, Any]] = field(default_factory=list)


def read_live(target: str, *, customers: bool = True) -> LiveCopy:
    """Read the live catalog, prices, staff (and customers) through a read-only connection.
    Raises DomainError when the live database is missing or cannot be read."""
    live = open_readonly(target)
    try:
        live.connect()
        row = list(Meta.select(Meta.value).where(Meta.key == "schema_version").tuples().execute(live))
        version = int(row[0][0]) if row else None
        if version is None:
            raise DomainError("err.practice_live_not_storepos", target=masked(target))
        if version != SCHEMA_VERSION:
            raise DomainError("err.practice_live_version", target=masked(target), found=version, expected=SCHEMA_VERSION)
        copy = LiveCopy()
        copy.stores = list(Store.select().dicts().execute(live))
        copy.categories = list(Category.select().dicts().execute(live))
        copy.staff = list(Staff.select().dicts().execute(live))
        copy.products = list(Product.select().order_by(Product.id).dicts().execute(live))
        copy.barcodes = list(ProductBarcode.select().dicts().execute(live))
        if customers:
            copy.customers = list(Customer.select().dicts().execute(live))
        return copy
    except (peewee.DatabaseError, peewee.InterfaceError) as exc:
        raise DomainError("err.practice_live_unreadable", target=masked(target),
                          reason=scrub(" ".join(str(exc).split()), target)) from None
    finally:
        if not live.is_closed():
            live.close()


# -- the steps of a seed: each upserts one table and maps live ids to practice ids --------------

def _seed_stores(rows: list[dict[str, Any]], res: SeedResult) -> dict[int, int]:
    store_map: dict[int, int] = {}
    for s in rows:
        row = Store.get_or_none(Store.code == s["code"])
        values = {k: s[k] for k in ("name_zh", "name_en", "opening_time", "timezone", "settings")}
        if row is None:
            row = Store.create(code=s["code"], created_at=s["created_at"], **values)
            res.stores += 1
        else:
            Store.update(**values).where(Store.id == row.id).execute()
        store_map[s["id"]] = row.id
    return store_map


def _seed_categories(rows: list[dict[str, Any]], store_map: dict[int, int], res: SeedResult) -> dict[int, int]:
    cat_map: dict[int, int] = {}
    for c in rows:
        sid = store_map[c["store"]]
        row = Category.get_or_none(Category.store == sid, Category.code == c["code"])
        if row is None:
            row = Category.create(store=sid, code=c["code"], name_zh=c["name_zh"], name_en=c["name_en"])
            res.categories += 1
        else:
            Category.update(name_zh=c["name_zh"], name_en=c["name_en"]).where(Category.id == row.id).execute()
        cat_map[c["id"]] = row.id
    return cat_map


def _seed_staff(rows: list[dict[str, Any]], store_map: dict[int, int], res: SeedResult) -> None:
    for s in rows:
        sid = store_map[s["store"]]
        values = {k: s[k] for k in ("name", "role", "pin_hash", "discount_authority", "language", "active")}
        # a lockout on live must not lock the trainee out of practice
        values |= {"failed_pins": 0, "locked_until": None}
        row = Staff.get_or_none(Staff.store == sid, Staff.code == s["code"])
        if row is None:
            Staff.create(store=sid, code=s["code"], created_at=s["created_at"], lockouts=0, **values)
            res.staff += 1
        else:
            Staff.update(**values).where(Staff.id == row.id).execute()


def _seed_products(rows: list[dict[str, Any]], store_map: dict[int, int], cat_map: dict[int, int],
                   res: SeedResult, now: dt.datetime) -> dict[int, int]:
    prod_map: dict[int, int] = {}
    for p in rows:
        sid = store_map[p["store"]]
        values = {k: p[k] for k in ("barcode", "name_zh", "name_en", "unit", "price", "floor_price", "active")}
        values["category"] = cat_map.get(p["category"]) if p["category"] is not None else None
        row = Product.get_or_none(Product.store == sid, Product.sku == p["sku"])
        if row is None:
            row = Product.create(store=sid, sku=p["sku"], stock=0, defective=0, created_at=p["created_at"],
                                 updated_at=now, **values)
            res.products += 1
        else:
            Product.update(updated_at=now, **values).where(Product.id == row.id).execute()
        prod_map[p["id"]] = row.id
        # quantities change through the practice ledger, so its stock check stays consistent
        for location, want, have in (("main", p["stock"], row.stock), ("defective", p["defective"], row.defective)):
            if want != have:
                catalog.apply_move(None, row.id, want - have, "count", ref="practice seed",
                                   location=location, allow_negative=True)
                res.stock_moves += 1
    return prod_map


def _seed_barcodes(rows: list[dict[str, Any]], store_map: dict[int, int], prod_map: dict[int, int],
                   res: SeedResult) -> None:
    for b in rows:
        sid = store_map[b["store"]]
        pid = prod_map.get(b["product"])
        if pid is None:
            continue
        row = ProductBarcode.get_or_none(ProductBarcode.store == sid, ProductBarcode.code == b["code"])
        if row is None:
            ProductBarcode.create(store=sid, product=pid, code=b["code"])
            res.barcodes += 1
        elif row.product_id != pid:
            ProductBarcode.update(product=pid).where(ProductBarcode.id == row.id).execute()


def _seed_customers(rows: list[dict[str, Any]], store_map: dict[int, int], res: SeedResult) -> None:
    for c in rows:
        sid = store_map[c["store"]]
        values = {k: c[k] for k in ("name", "phone", "segment", "address", "notes", "credit_limit", "credit_days")}
        row = Customer.get_or_none(Customer.store == sid, Customer.number == c["number"])
        if row is None:
            Customer.create(store=sid, number=c["number"], created_at=c["created_at"], **values)
            res.customers += 1
        else:
            Customer.update(**values).where(Customer.id == row.id).execute()


@transactional
def apply_seed(copy: LiveCopy, actor: Actor | None = None) -> SeedResult:
    """Upsert the live rows into the bound PRACTICE database, matched by their codes (store code,
    category code, staff code, SKU, barcode, customer number), so sessions already recorded keep
    their references.  Stock is set to the live quantity by count moves in the practice ledger.
    Raises DomainError when the bound database is not the practice one."""
    require_practice_db()
    res = SeedResult()
    now = clock.now()
    store_map = _seed_stores(copy.stores, res)
    cat_map = _seed_categories(copy.categories, store_map, res)
    _seed_staff(copy.staff, store_map, res)
    prod_map = _seed_products(copy.products, store_map, cat_map, res, now)
    _seed_barcodes(copy.barcodes, store_map, prod_map, res)
    _seed_customers(copy.customers, store_map, res)
    first = next(iter(store_map.values()), None)
    audit.record(actor, "practice.seed", "store", first or "", store_id=first,
                 after={"stores": res.stores, "categories": res.categories, "staff": res.staff,
                        "products": res.products, "customers": res.customers, "stock_moves": res.stock_moves})
    return res


def seed_from_live(settings: Settings, actor: Actor | None = None, *, customers: bool = True) -> SeedResult:
    """Copy (again) the live catalog, prices, staff and customers into the bound practice
    database.  A trainer's "refresh from live" calls it with their actor.  Raises
    PermissionDenied, DomainError (same file as live, not the practice database, live unreadable)."""
    if actor is not None:
        require(actor, "practice.use")
    if same_database(settings.live_target, settings.practice_target):
        raise DomainError("err.practice_same_db", target=masked(settings.practice_target))
    require_practice_db()
    return apply_seed(read_live(settings.live_target, customers=customers), actor)
