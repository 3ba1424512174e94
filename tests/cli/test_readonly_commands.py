"""check, backup, report and products export only read (issue 18.4): they open the database
read-only, refuse a missing, empty or non-storepos file with one line and exit 2, and leave the
file exactly as it was; a read-only database (file and folder) can be checked."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import peewee
import pytest

from storepos.cli import main
from storepos.commands.base import open_database
from storepos.db import database, is_readonly
from storepos.i18n import set_language
from storepos.models.schema import SCHEMA_VERSION
from storepos.services.core.bootstrap import close_database, open_store_database

COMMANDS = {
    "check": ["check"],
    "backup": ["backup", "{dest}"],
    "report daily": ["report", "daily"],
    "report checklist": ["report", "checklist"],
    "products export": ["products", "export"],
}


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _random(path: Path) -> None:
    path.write_bytes(os.urandom(3000))


def _other_app(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("INSERT INTO notes (body) VALUES ('not a shop')")
    con.commit()
    con.close()


def _sqlite_no_tables(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 7")  # a valid SQLite file with no table at all
    con.commit()
    con.close()


BAD_FILES = {"empty": _empty, "random": _random, "other app": _other_app, "no tables": _sqlite_no_tables}
EXPECTED = {"empty": "is empty (0 bytes)", "random": "is not a SQLite database",
            "other app": "is not a storepos database", "no tables": "is not a storepos database"}


def _state(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Every file in *folder*: (sha256, size, mtime_ns) — what 'left exactly as it was' means."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            st = p.stat()
            out[str(p.relative_to(folder))] = (hashlib.sha256(p.read_bytes()).hexdigest(), st.st_size, st.st_mtime_ns)
    return out


def _run(args: list[str], capsys) -> tuple[int, list[str], str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.err.strip().splitlines(), out.out


@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("bad", list(BAD_FILES))
def test_a_bad_file_is_refused_in_one_line_and_left_as_it_was(tmp_path, capsys, command, bad):
    folder = tmp_path / "shop"
    folder.mkdir()
    target = folder / "storepos.db"
    BAD_FILES[bad](target)
    home = tmp_path / "home"
    before = _state(folder)
    args = [a.format(dest=tmp_path / "copy.db") for a in COMMANDS[command]]
    code, err, out = _run([*args, "--db", str(target), "--home", str(home), "--lang", "en"], capsys)
    assert code == 2, (err, out)
    assert len(err) == 1 and EXPECTED[bad] in err[0] and str(target) in err[0], err
    assert "Traceback" not in out
    assert _state(folder) == before  # not a byte, not a new -wal/-shm/-journal
    assert not home.exists() and not (tmp_path / "copy.db").exists()
    assert database.obj is None  # nothing left bound


@pytest.mark.sqlite_only
def test_an_empty_file_stays_zero_bytes_and_is_refused_in_chinese(tmp_path, capsys):
    target = tmp_path / "empty.db"
    target.touch()
    code, err, _ = _run(["check", "--db", str(target), "--home", str(tmp_path / "h"), "--lang", "zh_CN"], capsys)
    assert code == 2 and len(err) == 1 and "空文件（0 字节）" in err[0] and "storepos init" in err[0]
    code, err, _ = _run(["backup", str(tmp_path / "b.db"), "--db", str(target), "--lang", "zh_CN"], capsys)
    assert code == 2 and "空文件" in err[0]
    assert target.stat().st_size == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]
    set_language("en")


@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_missing_file_is_refused_and_not_created(tmp_path, capsys, command):
    target = tmp_path / "none.db"
    args = [a.format(dest=tmp_path / "copy.db") for a in COMMANDS[command]]
    code, err, _ = _run([*args, "--db", str(target), "--home", str(tmp_path / "home"), "--lang", "en"], capsys)
    assert code == 2 and len(err) == 1 and "no database at" in err[0]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.sqlite_only
def test_init_still_creates_a_schema_in_an_empty_file(tmp_path, capsys):
    target = tmp_path / "new.db"
    target.touch()
    assert main(["init", "--db", str(target), "--home", str(tmp_path / "home"), "--lang", "en"]) == 0
    close_database()
    database.initialize(None)
    assert target.stat().st_size > 0
    assert main(["check", "--db", str(target), "--home", str(tmp_path / "home"), "--lang", "en"]) == 0, \
        capsys.readouterr()


def test_the_readonly_open_refuses_writes(demo):
    """What check/backup/report get: a connection through which no write can happen (SQLite
    mode=ro; PostgreSQL default_transaction_read_only)."""
    close_database()
    database.initialize(None)
    opened = open_database(demo, readonly=True)
    try:
        assert opened.current and is_readonly()
        from storepos.models import Meta

        assert Meta.select().count() >= 1  # it reads
        refused = (peewee.OperationalError, peewee.InternalError, peewee.ProgrammingError)
        with pytest.raises(refused), database.obj.atomic():
            Meta.insert(key="written_by_check", value="x").execute()
        with pytest.raises(refused), database.obj.atomic():
            database.obj.execute_sql("CREATE TABLE check_wrote_this (a INTEGER)")
    finally:
        close_database()
        database.initialize(None)
    open_store_database(demo)


@pytest.mark.sqlite_only
def test_an_older_schema_is_reported_by_check_and_refused_by_report(demo, capsys):
    close_database()
    database.initialize(None)
    con = sqlite3.connect(demo.database_target)
    con.execute("UPDATE storepos_meta SET value = '5' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    before = hashlib.sha256(Path(demo.database_target).read_bytes()).hexdigest()
    args = ["--db", demo.database_target, "--home", str(demo.home), "--lang", "en"]
    code, err, out = _run(["check", *args], capsys)
    assert code == 1 and f"schema version is 5, expected {SCHEMA_VERSION}" in out
    code, err, out = _run(["report", "daily", *args], capsys)
    assert code == 2 and len(err) == 1 and f"needs {SCHEMA_VERSION}" in err[0] and "storepos init" in err[0]
    close_database()
    database.initialize(None)
    assert hashlib.sha256(Path(demo.database_target).read_bytes()).hexdigest() == before  # not upgraded
    open_store_database(demo)


def _copy_closed(src: str, dest: Path) -> None:
    """A WAL database as a cleanly closed one is left: one file, no -wal or -shm."""
    s = sqlite3.connect(src)
    d = sqlite3.connect(dest)
    s.backup(d)
    d.execute("PRAGMA journal_mode = wal")
    s.close()
    d.close()
    assert not Path(f"{dest}-wal").exists()


@pytest.mark.sqlite_only
def test_a_readonly_database_in_a_readonly_folder_can_be_checked(demo, tmp_path, capsys):
    close_database()
    database.initialize(None)
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "shop.db"
    _copy_closed(demo.database_target, target)
    target.chmod(0o400)
    folder.chmod(0o500)
    before = _state(folder)
    try:
        code, err, out = _run(["check", "--db", str(target), "--home", str(demo.home), "--lang", "en"], capsys)
        assert code == 0, (out, err)
        assert "All checks passed" in out
        code, err, out = _run(["report", "daily", "--db", str(target), "--home", str(demo.home)], capsys)
        assert code == 0, err
        # root may still make the -shm SQLite wants beside it; the database itself is untouched
        assert _state(folder)["shop.db"] == before["shop.db"]
    finally:
        folder.chmod(0o700)
    open_store_database(demo)


NOBODY = 65534
as_root = pytest.mark.skipif(os.geteuid() != 0 or not hasattr(os, "fork"), reason="needs root to become another user")


@pytest.fixture
def readonly_place(demo, capsys, request):
    """A folder under /tmp that user 'nobody' may read but not write, and a home of nobody's own
    (with the pepper and any key beside the database); the test database closed.  Skips where
    nobody could not reach the folder or the package.  Reopens the test database afterwards."""
    close_database()
    database.initialize(None)
    base = Path(tempfile.mkdtemp(prefix="storepos-ro-"))  # under /tmp: pytest's own folder is 0700
    base.chmod(0o755)
    folder = base / "ro"
    folder.mkdir()
    home = base / "nobody-home"
    home.mkdir(mode=0o700)
    for p in Path(demo.home).iterdir():
        if p.is_file() and not p.name.startswith(Path(demo.database_target).name):
            shutil.copy2(p, home / p.name)
            os.chown(home / p.name, NOBODY, NOBODY)
    os.chown(home, NOBODY, NOBODY)

    def finish() -> None:
        folder.chmod(0o700)
        shutil.rmtree(base, ignore_errors=True)
        open_store_database(demo)

    request.addfinalizer(finish)
    import storepos

    package = Path(storepos.__file__).resolve().parent  # the locales and fixtures it reads late
    for p in (*base.parents, package, *package.parents):
        if p.stat().st_mode & 0o001 == 0:
            pytest.skip(f"{p} is not searchable by other users")
    # warm every import (a child running as nobody may not read the interpreter's own folders)
    assert main(["check", "--db", demo.database_target, "--home", str(demo.home), "--lang", "en"]) == 0
    close_database()
    database.initialize(None)
    capsys.readouterr()
    return folder, home


def _seal(folder: Path) -> None:
    for p in folder.iterdir():
        os.chown(p, NOBODY, NOBODY)
        p.chmod(0o400)
    folder.chmod(0o555)


def _check_as_nobody(target: Path, home: Path) -> tuple[int, str]:
    """`storepos check` run by user nobody in a forked child: (exit code, what it printed)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        import contextlib
        import io

        code = 99
        buf = io.StringIO()
        try:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            try:
                (target.parent / "probe").write_text("x")
                buf.write("folder writable\n")
            except OSError:
                pass
            with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
                code = main(["check", "--db", str(target), "--home", str(home), "--lang", "en"])
        except BaseException as exc:  # noqa: BLE001 - report anything to the parent
            buf.write(f"child failed: {exc!r}\n")
        finally:
            os.write(write_end, buf.getvalue().encode())
            os._exit(code)
    os.close(write_end)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(read_end) as fh:
        return os.waitstatus_to_exitcode(status), fh.read()


