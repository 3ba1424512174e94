"""Catalog: search on CJK and English fragments (FTS5 + short-fragment path), extra barcodes,
manager-only audited edits, CSV import/export in both encodings with exact rejection reasons."""

from __future__ import annotations

import io

import pytest

from storepos.db import database
from storepos.models import AuditLog, Category, Product, ProductBarcode, StockMove, Store
from storepos.services import catalog
from storepos.services.core.errors import DomainError, PermissionDenied

HEADER = "sku,barcode,name_zh,name_en,category,unit,price,floor_price,stock,active\n"


def _store_id() -> int:
    return Store.get(Store.code == "S001").id


# -- search ------------------------------------------------------------------------------------

@pytest.mark.sqlite_only
def test_fts_index_exists_and_follows_renames(manager_actor):
    assert database.obj.table_exists("product_fts")
    sid = manager_actor.store_id
    p = catalog.find_by_code(sid, "KC-0001")
    catalog.update_product(manager_actor, p.id, {"name_zh": "超级无敌炒锅王", "name_en": "Mega wok king"})
    assert [h.sku for h in catalog.search(sid, "无敌炒")] == ["KC-0001"]
    assert [h.sku for h in catalog.search(sid, "wok king")] == ["KC-0001"]
    assert catalog.search(sid, "不锈钢单头燃气") == []  # the old name left the index


def _bulk_catalog(sid: int, n: int) -> None:
    """n products quickly: names built so that fragments have a known number of hits."""
    rows = []
    for i in range(n):
        zh = "咖啡机" if i % 1000 == 0 else ("电饭煲" if i % 2 else "保温杯")
        en = "espresso maker" if i % 1000 == 0 else ("rice cooker" if i % 2 else "vacuum flask")
        rows.append({"store": sid, "sku": f"Z{i:06d}", "barcode": f"77{i:011d}", "name_zh": f"{zh}{i}",
                     "name_en": f"{en} {i}", "unit": "个", "price": 1000, "floor_price": 900, "stock": 0,
                     "defective": 0, "active": True, "created_at": "2026-03-02 01:30:00",
                     "updated_at": "2026-03-02 01:30:00"})
    with database.obj.atomic():
        for i in range(0, n, 2000):
            Product.insert_many(rows[i:i + 2000]).execute()


def test_search_fragments_on_20000_products(demo):
    sid = _store_id()
    _bulk_catalog(sid, 20_000)
    # 3+ characters: the trigram index; 1-2 characters: instr() (the index finds nothing there).
    hits = catalog.search(sid, "咖啡机", limit=100)
    assert {h.sku for h in hits if h.sku.startswith("Z")} == {f"Z{i:06d}" for i in range(0, 20_000, 1000)}
    assert all("咖啡机" in h.name_zh for h in hits)
    two = catalog.search(sid, "咖啡", limit=100)
    assert {h.sku for h in two if h.sku.startswith("Z")} == {f"Z{i:06d}" for i in range(0, 20_000, 1000)}
    assert all("咖啡" in h.name_zh or "coffee" in h.name_en.lower() for h in two)
    one = catalog.search(sid, "煲", limit=50)
    assert len(one) == 50 and all("煲" in h.name_zh for h in one)
    upper = catalog.search(sid, "ESPRESSO", limit=60)
    assert all("espresso" in h.name_en.lower() for h in upper)
    assert {h.sku for h in upper if h.sku.startswith("Z")} == {f"Z{i:06d}" for i in range(0, 20_000, 1000)}
    assert all("es" in h.name_en.lower() for h in catalog.search(sid, "es", limit=30))
    both = catalog.search(sid, "咖啡 maker 19000")
    assert [h.sku for h in both] == ["Z019000"]
    assert catalog.search(sid, "不存在的东西") == []
    assert catalog.search(sid, "Z01999")[0].sku == "Z019990"  # SKU prefix
    assert catalog.search(sid, "7700000012345")[0].sku == "Z012345"  # exact barcode


