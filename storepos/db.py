"""Connecting to the database: SQLite (default, WAL) or PostgreSQL, by path or URL.

Every model is bound to :data:`database`, a proxy initialised by :func:`open_database`.
Every write goes through :func:`transaction` (BEGIN IMMEDIATE on SQLite) or the
:func:`transactional` decorator, which also retries lock timeouts, serialization failures and
deadlocks.
"""

from __future__ import annotations

import functools
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote as url_quote
from urllib.parse import unquote as url_unquote
from urllib.parse import urlparse

import peewee

from storepos import private
from storepos.config import masked, scrub

database = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "busy_timeout": 15000,
    "cache_size": -16000,
}

F = TypeVar("F", bound=Callable[..., Any])


def _no_nul(params: Any) -> Any:
    """Drop NUL characters from text parameters: PostgreSQL cannot store them in text (psycopg2
    raises ValueError) and no shop text needs one; SQLite gets the same, so both agree."""
    if not params:
        return params
    if any(isinstance(p, str) and "\x00" in p for p in params):
        return type(params)(p.replace("\x00", "") if isinstance(p, str) else p for p in params)
    return params


class SqliteDatabase(peewee.SqliteDatabase):
    def execute_sql(self, sql: str, params: Any = None) -> Any:
        return super().execute_sql(sql, _no_nul(params))


class PostgresqlDatabase(peewee.PostgresqlDatabase):
    def execute_sql(self, sql: str, params: Any = None) -> Any:
        return super().execute_sql(sql, _no_nul(params))


