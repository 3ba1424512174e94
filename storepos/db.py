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
from urllib.parse import urlparse

import peewee
from playhouse.db_url import parse as parse_url

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


def make_database(target: str) -> peewee.Database:
    """A peewee Database for a file path or URL; nothing is opened yet.

    Raises DatabaseOpenError for an unsupported URL or a path that cannot hold a database.
    """
    target = target.strip()
    if not target:
        raise DatabaseOpenError("err.db_empty")
    if is_url(target):
        parsed = urlparse(target)
        scheme = parsed.scheme.lower()
        if scheme in ("sqlite",):
            # sqlite:///relative.db and sqlite:////abs/path.db, as SQLAlchemy spells them
            rest = target.split("://", 1)[1]
            path = rest[1:] if rest.startswith("/") else rest
            if not path:
                raise DatabaseOpenError("err.db_bad_url", target=target)
            return make_database(path)
        if scheme in ("postgres", "postgresql"):
            if not parsed.hostname and not parsed.path.strip("/"):
                raise DatabaseOpenError("err.db_bad_url", target=target)
            try:
                return PostgresqlDatabase(**parse_url(target), autorollback=True)
            except Exception as exc:  # noqa: BLE001 - driver missing, bad options
                raise DatabaseOpenError("err.db_cannot_open", target=target, reason=str(exc)) from None
        raise DatabaseOpenError("err.db_bad_url", target=target)
    if target == ":memory:":
        return SqliteDatabase(":memory:", pragmas=SQLITE_PRAGMAS, timeout=15)
    path = Path(target).expanduser()
    if path.is_dir():
        raise DatabaseOpenError("err.db_is_directory", target=str(path))
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseOpenError("err.db_cannot_open", target=str(path), reason=exc.strerror or str(exc)) from None
    if path.exists():
        try:
            with path.open("rb") as fh:
                head = fh.read(16)
        except OSError as exc:
            raise DatabaseOpenError("err.db_cannot_open", target=str(path), reason=exc.strerror or str(exc)) from None
        if head and head != b"SQLite format 3\x00":
            raise DatabaseOpenError("err.db_not_sqlite", target=str(path))
    return SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=15, check_same_thread=False)


def bind(db: peewee.Database) -> peewee.Database:
    """Bind every model to *db* and check that it answers."""
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT 1")
    except peewee.OperationalError as exc:
        database.initialize(None)
        raise DatabaseOpenError("err.db_cannot_open", target=describe(db), reason=one_line(exc)) from None
    except Exception as exc:  # noqa: BLE001 - drivers raise their own classes
        database.initialize(None)
        raise DatabaseOpenError("err.db_cannot_open", target=describe(db), reason=one_line(exc)) from None
    return db


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def describe(db: peewee.Database) -> str:
    """The database as a user would name it (no password)."""
    if isinstance(db, peewee.SqliteDatabase):
        return str(db.database)
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