def test_find_by_code_checks_extra_barcodes(manager_actor):
    sid = manager_actor.store_id
    p = catalog.find_by_code(sid, "KC-0002")
    catalog.update_product(manager_actor, p.id, {"extra_barcodes": "1234567890128|ABC-9"})
    assert catalog.find_by_code(sid, "1234567890128").id == p.id
    assert catalog.find_by_code(sid, "ABC-9").id == p.id
    assert catalog.find_by_code(sid, "kc-0002").id == p.id


# -- editing -----------------------------------------------------------------------------------

NEW = {"sku": "NEW-1", "barcode": "6900000000017", "name_zh": "测试水壶", "name_en": "Test kettle",
       "category": "small_appliances", "unit": "个", "price": "199.00", "floor_price": "150", "active": True}


def test_staff_cannot_edit_products(staff_actor):
    with pytest.raises(PermissionDenied):
        catalog.create_product(staff_actor, NEW)
    p = catalog.find_by_code(staff_actor.store_id, "KC-0001")
    with pytest.raises(PermissionDenied):
        catalog.update_product(staff_actor, p.id, {"price": "1"})


def test_manager_edit_is_audited_with_before_and_after(manager_actor):
    pid = catalog.create_product(manager_actor, NEW)
    row = AuditLog.select().where(AuditLog.action == "catalog.create").get()
    assert row.after["sku"] == "NEW-1" and row.after["price"] == "199.00"
    assert catalog.update_product(manager_actor, pid, {"price": "219.5", "name_en": "Kettle"}) is True
    row = AuditLog.select().where(AuditLog.action == "catalog.update").get()
    assert row.before == {"name_en": "Test kettle", "price": "199.00"}
    assert row.after == {"name_en": "Kettle", "price": "219.50"}
    assert Product.get_by_id(pid).price == 21950
    assert catalog.update_product(manager_actor, pid, {"price": "219.50"}) is False  # no change, no row


@pytest.mark.parametrize("change,field,key", [
    ({"price": "12.345"}, "price", "err.amount_format"),
    ({"price": "abc"}, "price", "err.amount_format"),
    ({"floor_price": "300"}, "floor_price", "err.floor_above_price"),
    ({"sku": "KC-0001"}, "sku", "err.sku_taken"),
    ({"barcode": "6917674936532"}, "barcode", "err.barcode_taken"),
    ({"name_zh": ""}, "name_zh", "err.required"),
    ({"category": "nope"}, "category", "err.category_unknown"),
    ({"sku": "A B"}, "sku", "err.bad_code"),
])
def test_bad_product_input_names_the_field_and_writes_nothing(manager_actor, change, field, key):
    n = Product.select().count()
    with pytest.raises(DomainError) as err:
        catalog.create_product(manager_actor, NEW | change)
    assert (err.value.field, err.value.key) == (field, key)
    assert Product.select().count() == n


# -- import ------------------------------------------------------------------------------------

GOOD = HEADER + (
    "IM-1,6901111111116|6901111111123,电热水壶,Electric kettle,small_appliances,个,89.00,79.00,5,1\n"
    "IM-2,6902222222225,陶瓷茶杯,Ceramic cup,新类别,只,12.5,,0,1\n"
)
BAD = HEADER + (
    "IM-3,,好商品,Good one,cookware,个,10,9,1,1\n"       # line 2 ok
    "IM-4,,,,,个,10,9,1,1\n"                             # line 3 missing name
    "IM-5,,坏价格,Bad price,,个,12.345,,1,1\n"           # line 4 bad price
    "IM-6,,底价高,Floor high,,个,10,11,1,1\n"            # line 5 floor above price
    "IM-7,6917674936532,重复条码,Dup barcode,,个,10,,1,1\n"  # line 6 barcode of KC-0001
    "IM-8,6903333333334,条码一,Code one,,个,10,,1,1\n"    # line 7 ok
    "IM-9,6903333333334,条码二,Code two,,个,10,,1,1\n"    # line 8 duplicate barcode in file
    "IM-3,,又一次,Again,,个,10,,1,1\n"                   # line 9 duplicate SKU in file
    "IM-10,,负库存,Neg stock,,个,10,,-2,1\n"              # line 10 bad stock
)


