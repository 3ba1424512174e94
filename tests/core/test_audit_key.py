"""The keyed audit chain (services/core/audit.py): rows re-chained by someone without the key are
caught by `storepos check`; a missing, replaced or incomplete key file is one clear line; rotation
keeps old rows verifiable; an upgraded database keeps its plain SHA-256 rows, anchored."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from storepos.cli import run_checks
from storepos.db import bind, database, is_sqlite, make_database, transaction
from storepos.i18n import t
from storepos.models import AuditLog, Meta, Staff
from storepos.models.schema import SCHEMA_VERSION, get_version
from storepos.services import practice
from storepos.services.core import audit
from storepos.services.core.bootstrap import close_database, open_store_database
from storepos.services.core.errors import DomainError
from storepos.services.staff import create_staff


def q(text: str) -> str:
    return text if is_sqlite() else text.replace("?", "%s")


def sql(text: str, *params) -> None:
    with database.obj.atomic():
        database.obj.execute_sql(q(text), params)


def _changed(problems: list[str]) -> list[str]:
    return [p for p in problems if "contents changed" in p]


def _plain_sha256(prev: str, fields: dict) -> str:
    """What an attacker writes without the app: a plain SHA-256 chain over the same payload."""
    payload = json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256((prev + payload).encode("utf-8")).hexdigest()


def _rechain(link, *, from_id: int = 0, key_id="keep") -> None:
    """Recompute prev_hash/hash of every row from *from_id* on with ``link(prev, fields, row)``
    and the chain head: what someone with write access to the database does after editing a row."""
    rows = list(AuditLog.select().order_by(AuditLog.id))
    prev = audit.GENESIS
    with database.obj.atomic():
        for row in rows:
            if row.id >= from_id:
                kid = row.key_id if key_id == "keep" else key_id
                row.key_id = kid
                new = link(prev, audit._row_fields(row), row)
                AuditLog.update(prev_hash=prev, hash=new, key_id=kid).where(AuditLog.id == row.id).execute()
                prev = new
            else:
                prev = row.hash
        Meta.update(value=prev).where(Meta.key == "audit_head").execute()


def _real_link(prev: str, fields: dict, row) -> str:
    key = audit.read_keys(audit.key_path())[row.key_id]
    return audit._link(key, row.key_id, prev, fields)


def _tamper(row_id: int) -> None:
    sql("UPDATE audit_log SET action = ? WHERE id = ?", "staff.tampered", row_id)


@pytest.fixture
def rows(manager_actor):
    """Two more audit rows written by the services; returns the id of a row in the middle."""
    create_staff(manager_actor, {"code": "1003", "name": "新人", "role": "staff"}, "5555")
    create_staff(manager_actor, {"code": "1004", "name": "又一个", "role": "staff"}, "5555")
    assert run_checks() == []
    return AuditLog.select().order_by(AuditLog.id.desc()).offset(1).first().id


# -- the key ----------------------------------------------------------------------------------

def test_key_file_is_private_beside_the_pepper_and_every_row_names_its_key(demo, settings):
    path = settings.audit_key_path
    assert path.parent == settings.pepper_path.parent and path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert {r.key_id for r in AuditLog.select(AuditLog.key_id)} == {1}
    fp = json.loads(Meta.get(Meta.key == "audit_keys").value)["1"]
    assert fp == audit.fingerprint(audit.read_keys(path)[1])
    assert audit.read_keys(path)[1].hex() not in " ".join(m.value for m in Meta.select())


def test_a_new_database_makes_its_key_file_with_o_excl_0600(db, settings):
    path = settings.audit_key_path
    assert not path.exists()  # opening makes nothing: the first audit row does
    with transaction():
        audit.record(None, "test.first", "x", 1)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(audit.read_keys(path)) == [1]
    assert run_checks() == []


# -- tampering --------------------------------------------------------------------------------

def test_the_re_chainer_used_below_is_right(demo, rows):
    """With the real key the re-chainer's work passes check: so the failures below come from the
    missing key, not from a wrong re-chainer."""
    _tamper(rows)
    assert _changed(run_checks())
    _rechain(_real_link)
    assert run_checks() == []


@pytest.mark.parametrize("how", ["plain sha256", "old app function", "old app function, key id cleared",
                                 "hmac with a guessed key"])
def test_an_edited_row_re_chained_without_the_key_fails_check(demo, rows, how):
    _tamper(rows)
    if how == "plain sha256":
        _rechain(lambda prev, fields, row: _plain_sha256(prev, fields))
    elif how == "old app function":
        _rechain(lambda prev, fields, row: audit._legacy_digest(prev, fields))
    elif how == "old app function, key id cleared":
        _rechain(lambda prev, fields, row: audit._legacy_digest(prev, fields), key_id=None)
    else:
        guess = secrets.token_bytes(32)
        _rechain(lambda prev, fields, row: audit._link(guess, row.key_id, prev, fields))
    problems = run_checks()
    assert any(f"audit row {rows}:" in p for p in problems), problems
    assert not any("previous hash" in p for p in problems)  # the links themselves were made consistent


# -- a missing or wrong key -------------------------------------------------------------------

def test_missing_key_file_is_one_line_naming_it_and_writes_are_refused(demo, rows, settings, manager_actor):
    settings.audit_key_path.unlink()
    problems = run_checks()
    assert problems == [t("integrity.audit_key_missing", path=str(settings.audit_key_path),
                          count=AuditLog.select().count())]
    assert str(settings.audit_key_path) in problems[0] and "backup" in problems[0]
    staff_before = Staff.select().count()
    with pytest.raises(DomainError) as exc:
        create_staff(manager_actor, {"code": "1005", "name": "X", "role": "staff"}, "5555")
    assert exc.value.key == "err.audit_key_missing" and str(settings.audit_key_path) in exc.value.message
    assert Staff.select().count() == staff_before  # the write is refused whole
    assert not settings.audit_key_path.exists()  # and no new key was made in its place
    with pytest.raises(DomainError):
        audit.check_key()


def test_replaced_key_file_is_one_line_not_a_row_changed_flood(demo, rows, settings, manager_actor):
    path = settings.audit_key_path
    audit._write_keys(path, {1: secrets.token_bytes(32)}, new=False)
    problems = run_checks()
    assert problems == [t("integrity.audit_key_changed", path=str(path), key=1)]
    with pytest.raises(DomainError) as exc:
        create_staff(manager_actor, {"code": "1005", "name": "X", "role": "staff"}, "5555")
    assert exc.value.key == "err.audit_key_changed"


async def test_missing_audit_key_at_app_start_shows_the_fatal_screen(demo, settings, make_app):
    from storepos.ui.home.fatal import FatalScreen

    settings.audit_key_path.unlink()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FatalScreen)
        assert app.screen.message == t("err.audit_key_missing", path=str(settings.audit_key_path))


# -- rotation ---------------------------------------------------------------------------------

def test_rotation_keeps_old_keys_and_check_verifies_each_row_with_its_own(demo, rows, settings, manager_actor):
    path = settings.audit_key_path
    first = audit.read_keys(path)[1]
    assert audit.rotate_key() == (1, 2)
    keys = audit.read_keys(path)
    assert keys[1] == first and set(keys) == {1, 2}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rotation = AuditLog.select().order_by(AuditLog.id.desc()).first()
    assert rotation.action == "audit.key_rotated" and rotation.key_id == 2 and rotation.after["key"] == 2
    create_staff(manager_actor, {"code": "1005", "name": "轮换后", "role": "staff"}, "5555")
    assert AuditLog.select().order_by(AuditLog.id.desc()).first().key_id == 2
    assert run_checks() == []
    # a row signed with the old key is still verified with it
    _tamper(rows)
    assert any(f"audit row {rows}:" in p for p in run_checks())


def test_an_old_key_removed_from_the_file_fails_check_clearly(demo, rows, settings):
    path = settings.audit_key_path
    audit.rotate_key()
    keys = audit.read_keys(path)
    last_old = AuditLog.select().where(AuditLog.key_id == 1).order_by(AuditLog.id.desc()).first().id
    audit._write_keys(path, {2: keys[2]}, new=False)
    problems = run_checks()
    assert problems == [t("integrity.audit_key_lost", path=str(path), key=1,
                          first=AuditLog.select().order_by(AuditLog.id).first().id, last=last_old)]
    assert "key 1" in problems[0] and str(path) in problems[0]


def test_rotation_refuses_while_the_key_in_use_is_missing(demo, settings):
    settings.audit_key_path.unlink()
    before = AuditLog.select().count()
    with pytest.raises(DomainError) as exc:
        audit.rotate_key()
    assert exc.value.key == "err.audit_key_missing"
    assert not settings.audit_key_path.exists() and AuditLog.select().count() == before


# -- an upgraded database ---------------------------------------------------------------------

def _make_v6(settings) -> None:
    """Turn the open database into what storepos before schema 7 left: a plain SHA-256 chain, no
    key_id column, no key file."""
    _rechain(lambda prev, fields, row: audit._legacy_digest(prev, fields), key_id=None)
    with database.obj.atomic():
        Meta.delete().where(Meta.key.in_(["audit_key", "audit_keys", "audit_keyed_from"])).execute()
        Meta.update(value="6").where(Meta.key == "schema_version").execute()
    database.obj.execute_sql("ALTER TABLE audit_log DROP COLUMN key_id")
    close_database()
    settings.audit_key_path.unlink()


@pytest.fixture
def upgraded(demo, rows, settings):
    """The demo database as schema 6 left it, opened (upgraded) by this storepos."""
    plain_rows = AuditLog.select().count()
    _make_v6(settings)
    opened = open_store_database(settings)
    assert opened.upgraded_from == 6 and get_version() == SCHEMA_VERSION
    return plain_rows


def test_upgrade_keeps_plain_rows_and_anchors_them_in_the_keyed_chain(upgraded, settings, manager_actor):
    path = settings.audit_key_path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    start = AuditLog.select().order_by(AuditLog.id.desc()).first()
    assert start.action == "audit.chain_keyed" and start.key_id == 1
    assert start.after["plain_rows"] == upgraded
    assert AuditLog.select().where(AuditLog.key_id.is_null()).count() == upgraded
    assert json.loads(Meta.get(Meta.key == "audit_keyed_from").value)["row"] == start.id
    create_staff(manager_actor, {"code": "1005", "name": "升级后", "role": "staff"}, "5555")
    assert run_checks() == []


def test_upgraded_plain_row_edited_and_re_chained_is_caught_at_the_keyed_start(upgraded, rows):
    _tamper(rows)
    start = json.loads(Meta.get(Meta.key == "audit_keyed_from").value)["row"]
    # the attacker re-chains the plain part with the plain function (and may even redo the keyed
    # part's links, with no key to sign them)
    with database.obj.atomic():
        prev = audit.GENESIS
        for row in AuditLog.select().where(AuditLog.id < start).order_by(AuditLog.id):
            new = audit._legacy_digest(prev, audit._row_fields(row))
            AuditLog.update(prev_hash=prev, hash=new).where(AuditLog.id == row.id).execute()
            prev = new
        AuditLog.update(prev_hash=prev).where(AuditLog.id == start).execute()
    problems = run_checks()
    assert any(f"audit row {start}:" in p for p in problems), problems


@pytest.mark.parametrize("move", ["forward past every row", "deleted"])
def test_the_recorded_start_cannot_be_moved_or_removed(upgraded, rows, move):
    """Someone turns every row into a plain one (re-chained with the plain function) and moves the
    start of the keyed chain past them, or removes it, so that only plain rows seem to exist."""
    _tamper(rows)
    _rechain(lambda prev, fields, row: audit._legacy_digest(prev, fields), key_id=None)
    record = json.loads(Meta.get(Meta.key == "audit_keyed_from").value)
    if move == "deleted":
        Meta.delete().where(Meta.key == "audit_keyed_from").execute()
    else:
        last = AuditLog.select().order_by(AuditLog.id.desc()).first()
        record.update(row=last.id + 1, prev=last.hash)  # the old mac cannot match the new place
        Meta.update(value=json.dumps(record)).where(Meta.key == "audit_keyed_from").execute()
    problems = run_checks()
    assert problems, problems
    if move == "deleted":
        assert any("not signed with the audit key" in p for p in problems)
    else:
        assert any("where the keyed chain starts" in p for p in problems)


def test_a_database_not_upgraded_yet_is_verified_the_old_way(demo, rows, settings):
    """`check` reading a schema-6 database without upgrading it (read-only): the plain chain is
    verified as before, and a changed row is still named."""
    _make_v6(settings)
    bind(make_database(settings.database_target))
    assert get_version() == 6
    assert audit.verify_chain() == []
    _tamper(rows)
    assert audit.verify_chain() == [t("integrity.audit_changed", id=rows)]
    close_database()


def test_upgrade_with_no_audit_rows_keys_the_whole_chain(db, settings):
    with database.obj.atomic():
        Meta.update(value="6").where(Meta.key == "schema_version").execute()
    database.obj.execute_sql("ALTER TABLE audit_log DROP COLUMN key_id")
    close_database()
    assert open_store_database(settings).upgraded_from == 6
    assert Meta.get_or_none(Meta.key == "audit_keyed_from") is None and AuditLog.select().count() == 0
    with transaction():
        audit.record(None, "test.first", "x", 1)
    assert run_checks() == []


# -- practice ---------------------------------------------------------------------------------

def test_practice_signs_with_the_shared_key_file_and_rotations_keep_both_verifiable(demo, tmp_path):
    live_rows = AuditLog.select().count()
    close_database()
    database.initialize(None)
    psettings = demo.model_copy(update={"practice": True, "practice_db": str(tmp_path / "practice.db")})
    practice.prepare(psettings)
    assert audit.key_path() == demo.audit_key_path
    seeded = AuditLog.select().order_by(AuditLog.id.desc()).first()
    assert seeded.action == "practice.seed" and seeded.key_id == 1
    assert run_checks() == []
    close_database()
    database.initialize(None)
    # the live database rotates: practice keeps its key 1 (still in the file) and stays verified
    open_store_database(demo)
    assert audit.rotate_key() == (1, 2) and AuditLog.select().count() == live_rows + 1
    close_database()
    database.initialize(None)
    practice.prepare(psettings)
    assert run_checks() == []
    with transaction():
        audit.record(None, "practice.test", "x", 1)
    assert AuditLog.select().order_by(AuditLog.id.desc()).first().key_id == 1
    assert audit.rotate_key() == (1, 3)  # its own rotation takes the file's next id
    assert run_checks() == []
    close_database()
    database.initialize(None)
    open_store_database(demo)
    assert run_checks() == []
    assert sorted(audit.read_keys(demo.audit_key_path)) == [1, 2, 3]
    assert os.stat(demo.audit_key_path).st_mode & 0o077 == 0


# -- the command ------------------------------------------------------------------------------

def _run(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"STOREPOS_HOME": str(home), "STOREPOS_LANG": "en"}
    env.pop("STOREPOS_DB", None)
    return subprocess.run([sys.executable, "-m", "storepos", *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


@pytest.mark.sqlite_only
def test_audit_key_rotate_and_check_from_the_command_line(tmp_path):
    assert _run(tmp_path, "init", "--demo").returncode == 0
    r = _run(tmp_path, "audit-key", "rotate", "--demo")
    assert r.returncode == 0, r.stderr
    assert "New audit key 2" in r.stdout and str(tmp_path / "audit-key") in r.stdout
    r = _run(tmp_path, "audit-key", "status", "--demo")
    assert r.returncode == 0 and "keys in the file: 1, 2" in r.stdout and "signs with key 2" in r.stdout
    r = _run(tmp_path, "check", "--demo")
    assert r.returncode == 0, r.stdout + r.stderr
    (tmp_path / "audit-key").unlink()
    r = _run(tmp_path, "check", "--demo")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1 and str(tmp_path / "audit-key") in lines[0] and "backup" in lines[0], r.stdout
    r = _run(tmp_path, "audit-key", "rotate", "--demo")
    assert r.returncode == 2 and "is missing" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "audit-key").exists()


def test_a_log_rewritten_from_an_early_row_is_named_in_20_lines_and_a_count(demo, manager_actor):
    for i in range(30):
        create_staff(manager_actor, {"code": f"20{i:02d}", "name": f"员工{i}", "role": "staff"}, "5555")
    first = AuditLog.select().order_by(AuditLog.id).first().id
    _tamper(first)
    _rechain(lambda prev, fields, row: _plain_sha256(prev, fields))
    problems = run_checks()
    total = AuditLog.select().count()
    assert problems[0].startswith(f"audit row {first}:")
    assert len(problems) == audit.MAX_ROW_LINES + 1
    assert problems[-1] == t("integrity.audit_more", count=total - audit.MAX_ROW_LINES)
