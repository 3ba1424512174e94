"""Opening a storepos database: connect, create or upgrade the schema, configure the pepper."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import peewee

from storepos.config import Settings
from storepos.db import DatabaseOpenError, bind, database, make_database
from storepos.models.schema import SchemaError, ensure_schema

__all__ = ["BackupError", "DatabaseOpenError", "Opened", "SchemaError", "backup_open_database", "close_database",
           "is_sqlite_open", "open_store_database", "schema_problems"]
from storepos.services.core import pins


@dataclass
class Opened:
    db: peewee.Database
    created: bool
    upgraded_from: int | None
    version: int


def open_store_database(settings: Settings) -> Opened:
    """Open the database *settings* point at (created when missing).

    Raises DatabaseOpenError or SchemaError with a translatable message."""
    settings.home.mkdir(parents=True, exist_ok=True)
    db = make_database(settings.database_target)
    bind(db)
    try:
        found, now = ensure_schema()
    except peewee.DatabaseError as exc:
        database.initialize(None)
        db.close()
        raise DatabaseOpenError("err.db_cannot_open", target=settings.database_target,
                                reason=str(exc).strip()) from None
    except SchemaError:
        db.close()
        raise
    pins.configure_pepper(settings.pepper_path)
    from storepos.services.core import printout

    printout.configure(settings.files_home, settings.active_print_command, shell=settings.print_shell,
                       timeout=settings.print_timeout, terminal=settings.terminal, practice=settings.practice)
    return Opened(db=db, created=found is None, upgraded_from=found if found and found < now else None,
                  version=now)


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
    """Online backup of the open SQLite database into *dest* (sqlite3's backup API: writers may
    go on meanwhile), then an integrity check of the copy.  Closes the open connection first."""
    source = database.obj.database
    database.obj.close()
    try:
        src = sqlite3.connect(source, timeout=30)
        try:
            dst = sqlite3.connect(str(dest))
            try:
                src.backup(dst, pages=1024)
                result = dst.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise BackupError("cli.backup_failed", dest=str(dest), reason=str(exc)) from None
    if result != "ok":
        raise BackupError("cli.backup_bad", dest=str(dest), result=result)