def test_import_good_file_adds_products_with_ledger_and_new_category(manager_actor):
    plan = catalog.import_products(manager_actor, GOOD.encode(), dry_run=True)
    assert (len(plan.added), len(plan.rejected), plan.new_categories) == (2, 0, ["新类别"])
    assert Product.get_or_none(Product.sku == "IM-1") is None  # dry run wrote nothing
    catalog.import_products(manager_actor, GOOD.encode())
    p = Product.get(Product.sku == "IM-1")
    assert (p.price, p.floor_price, p.stock, p.barcode) == (8900, 7900, 5, "6901111111116")
    assert catalog.find_by_code(manager_actor.store_id, "6901111111123").sku == "IM-1"
    assert Product.get(Product.sku == "IM-2").floor_price == 1250  # empty floor = price
    assert Category.get(Category.code == "新类别").name_zh == "新类别"
    assert [m.qty for m in StockMove.select().where(StockMove.product == p.id)] == [5]
    assert catalog.ledger_problems() == []


def test_import_bad_file_rejects_with_exact_lines_and_reasons_and_writes_nothing(manager_actor):
    before = Product.select().count()
    plan = catalog.import_products(manager_actor, BAD.encode(), dry_run=True)
    got = [(r.line, r.key) for r in plan.rejected]
    assert got == [(3, "import.missing_name"), (4, "import.bad_price"), (5, "import.floor_above_price"),
                   (6, "import.barcode_taken"), (8, "import.duplicate_barcode"), (9, "import.duplicate_sku"),
                   (10, "import.bad_stock")]
    messages = {r.line: r.message for r in plan.rejected}
    assert messages[4] == "bad price '12.345'"
    assert messages[6] == "barcode 6917674936532 already belongs to product KC-0001"
    assert messages[8] == "barcode 6903333333334 is also on line 7"
    assert messages[9] == "SKU IM-3 is also on line 2"
    with pytest.raises(DomainError) as err:
        catalog.import_products(manager_actor, BAD.encode())
    assert err.value.key == "err.import_rejected"
    assert Product.select().count() == before
    plan = catalog.import_products(manager_actor, BAD.encode(), good_rows=True)
    assert sorted(p.sku for p in plan.added) == ["IM-3", "IM-8"]
    assert Product.select().count() == before + 2


def test_import_gb18030_with_chinese_headers_and_bom_utf8(manager_actor):
    zh = ("货号,条码,中文名,英文名,类别,单位,售价,底价,库存,启用\n"
          "GB-1,6904444444443,国标编码商品,GB item,cookware,件,￥1,200.50,1000,3,是\n")
    # a quoted thousands separator as Excel writes it
    zh = zh.replace("￥1,200.50", "\"￥1,200.50\"")
    plan = catalog.import_products(manager_actor, zh.encode("gb18030"), dry_run=True)
    assert plan.encoding == "gb18030" and not plan.rejected
    catalog.import_products(manager_actor, zh.encode("gb18030"))
    p = Product.get(Product.sku == "GB-1")
    assert (p.name_zh, p.unit, p.price, p.floor_price, p.stock) == ("国标编码商品", "件", 120050, 100000, 3)
    bom = ("\ufeff" + HEADER + "BOM-1,,带BOM的商品,BOM item,,个,5,,,1\n").encode("utf-8")
    plan = catalog.import_products(manager_actor, bom)
    assert plan.encoding == "utf-8-sig" and Product.get(Product.sku == "BOM-1").name_zh == "带BOM的商品"


def test_import_of_existing_product_changes_stock_through_the_ledger(manager_actor):
    p = Product.get(Product.sku == "KC-0001")
    start = p.stock
    text = HEADER + f"KC-0001,,不锈钢单头燃气炒灶,Stainless single-burner gas wok range,,,2700.00,,{start - 2},\n"
    plan = catalog.import_products(manager_actor, text.encode(), dry_run=True)
    assert len(plan.changed) == 1 and plan.changed[0].changes == {"price": (268000, 270000),
                                                                 "stock": (start, start - 2)}
    catalog.import_products(manager_actor, text.encode())
    p = Product.get(Product.sku == "KC-0001")
    assert (p.price, p.stock, p.floor_price) == (270000, start - 2, 253400)  # empty floor kept
    last = StockMove.select().where(StockMove.product == p.id).order_by(StockMove.id.desc()).first()
    assert (last.qty, last.reason) == (-2, "count")
    assert catalog.ledger_problems() == []
    audit = AuditLog.select().where(AuditLog.action == "catalog.import").order_by(AuditLog.id.desc()).first()
    assert audit.after["changed"]["KC-0001"]["price"] == ["268000", "270000"]