class DatabaseOpenError(Exception):
    """The database could not be opened; ``key``/``params`` make the message (i18n)."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def is_url(target: str) -> bool:
    return "://" in target


def sqlite_path(target: str) -> str | None:
    """The file path of a SQLite target (a path, or sqlite:///relative.db and sqlite:////abs.db as
    SQLAlchemy spells them); None for another kind of URL."""
    if not is_url(target):
        return target
    if urlparse(target).scheme.lower() != "sqlite":
        return None
    rest = target.split("://", 1)[1]
    return rest.removeprefix("/")


def has_postgres_driver() -> bool:
    """Whether a PostgreSQL driver (psycopg2, or psycopg 3) is installed."""
    return peewee.psycopg2 is not None or getattr(peewee, "psycopg", None) is not None


def make_database(target: str, *, readonly: bool = False) -> peewee.Database:
    """A peewee Database for a file path or URL; nothing is opened yet.

    With *readonly* nothing is ever created or written: a SQLite file must exist and be a
    non-empty SQLite database, and is opened with ``mode=ro`` (:func:`sqlite_readonly`); a
    PostgreSQL connection runs every transaction read-only (``default_transaction_read_only``).

    Raises DatabaseOpenError for an unsupported URL or a path that cannot hold a database; every
    message names the target with its password masked (config.masked).
    """
    target = target.strip()
    if not target:
        raise DatabaseOpenError("err.db_empty")
    shown = masked(target)
    if is_url(target):
        scheme = urlparse(target).scheme.lower()
        if scheme == "sqlite":
            path = sqlite_path(target)
            if not path:
                raise DatabaseOpenError("err.db_bad_url", target=shown)
            return make_database(path, readonly=readonly)
        if scheme in ("postgres", "postgresql"):
            parsed = urlparse(target)
            if not parsed.hostname and not parsed.path.strip("/"):
                raise DatabaseOpenError("err.db_bad_url", target=shown)
            if not has_postgres_driver():
                raise DatabaseOpenError("err.db_no_driver", target=shown)
            from playhouse.db_url import (
                parse as parse_url,  # imported here: 30 ms of a SQLite start
            )

            try:
                params = parse_url(target)
                if readonly:
                    options = params.get("options", "")
                    params["options"] = f"{options} -c default_transaction_read_only=on".strip()
                return PostgresqlDatabase(**params, autorollback=True)
            except Exception as exc:  # noqa: BLE001 - bad options
                raise DatabaseOpenError("err.db_cannot_open", target=shown,
                                        reason=scrub(one_line(exc), target)) from None
        raise DatabaseOpenError("err.db_bad_url", target=shown)
    if target == ":memory:":
        if readonly:
            raise DatabaseOpenError("err.db_missing", target=target)
        return SqliteDatabase(":memory:", pragmas=SQLITE_PRAGMAS, timeout=15)
    path = Path(target).expanduser()
    if path.is_dir():
        raise DatabaseOpenError("err.db_is_directory", target=str(path))
    if readonly:
        return sqlite_readonly(path)
    parent = path.parent
    try:
        private.make_dir(parent, own=False)
    except OSError as exc:
        raise DatabaseOpenError("err.db_cannot_open", target=str(path), reason=exc.strerror or str(exc)) from None
    if path.exists():
        _check_sqlite_header(path, allow_empty=True)
    else:
        try:
            # made here 0600, so that SQLite's -wal/-shm (which take the file's mode) are too
            private.create_empty(path)
        except OSError as exc:
            raise DatabaseOpenError("err.db_cannot_open", target=str(path),
                                    reason=exc.strerror or str(exc)) from None
    return SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=15, check_same_thread=False)


def _check_sqlite_header(path: Path, *, allow_empty: bool) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise DatabaseOpenError("err.db_cannot_open", target=str(path), reason=exc.strerror or str(exc)) from None
    if not head and not allow_empty:
        raise DatabaseOpenError("err.db_empty_file", target=str(path))
    if head and head != b"SQLite format 3\x00":
        raise DatabaseOpenError("err.db_not_sqlite", target=str(path))


# Pragmas of a read-only connection: nothing that writes (journal_mode is the file's own).
SQLITE_READONLY_PRAGMAS = {"foreign_keys": 1, "busy_timeout": 15000, "cache_size": -16000, "query_only": 1}


def sqlite_readonly(path: Path) -> peewee.Database:
    """A read-only SQLite database for an existing, non-empty SQLite file: ``file:…?mode=ro``.

    A WAL database needs its -shm file: when the folder is read-only and no -shm is there,
    SQLite cannot open it with mode=ro ("attempt to write a readonly database"), and a database
    with no -wal content left (closed cleanly) is then opened ``immutable=1``.  Raises DatabaseOpenError (missing, empty, not SQLite, unreadable)."""
    path = Path(path).expanduser()
    if not path.exists():
        raise DatabaseOpenError("err.db_missing", target=str(path))
    if not path.is_file():
        raise DatabaseOpenError("err.db_is_directory", target=str(path))
    _check_sqlite_header(path, allow_empty=False)
    uri = f"file:{url_quote(str(path.resolve()))}"
    db = SqliteDatabase(f"{uri}?mode=ro", uri=True, pragmas=SQLITE_READONLY_PRAGMAS, timeout=15,
                        check_same_thread=False)
    try:
        db.connect()
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except peewee.DatabaseError as exc:
        if not db.is_closed():
            db.close()
        text = str(exc).lower()
        if "readonly database" not in text and "unable to open" not in text:  # not the missing -shm
            raise DatabaseOpenError("err.db_cannot_open", target=str(path), reason=one_line(exc)) from None
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:  # its journal holds changes: immutable would miss them
            raise DatabaseOpenError("err.db_readonly_wal", target=str(path)) from None
    db = SqliteDatabase(f"{uri}?mode=ro&immutable=1", uri=True, pragmas=SQLITE_READONLY_PRAGMAS, timeout=15,
                        check_same_thread=False)
    try:
        db.connect()
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
    except peewee.DatabaseError as exc:
        if not db.is_closed():
            db.close()
        raise DatabaseOpenError("err.db_cannot_open", target=str(path), reason=one_line(exc)) from None
    return db


def is_readonly(db: peewee.Database | None = None) -> bool:
    """Whether *db* (default: the bound one) was opened read-only by :func:`make_database`."""
    db = db or database.obj
    if isinstance(db, peewee.SqliteDatabase):
        return "mode=ro" in str(db.database)
    options = str((getattr(db, "connect_params", {}) or {}).get("options", ""))
    return "default_transaction_read_only=on" in options


def sqlite_file(db: peewee.Database | None = None) -> Path | None:
    """The file of a SQLite database (also for a read-only ``file:`` URI); None otherwise."""
    db = db or database.obj
    if not isinstance(db, peewee.SqliteDatabase) or db.database == ":memory:":
        return None
    name = str(db.database)
    if name.startswith("file:"):
        name = url_unquote(name[5:].split("?", 1)[0])
    return Path(name)


def bind(db: peewee.Database) -> peewee.Database:
    """Bind every model to *db* and check that it answers."""
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - drivers raise their own classes
        database.initialize(None)
        raise DatabaseOpenError("err.db_cannot_open", target=describe(db), reason=_reason(db, exc)) from None
    return db


def _reason(db: peewee.Database, exc: BaseException) -> str:
    """A driver's error on one line, never with the connection's password in it."""
    text = one_line(exc)
    password = str((getattr(db, "connect_params", {}) or {}).get("password") or "")
    return text.replace(password, "***") if password else text


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def describe(db: peewee.Database) -> str:
    """The database as a user would name it (no password)."""
    if isinstance(db, peewee.SqliteDatabase):
        path = sqlite_file(db)
        return str(path) if path else str(db.database)
    params = getattr(db, "connect_params", {}) or {}
    host = params.get("host", "localhost")
    port = f":{params['port']}" if params.get("port") else ""
    return f"postgresql://{host}{port}/{db.database}"


def is_sqlite(db: peewee.Database | None = None) -> bool:
    db = db or database.obj
    return isinstance(db, peewee.SqliteDatabase)


WRITE_LOCK_KEY = 0x73746F7265706F73  # "storepos": the PostgreSQL advisory lock every writer takes


@contextmanager
def transaction() -> Iterator[None]:
    """One write transaction: BEGIN IMMEDIATE on SQLite (so a read-then-write never fails with
    'database is locked'), on PostgreSQL a transaction that first takes the writers' advisory lock;
    nested calls become savepoints."""
    db = database.obj
    if db.in_transaction():
        with db.atomic():
            yield
        return
    if is_sqlite(db):
        with db.atomic("IMMEDIATE"):
            yield
    else:
        with db.atomic():
            # PostgreSQL's counterpart of BEGIN IMMEDIATE: writers take one transaction-level lock
            # first, so read-then-write steps (the audit chain head, receipt and quote numbers,
            # "one open session") never interleave.  The audit chain serialises writers anyway.
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
            yield


_RETRY_SQLSTATES = {"40001", "40P01"}
_LOCK_TEXTS = ("database is locked", "database is busy", "deadlock detected", "could not serialize")


def _related(exc: BaseException) -> list[BaseException]:
    """*exc* and the driver exceptions behind it: peewee wraps a DB-API error as
    ``peewee.X(original, *args)``, and leaves subclasses it has no name for (psycopg2's
    SerializationFailure, DeadlockDetected) unwrapped."""
    out = [exc]
    for other in (getattr(exc, "orig", None), exc.__cause__, exc.__context__,
                  *(a for a in exc.args[:1] if isinstance(a, BaseException))):
        if isinstance(other, BaseException) and other not in out:
            out.append(other)
    return out


def _retryable(exc: BaseException) -> bool:
    """A lock timeout, serialization failure (SQLSTATE 40001) or deadlock (40P01): the same
    transaction, run again, may well succeed."""
    for e in _related(exc):
        if getattr(e, "pgcode", None) in _RETRY_SQLSTATES:
            return True
        if isinstance(e, (peewee.OperationalError, peewee.InternalError, sqlite3.OperationalError)) or \
                type(e).__name__ in ("OperationalError", "TransactionRollbackError"):
            text = str(e).lower()
            if any(t in text for t in _LOCK_TEXTS):
                return True
    return False


def transactional(fn: F) -> F:
    """Run *fn* inside :func:`transaction`; retry it whole on lock timeouts, serialization
    failures and deadlocks (a few times, with jitter).  Inside an outer transaction it just runs.

    The except clause is broad on purpose: psycopg2 raises SerializationFailure and
    DeadlockDetected as its own classes (peewee does not wrap them); :func:`_retryable` decides,
    and anything else is re-raised untouched."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        db = database.obj
        if db.in_transaction():
            return fn(*args, **kwargs)
        attempts = 8
        for attempt in range(attempts):
            try:
                with transaction():
                    return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - see the docstring
                if attempt == attempts - 1 or not _retryable(exc):
                    raise
                time.sleep(min(0.5, 0.01 * (2 ** attempt)) * (0.5 + random.random()))
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper  # type: ignore[return-value]


def contains(field: Any, text: str) -> Any:
    """SQL: *field* contains *text* (case-sensitive, any script) — instr() on SQLite, strpos() on
    PostgreSQL.  Used for 1–2 character CJK fragments, which an FTS trigram index cannot find."""
    func = peewee.fn.instr if is_sqlite() else peewee.fn.strpos
    return func(field, text) > 0
