"""The one retry wrapper around every write transaction (storepos.db.transactional): lock
timeouts on SQLite, serialization failures (40001) and deadlocks (40P01) on PostgreSQL — with the
exception classes the drivers really raise, as peewee passes them on."""

from __future__ import annotations

import sqlite3

import peewee
import pytest
from support import PG_URL

from storepos.db import _retryable, database, transactional
from storepos.models import Product


def test_sqlite_lock_timeout_is_retryable_as_peewee_wraps_it():
    try:
        with peewee.ExceptionWrapper(peewee.EXCEPTIONS):
            raise sqlite3.OperationalError("database is locked")
    except peewee.OperationalError as exc:
        assert _retryable(exc)


def test_other_errors_are_not_retried():
    assert not _retryable(peewee.OperationalError("no such table: sale"))
    assert not _retryable(peewee.IntegrityError("UNIQUE constraint failed"))
    assert not _retryable(ValueError("database is locked"))  # not a driver error


@pytest.mark.parametrize("cls_name, code", [("SerializationFailure", "40001"), ("DeadlockDetected", "40P01")])
def test_psycopg2_serialization_and_deadlock_classes_are_retryable(cls_name, code):
    errors = pytest.importorskip("psycopg2.errors")
    cls = getattr(errors, cls_name)
    try:
        with peewee.ExceptionWrapper(peewee.EXCEPTIONS):
            raise cls("could not serialize access" if code == "40001" else "deadlock detected")
    except Exception as exc:  # noqa: BLE001 - peewee leaves these subclasses unwrapped
        caught = exc
    # pgcode is set by the server; a hand-made instance carries the class's text only
    assert _retryable(caught)


def test_a_transaction_that_fails_with_a_lock_once_is_run_again(db):
    calls = []

    @transactional
    def write():
        calls.append(1)
        if len(calls) == 1:
            raise peewee.OperationalError(sqlite3.OperationalError("database is locked"))
        return "done"

    assert write() == "done" and len(calls) == 2


@pytest.mark.skipif(not PG_URL, reason="needs the PostgreSQL pass")
def test_a_real_serialization_failure_on_postgresql_is_retried(demo):
    """REPEATABLE READ: our transaction reads a row, another connection changes and commits it,
    our UPDATE of that row then fails with SQLSTATE 40001; the wrapper runs it again."""
    import psycopg2

    pid = Product.select(Product.id).order_by(Product.id).first().id
    other = psycopg2.connect(PG_URL)
    other.autocommit = True
    attempts: list[str] = []
    try:
        @transactional
        def bump():
            Product.get_by_id(pid)  # the snapshot was taken by the transaction's first query
            if not attempts:
                with other.cursor() as cur:
                    cur.execute("UPDATE product SET name_en = name_en || '!' WHERE id = %s", (pid,))
            attempts.append("try")
            Product.update(stock=Product.stock + 1).where(Product.id == pid).execute()
            return Product.get_by_id(pid).stock

        before = Product.get_by_id(pid).stock
        database.obj.execute_sql("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        try:
            assert bump() == before + 1
        finally:
            database.obj.execute_sql("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED")
        assert len(attempts) == 2  # the first run hit 40001 and was retried
    finally:
        other.close()


@pytest.mark.skipif(not PG_URL, reason="needs the PostgreSQL pass")
def test_real_postgresql_error_carries_its_sqlstate(demo):
    import psycopg2

    pid = Product.select(Product.id).order_by(Product.id).first().id
    other = psycopg2.connect(PG_URL)
    other.autocommit = True
    try:
        with pytest.raises(Exception) as info:
            with database.obj.atomic():
                database.obj.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                Product.get_by_id(pid)
                with other.cursor() as cur:
                    cur.execute("UPDATE product SET name_en = name_en || '?' WHERE id = %s", (pid,))
                Product.update(stock=Product.stock + 1).where(Product.id == pid).execute()
        assert _retryable(info.value), type(info.value)
    finally:
        other.close()
