"""Foundation rules without a terminal: PIN hashing and lockout, pepper, fixtures, audit, schema."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from storepos import clock
from storepos.db import database
from storepos.models import AuditLog, Meta, Product, Staff, Store
from storepos.models.schema import SCHEMA_VERSION, SchemaError, ensure_schema, get_version
from storepos.services.core import audit
from storepos.services import staff
from storepos.services.staff import check_pin_format, create_staff, ensure_pepper, hash_pin, lock_minutes, login, update_staff, verify_manager, verify_pin
from storepos.services.core.bootstrap import close_database, open_store_database
from storepos.services.demo import load_demo
from storepos.services.core.errors import DomainError
from storepos.services.core.sop import checklist_groups, entries, rubric_areas, validate_all


def test_pin_hash_is_salted_scrypt_and_verifies(db):
    pepper = ensure_pepper()
    h1, h2 = hash_pin("1234", pepper), hash_pin("1234", pepper)
    assert h1.startswith("scrypt$") and h1 != h2
    assert verify_pin("1234", h1, pepper)
    assert not verify_pin("1235", h1, pepper)
    assert verify_pin("１２３４", h1, pepper)  # full-width digits from a Chinese IME


@pytest.mark.parametrize("pin", ["", "123", "123456789", "12a4", "12 34", "١٢٣٤x"])
def test_pin_format_refused(db, pin):
    with pytest.raises(DomainError) as exc:
        check_pin_format(pin)
    assert exc.value.key == "err.pin_format"


def test_production_scrypt_cost(_cheap_pin_hashing):
    assert _cheap_pin_hashing == 2**14  # the default outside tests (≈0.08 s per check)


def test_pin_depends_on_pepper(db):
    h = hash_pin("1234", b"a" * 64)
    assert not verify_pin("1234", h, b"b" * 64)


def test_five_wrong_pins_lock_for_five_minutes_then_growing(demo, fixed_clock):
    store = Store.get()
    for i in range(4):
        with pytest.raises(DomainError) as exc:
            login(store.id, "1001", "0000")
        assert exc.value.key == "err.wrong_pin" and exc.value.params["left"] == 4 - i
    with pytest.raises(DomainError) as exc:
        login(store.id, "1001", "0000")
    assert exc.value.key == "err.locked_now" and exc.value.params["minutes"] == 5
    with pytest.raises(DomainError) as exc:
        login(store.id, "1001", "1111")  # right PIN, still locked
    assert exc.value.key == "err.locked" and exc.value.params["minutes"] == 5
    fixed_clock.advance(minutes=5, seconds=1)
    for _ in range(5):
        with pytest.raises(DomainError):
            login(store.id, "1001", "0000")
    staff = Staff.get(Staff.code == "1001")
    assert staff.lockouts == 2
    assert staff.locked_until == clock.now() + dt.timedelta(minutes=10)
    fixed_clock.advance(minutes=11)
    actor = login(store.id, "1001", "1111")
    assert actor.code == "1001"
    assert Staff.get(Staff.code == "1001").lockouts == 0
    assert AuditLog.select().where(AuditLog.action == "staff.lockout").count() == 2


def test_lock_length_grows_and_is_capped():
    assert [lock_minutes(n) for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert lock_minutes(50) == 24 * 60


def test_lockout_holds_for_manager_override_too(demo):
    store = Store.get()
    for _ in range(5):
        with pytest.raises(DomainError):
            verify_manager(store.id, "9001", "0000")
    with pytest.raises(DomainError) as exc:
        login(store.id, "9001", "9999")
    assert exc.value.key == "err.locked"


def test_missing_pepper_is_a_clear_refusal_not_a_lockout(demo, settings):
    settings.pepper_path.unlink()
    with pytest.raises(DomainError) as exc:
        login(Store.get().id, "1001", "1111")
    assert exc.value.key == "err.pepper_missing"
    assert str(settings.pepper_path) in exc.value.message
    assert Staff.get(Staff.code == "1001").failed_pins == 0


def test_changed_pepper_is_refused(demo, settings):
    settings.pepper_path.write_text("f" * 64 + "\n")
    with pytest.raises(DomainError) as exc:
        login(Store.get().id, "1001", "1111")
    assert exc.value.key == "err.pepper_changed"


def test_pepper_file_is_private(db, settings):
    ensure_pepper()
    assert settings.pepper_path.stat().st_mode & 0o077 == 0


def test_first_run_creates_store_manager_and_refuses_twice(db):
    actor = staff.first_run({"store_name": "小店", "opening_time": "8:30", "manager_name": "王",
                             "manager_code": "M1", "manager_pin": "4321"}, terminal="T1")
    assert actor.role == "manager"
    assert Store.get().opening_time == "08:30"
    with pytest.raises(DomainError) as exc:
        staff.first_run({"store_name": "x", "manager_name": "y", "manager_code": "M2",
                         "manager_pin": "1234"})
    assert exc.value.key == "err.already_set_up"


@pytest.mark.parametrize("field,value,key", [
    ("store_name", "  ", "err.required"),
    ("opening_time", "25:00", "err.bad_time"),
    ("manager_code", "a b", "err.staff_code_format"),
    ("manager_pin", "12", "err.pin_format"),
])
def test_first_run_bad_input_names_the_field_and_writes_nothing(db, field, value, key):
    data = {"store_name": "Shop", "opening_time": "09:00", "manager_name": "Ann", "manager_code": "M1",
            "manager_pin": "1234"} | {field: value}
    with pytest.raises(DomainError) as exc:
        staff.first_run(data)
    assert exc.value.key == key and exc.value.field == field
    assert Store.select().count() == 0 and Staff.select().count() == 0


def test_demo_load_is_idempotent(db):
    first = load_demo()
    assert first.staff == 4 and first.products >= 300 and first.customers >= 12
    audit_rows = AuditLog.select().count()
    second = load_demo()
    assert second.total == 0
    assert Product.select().count() == first.products
    assert AuditLog.select().count() == audit_rows


def test_sop_fixtures_complete_in_both_languages():
    assert validate_all() == []
    groups = checklist_groups()
    assert [g.entry.code for g in groups] == ["environment", "products", "staff"]
    assert sum(len(g.items) for g in groups) == 12
    assert len(entries("approach", "signals")) == 8
    assert len(entries("approach", "greeting")) == 6
    assert len(rubric_areas()) == 5
    for name, table in [("survey", "dimensions"), ("needs", "fields"), ("approach", "avoid")]:
        for e in entries(name, table):
            assert e.zh and e.en


def test_audit_rows_chain_and_detect_tampering(demo, manager_actor):
    create_staff(manager_actor, {"code": "1003", "name": "新人", "role": "staff"}, "5555")
    row = AuditLog.select().where(AuditLog.action == "staff.create").order_by(AuditLog.id.desc()).get()
    assert row.after["code"] == "1003" and row.staff_id == manager_actor.staff_id
    assert row.terminal == "T1"
    assert audit.verify_chain() == []
    AuditLog.update(after={"code": "HACK"}).where(AuditLog.id == row.id).execute()
    assert any(f"audit row {row.id}" in p for p in audit.verify_chain())


def test_audit_log_deletion_breaks_chain(demo, manager_actor):
    create_staff(manager_actor, {"code": "1004", "name": "B", "role": "staff"}, "5555")
    first = AuditLog.select().order_by(AuditLog.id).first()
    AuditLog.delete().where(AuditLog.id == first.id + 1).execute()
    assert audit.verify_chain()


def test_staff_management_is_manager_only(demo, staff_actor):
    with pytest.raises(DomainError) as exc:
        create_staff(staff_actor, {"code": "1009", "name": "X"}, "1234")
    assert exc.value.key == "err.permission_denied"


def test_manager_cannot_demote_self(demo, manager_actor):
    with pytest.raises(DomainError) as exc:
        update_staff(manager_actor, manager_actor.staff_id, {"role": "staff"})
    assert exc.value.key == "err.cannot_demote_self"


V1_SCHEMA = """
CREATE TABLE storepos_meta (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE store (id INTEGER PRIMARY KEY, code VARCHAR(20) NOT NULL UNIQUE, name_zh VARCHAR(100) NOT NULL,
  name_en VARCHAR(100) NOT NULL, opening_time VARCHAR(5) NOT NULL, timezone VARCHAR(64) NOT NULL,
  settings TEXT NOT NULL, created_at DATETIME NOT NULL);
CREATE TABLE terminal (id INTEGER PRIMARY KEY, store_id INTEGER NOT NULL REFERENCES store(id),
  code VARCHAR(40) NOT NULL, created_at DATETIME NOT NULL);
CREATE TABLE staff (id INTEGER PRIMARY KEY, store_id INTEGER NOT NULL REFERENCES store(id),
  code VARCHAR(20) NOT NULL, name VARCHAR(60) NOT NULL, role VARCHAR(10) NOT NULL, pin_hash VARCHAR(200) NOT NULL,
  discount_authority INTEGER NOT NULL, active INTEGER NOT NULL, failed_pins INTEGER NOT NULL,
  locked_until DATETIME, created_at DATETIME NOT NULL);
INSERT INTO storepos_meta VALUES ('schema_version', '1');
INSERT INTO store VALUES (1, 'S001', '老店', 'Old shop', '09:00', 'Asia/Shanghai', '{}', '2025-01-01 00:00:00');
INSERT INTO staff VALUES (1, 1, 'M1', '老王', 'manager', 'scrypt$x', 100, 1, 0, NULL, '2025-01-01 00:00:00');
"""


@pytest.mark.sqlite_only
def test_older_schema_is_upgraded_in_place_keeping_rows(settings, fixed_clock):
    path = settings.home / "old.db"
    path.parent.mkdir(parents=True)
    con = sqlite3.connect(path)
    con.executescript(V1_SCHEMA)
    con.close()
    opened = open_store_database(settings.model_copy(update={"db": str(path)}))
    try:
        assert opened.upgraded_from == 1 and get_version() == SCHEMA_VERSION
        staff = Staff.get(Staff.code == "M1")
        assert staff.name == "老王" and staff.language is None and staff.lockouts == 0
        assert Store.get().name_en == "Old shop"
        assert database.obj.table_exists("audit_log") and database.obj.table_exists("product")
    finally:
        close_database()


def test_newer_schema_is_refused_with_a_clear_message(db):
    Meta.update(value=str(SCHEMA_VERSION + 5)).where(Meta.key == "schema_version").execute()
    with pytest.raises(SchemaError) as exc:
        ensure_schema()
    assert exc.value.key == "err.db_too_new"
    assert exc.value.params["found"] == SCHEMA_VERSION + 5