def test_import_missing_columns_and_missing_file(manager_actor, tmp_path):
    with pytest.raises(DomainError) as err:
        catalog.import_products(manager_actor, b"sku,name_zh\nA,B\n", dry_run=True)
    assert err.value.key == "err.import_missing_columns" and err.value.field == "path"
    with pytest.raises(DomainError) as err:
        catalog.import_products(manager_actor, str(tmp_path / "nope.csv"), dry_run=True)
    assert err.value.key == "err.file_not_found"


def test_staff_cannot_import(staff_actor):
    with pytest.raises(PermissionDenied):
        catalog.import_products(staff_actor, GOOD.encode(), dry_run=True)


def test_export_round_trips_through_import(manager_actor):
    sid = manager_actor.store_id
    p = catalog.find_by_code(sid, "KC-0003")
    catalog.update_product(manager_actor, p.id, {"extra_barcodes": "5550001"})
    buf = io.StringIO()
    n = catalog.export_products(sid, buf)
    assert n == Product.select().count()
    text = buf.getvalue()
    assert text.splitlines()[0] == HEADER.strip()
    assert "KC-0003,6942849815404|5550001,不锈钢三头燃气炒灶" in text
    plan = catalog.import_products(manager_actor, text.encode("utf-8"), dry_run=True)
    assert (len(plan.added), len(plan.changed), len(plan.rejected), plan.unchanged) == (0, 0, 0, n)


def test_import_20k_rows_in_one_go(manager_actor):
    # 100,000 rows take a few seconds (bench); 20,000 keep the suite quick.
    lines = [HEADER]
    for i in range(20_000):
        lines.append(f"BIG{i:06d},68{i:011d},批量商品{i},Bulk item {i},cookware,个,{10 + i % 90}.50,,{i % 7},1\n")
    data = "".join(lines).encode()
    plan = catalog.import_products(manager_actor, data)
    assert len(plan.added) == 20_000
    assert Product.select().where(Product.sku.startswith("BIG")).count() == 20_000
    assert catalog.find_by_code(manager_actor.store_id, "6800000019999").sku == "BIG019999"
    assert [h.sku for h in catalog.search(manager_actor.store_id, "批量商品19998")] == ["BIG019998"]
    assert ProductBarcode.select().count() == 0
    assert catalog.ledger_problems() == []


def test_cli_import_dry_run_then_good_rows_and_export(demo, tmp_path, capsys):
    from storepos import cli

    src = tmp_path / "p.csv"
    src.write_text(HEADER + "X-1,,新品,New,cookware,个,10,12,1,1\nX-2,,好的,Good,cookware,个,10,,1,1\n",
                   encoding="utf-8")
    home = ["--home", str(demo.home), "--db", demo.database_target, "--lang", "en"]
    assert cli.main(["products", "import", str(src), "--dry-run", *home]) == 1
    out = capsys.readouterr().out
    assert "line 2 (SKU X-1): floor price 12 is above the price 10" in out and "Dry run" in out
    assert cli.main(["products", "import", str(src), *home]) == 1
    assert Product.get_or_none(Product.sku == "X-2") is None
    assert cli.main(["products", "import", str(src), "--good-rows", *home]) == 0
    assert Product.get(Product.sku == "X-2").stock == 1
    dest = tmp_path / "out.csv"
    assert cli.main(["products", "export", str(dest), "--encoding", "gb18030", *home]) == 0
    assert "X-2,,好的,Good,cookware" in dest.read_bytes().decode("gb18030")
    assert cli.main(["check", *home]) == 0
