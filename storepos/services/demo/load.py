"""`storepos init --demo`: the demo store, its staff, catalog and customers from fixtures/demo.

Loading twice changes nothing: rows are matched by their codes and only missing ones are added.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storepos import clock
from storepos.db import transactional
from storepos.models import Category, Customer, Staff, Store
from storepos.money import parse_amount, to_fen
from storepos.paths import fixtures_dir
from storepos.services.core import audit
from storepos.services.staff import StaffInput, ensure_pepper, insert_staff
from storepos.services.catalog import run_import
from storepos.services.core.sop import load_toml
from storepos.services.core.store import StoreSettings


@dataclass
class LoadResult:
    stores: int = 0
    staff: int = 0
    categories: int = 0
    products: int = 0
    customers: int = 0

    @property
    def total(self) -> int:
        return self.stores + self.staff + self.categories + self.products + self.customers


def demo_dir() -> Path:
    return fixtures_dir() / "demo"


def demo_staff() -> list[dict[str, Any]]:
    """The demo staff with their PINs (shown on the demo login screen)."""
    return list(load_toml(demo_dir() / "store.toml").get("staff", []))


def _rows(name: str) -> list[dict[str, str]]:
    with (demo_dir() / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@transactional
def load_demo() -> LoadResult:
    """Add whatever of the demo store is missing.  Returns what was added."""
    ensure_pepper()
    data = load_toml(demo_dir() / "store.toml")
    s = data["store"]
    result = LoadResult()
    now = clock.now()
    store = Store.get_or_none(Store.code == s["code"])
    if store is None:
        store = Store.create(code=s["code"], name_zh=s["name_zh"], name_en=s.get("name_en", ""),
                             opening_time=s.get("opening_time", "09:00"),
                             timezone=s.get("timezone", "Asia/Shanghai"),
                             settings=StoreSettings().model_dump(), created_at=now)
        audit.record(None, "store.create", "store", store.id, after={"code": store.code, "demo": True},
                     store_id=store.id)
        result.stores += 1
    existing = {c for (c,) in Staff.select(Staff.code).where(Staff.store == store).tuples()}
    for raw in data.get("staff", []):
        if str(raw["code"]) in existing:
            continue
        staff_in = StaffInput(code=str(raw["code"]), name=raw["name"], role=raw.get("role", "staff"),
                              discount_authority=int(raw.get("discount_authority", 0)),
                              language=raw.get("language"))
        insert_staff(store.id, staff_in, str(raw["pin"]), None)
        result.staff += 1

    cats = {c.code: c for c in Category.select().where(Category.store == store)}
    for row in _rows("categories.csv"):
        if row["code"] in cats:
            continue
        cats[row["code"]] = Category.create(store=store, code=row["code"], name_zh=row["name_zh"],
                                            name_en=row["name_en"])
        result.categories += 1

    # The demo catalog goes through the products importer (the one CSV reader); SKUs already
    # there are left alone, opening stock is written to the ledger as count moves.
    plan = run_import(store.id, demo_dir() / "products.csv", only_new=True, source_name="demo/products.csv")
    result.products += len(plan.added)

    numbers = {n for (n,) in Customer.select(Customer.number).where(Customer.store == store).tuples()}
    for row in _rows("customers.csv"):
        if row["number"] in numbers:
            continue
        Customer.create(store=store, number=row["number"], name=row["name"], phone=row.get("phone", ""),
                        segment=row.get("segment") or "retail", address=row.get("address", ""),
                        notes=row.get("notes", ""),
                        credit_limit=to_fen(parse_amount(row.get("credit_limit") or "0")),
                        credit_days=int(row.get("credit_days") or 0), created_at=now)
        result.customers += 1
    return result