@pytest.mark.sqlite_only
@as_root
def test_another_user_can_check_a_database_it_may_only_read(demo, readonly_place):
    """As root the folder's modes stop nothing: a child becomes 'nobody', who may read the file but
    write neither it nor its folder (no -shm can be made: the database is opened immutable)."""
    folder, home = readonly_place
    target = folder / "shop.db"
    _copy_closed(demo.database_target, target)
    _seal(folder)
    before = _state(folder)
    code, output = _check_as_nobody(target, home)
    assert code == 0, output
    assert "All checks passed" in output and "folder writable" not in output
    assert _state(folder) == before  # no -shm, no -wal: nothing made beside it


@pytest.mark.sqlite_only
@as_root
def test_unsaved_wal_changes_in_a_readonly_folder_are_refused_not_missed(demo, readonly_place):
    """A -wal with changes not yet in the file and no -shm: immutable would read the file without
    them, so check refuses in one line instead of checking stale data."""
    folder, home = readonly_place
    target = folder / "shop.db"
    _copy_closed(demo.database_target, target)
    con = sqlite3.connect(target)
    con.execute("PRAGMA wal_autocheckpoint = 0")
    con.execute("INSERT INTO storepos_meta (key, value) VALUES ('unsaved', 'x')")
    con.commit()
    assert Path(f"{target}-wal").stat().st_size > 0
    shutil.copyfile(f"{target}-wal", folder / "kept-wal")
    shutil.copyfile(target, folder / "kept.db")
    con.close()
    for p in folder.iterdir():
        if p.name not in ("kept.db", "kept-wal"):
            p.unlink()
    (folder / "kept.db").rename(target)
    (folder / "kept-wal").rename(f"{target}-wal")
    _seal(folder)
    before = _state(folder)
    code, output = _check_as_nobody(target, home)
    assert code == 2, output
    lines = output.strip().splitlines()
    assert len(lines) == 1 and "its -wal journal holds changes" in lines[0], output
    assert _state(folder) == before
