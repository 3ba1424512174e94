"""Private files (issue 18.6): the home folder 0700; the database, its -wal/-shm, the pepper,
printouts, exports and backups 0600, whatever the umask; too-open files are tightened when
storepos starts, and reported (not changed) by `storepos check`."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from storepos import private
from storepos.cli import main
from storepos.config import Settings
from storepos.db import database
from storepos.services.core import printout
from storepos.services.core.bootstrap import close_database, open_store_database

pytestmark = pytest.mark.sqlite_only  # modes of SQLite files


def mode(path: Path) -> int:
    return stat.S_IMODE(Path(path).stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The loosest umask there is: every mode below is set by storepos, not inherited."""
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.fixture
def shop(tmp_path: Path, open_umask, fixed_clock) -> Iterator[Settings]:
    settings = Settings(home=tmp_path / "home", terminal="T1", idle_lock_minutes=0)
    open_store_database(settings)
    yield settings
    close_database()
    database.initialize(None)


def test_home_database_and_its_wal_and_shm_are_private(shop):
    from storepos.services.core import pins

    pins.ensure_pepper()
    from storepos.models import Meta

    with database.obj.atomic():
        Meta.insert(key="probe", value="x").execute()  # a write: the -wal and -shm exist now
    db = Path(shop.database_target)
    assert Path(f"{db}-wal").exists() and Path(f"{db}-shm").exists()
    assert mode(shop.home) == 0o700
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), shop.pepper_path):
        assert mode(p) == 0o600, (p, oct(mode(p)))


def test_printouts_are_private_files_in_private_folders(shop):
    got = printout.deliver("收据 receipt\n", "receipt", "T1-000001", store_id=1)
    assert got.path is not None and got.path.read_text(encoding="utf-8") == "收据 receipt\n"
    assert mode(got.path) == 0o600
    assert mode(shop.home / "printouts") == 0o700 and mode(shop.home / "printouts" / "receipt") == 0o700
    again = printout.deliver("second\n", "receipt", "T1-000001", store_id=1)  # rewritten in place: still 0600
    assert mode(again.path) == 0o600 and again.path.read_text(encoding="utf-8") == "second\n"


def test_exports_are_private(shop):
    from storepos.services.reports import export_csv

    path = export_csv([["a", "b"], ["1", "2"]], shop.home, "daily", "S001", dt.date(2026, 3, 2), dt.date(2026, 3, 2))
    assert mode(path) == 0o600 and mode(shop.home / "exports") == 0o700


def test_a_new_database_file_given_by_path_is_private_and_its_folder_keeps_its_mode(tmp_path, open_umask, capsys):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    target = folder / "shop.db"
    assert main(["init", "--db", str(target), "--home", str(tmp_path / "home"), "--lang", "en"]) == 0
    close_database()
    database.initialize(None)
    assert mode(target) == 0o600 and mode(tmp_path / "home") == 0o700
    assert mode(folder) == 0o755  # the user's own folder is not ours to change


def test_backup_copy_is_private(shop, tmp_path, capsys):
    close_database()
    database.initialize(None)
    dest = tmp_path / "copy.db"
    assert main(["backup", str(dest), "--db", shop.database_target, "--home", str(shop.home)]) == 0, \
        capsys.readouterr().err
    assert mode(dest) == 0o600
    assert not Path(f"{dest}-wal").exists() or mode(Path(f"{dest}-wal")) == 0o600
    close_database()
    database.initialize(None)
    open_store_database(shop)


def test_too_open_files_are_reported_by_check_and_tightened_at_start(shop, capsys):
    from storepos.services.core import pins

    pins.ensure_pepper()
    printout.deliver("x\n", "receipt", "T1-000001", store_id=1)
    close_database()
    database.initialize(None)
    db = Path(shop.database_target)
    receipt = shop.home / "printouts" / "receipt" / "T1-000001.txt"
    loose = {shop.home: 0o755, db: 0o644, shop.pepper_path: 0o644, receipt: 0o666, shop.home / "printouts": 0o775,
             receipt.parent: 0o755}
    for p, m in loose.items():
        os.chmod(p, m)
    code = main(["check", "--db", str(db), "--home", str(shop.home), "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 1
    for p in loose:
        assert f"private file {p} is open to others" in out, out
    assert f"private file {db} is open to others (mode 0644, should be 0600)" in out
    assert mode(db) == 0o644 and mode(shop.home) == 0o755 and mode(receipt) == 0o666  # check changed nothing
    close_database()
    database.initialize(None)
    open_store_database(shop)  # what the app and init do first
    assert mode(db) == 0o600 and mode(shop.home) == 0o700 and mode(receipt) == 0o600
    assert mode(shop.pepper_path) == 0o600
    assert mode(shop.home / "printouts") == 0o700 and mode(receipt.parent) == 0o700
    close_database()
    database.initialize(None)
    assert main(["check", "--db", str(db), "--home", str(shop.home), "--lang", "en"]) == 0, capsys.readouterr().out
    close_database()
    database.initialize(None)
    open_store_database(shop)


def test_tighten_leaves_other_files_in_home_alone(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("the owner's own file")
    os.chmod(home / "notes.txt", 0o644)
    (home / "pepper").write_text("x" * 64)
    os.chmod(home / "pepper", 0o644)
    changed = private.tighten(home)
    assert set(changed) == {home, home / "pepper"} or set(changed) == {home / "pepper"}
    assert mode(home / "notes.txt") == 0o644 and mode(home / "pepper") == 0o600


def test_a_private_folder_keeps_what_it_holds_private_and_is_not_walked(tmp_path):
    """Inside a 0700 folder no one else reaches a file, whatever its mode: such folders (years of
    printouts) are not walked at each start; a too-open one is, and everything in it is set."""
    home = tmp_path / "home"
    inner = private.make_dir(home / "printouts" / "receipt")
    (inner / "old.txt").write_text("x")
    os.chmod(inner / "old.txt", 0o644)
    os.chmod(home, 0o700)
    assert private.too_open(home) == []
    os.chmod(home / "printouts", 0o755)
    os.chmod(inner, 0o755)
    assert {p for p, _m, _w in private.too_open(home)} == {home / "printouts", inner, inner / "old.txt"}
    private.tighten(home)
    assert mode(inner / "old.txt") == 0o600 and mode(inner) == 0o700 and private.too_open(home) == []
