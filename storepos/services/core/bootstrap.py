"""Opening a storepos database: connect, create or upgrade the schema, configure the pepper."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import peewee

from storepos import private
from storepos.config import Settings, scrub
from storepos.db import DatabaseOpenError, bind, database, make_database
from storepos.models.schema import SCHEMA_VERSION, SchemaError, ensure_schema, get_version
from storepos.services.core import audit, pins

__all__ = ["BackupError", "DatabaseOpenError", "Opened", "SchemaError", "backup_open_database", "close_database",
           "is_sqlite_open", "open_readonly_database", "open_store_database", "private_problems",
           "schema_problems"]


@dataclass
class Opened:
    db: peewee.Database
    created: bool
    upgraded_from: int | None
    version: int

    @property
    def current(self) -> bool:
        """Whether the schema is this program's (a read-only open may find an older one)."""
        return self.version == SCHEMA_VERSION


def open_store_database(settings: Settings) -> Opened:
    """Open the database *settings* point at (created when missing) for the app, ``init`` and the
    commands that write.  The home folder and what storepos keeps there (the database files
    included) are made private first (storepos.private: 0700 folders, 0600 files).

    Raises DatabaseOpenError or SchemaError with a translatable message."""
    private.make_dir(settings.home)
    # before connecting: SQLite makes a missing -wal/-shm with the (now 0600) database file's mode
    private.tighten(settings.home, _file_targets(settings))
    db = make_database(settings.database_target)
    bind(db)
    audit.configure_key(settings.audit_key_path)
    try:
        found, now = ensure_schema(audit.start_keyed_chain)
    except peewee.DatabaseError as exc:
        database.initialize(None)
        db.close()
        raise DatabaseOpenError("err.db_cannot_open", target=settings.shown_target,
                                reason=scrub(str(exc).strip(), settings.database_target)) from None
    except SchemaError:
        db.close()
        raise
    _configure(settings)
    return Opened(db=db, created=found is None, upgraded_from=found if found and found < now else None,
                  version=now)


def open_readonly_database(settings: Settings, *, any_version: bool = False) -> Opened:
    """Open the database *settings* point at READ-ONLY, for ``check``, ``backup`` and the reports:
    nothing is created, upgraded or written (SQLite ``mode=ro``; PostgreSQL read-only
    transactions), the home folder is not touched, and any write through the connection fails.

    Refused (DatabaseOpenError) when the file is missing, empty (0 bytes), not SQLite, or not a
    storepos database (no storepos_meta schema version); SchemaError when it is newer than this
    program, or older (it needs the upgrade that the app or ``init`` does) unless *any_version*."""
    db = make_database(settings.database_target, readonly=True)
    bind(db)
    try:
        found = get_version() if db.table_exists("storepos_meta") else None
    except peewee.DatabaseError as exc:
        database.initialize(None)
        db.close()
        raise DatabaseOpenError("err.db_cannot_open", target=settings.shown_target,
                                reason=scrub(str(exc).strip(), settings.database_target)) from None
    if found is None:
        database.initialize(None)
        db.close()
        raise DatabaseOpenError("err.db_not_storepos_file", target=settings.shown_target)
    if found > SCHEMA_VERSION:
        db.close()
        raise SchemaError("err.db_too_new", found=found, supported=SCHEMA_VERSION)
    if found < SCHEMA_VERSION and not any_version:
        db.close()
        raise SchemaError("err.db_needs_upgrade", target=settings.shown_target, found=found,
                          expected=SCHEMA_VERSION)
    _configure(settings)
    return Opened(db=db, created=False, upgraded_from=None, version=found)


def _file_targets(settings: Settings) -> list[str]:
    """The database files of *settings* that are SQLite files (live and practice)."""
    from storepos.db import sqlite_path

    out = []
    for target in (settings.live_target, settings.practice_target):
        path = sqlite_path(target.strip())
        if path and path != ":memory:":
            out.append(path)
    return out


def private_problems(settings: Settings) -> list[str]:
    """What `storepos check` reports about file modes: each private file or folder (the home
    folder, the database and its -wal/-shm, the pepper, printouts, exports) that others may read.
    Changes nothing."""
    from storepos.i18n import t

    return [t("cli.check_too_open", path=str(path), mode=f"{mode:04o}", wanted=f"{mode & wanted:04o}")
            for path, mode, wanted in private.too_open(settings.home, _file_targets(settings))]


def _configure(settings: Settings) -> None:
    pins.configure_pepper(settings.pepper_path)
    audit.configure_key(settings.audit_key_path)  # check verifies the chain with the shop's key
    from storepos.services.core import printout

    printout.configure(settings.files_home, settings.active_print_command, shell=settings.print_shell,
                       timeout=settings.print_timeout, terminal=settings.terminal, practice=settings.practice)


def close_database() -> None:
    from storepos.services.core import printout

    printout.stop_worker()  # it uses the database: stopped first
    if database.obj is not None and not database.obj.is_closed():
        database.obj.close()


def schema_problems() -> list[str]:
    """What `storepos check` finds wrong with the schema itself: SQLite's integrity check and a
    schema version other than this program's."""
    from storepos.i18n import t
    from storepos.models.schema import SCHEMA_VERSION, get_version, integrity_problems

    problems = list(integrity_problems())
    version = get_version()
    if version != SCHEMA_VERSION:
        problems.append(t("cli.check_version", found=version, expected=SCHEMA_VERSION))
    return problems


class BackupError(Exception):
    """A backup that failed; ``key``/``params`` make its one-line message."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def is_sqlite_open() -> bool:
    from storepos.db import is_sqlite

    return bool(is_sqlite())


def backup_open_database(dest: Path) -> None:
    """Online backup of the open SQLite database into *dest*, a new private file (0600), through
    the open connection (read-only for ``storepos backup``: sqlite3's backup API only reads the
    source), then an integrity check of the copy.  *dest* must not exist."""
    try:
        fd = private.create_file(dest, exclusive=True)
    except FileExistsError:
        raise BackupError("cli.backup_exists", dest=str(dest)) from None
    except OSError as exc:
        raise BackupError("cli.backup_failed", dest=str(dest), reason=exc.strerror or str(exc)) from None
    os.close(fd)
    try:
        src = database.obj.connection()
        dst = sqlite3.connect(str(dest))
        try:
            src.backup(dst, pages=1024)
            result = dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError("cli.backup_failed", dest=str(dest), reason=str(exc)) from None
    finally:
        for path in private.database_files(dest):
            os.chmod(path, private.FILE_MODE)
    if result != "ok":
        raise BackupError("cli.backup_bad", dest=str(dest), result=result)
