"""Shared fixtures: a fresh database per test (SQLite file in tmp), the clock, actors, the app."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from storepos import clock
from storepos.config import Settings
from storepos.db import database
from storepos.i18n import set_language
from storepos.services.staff import auth
from storepos.services.core.bootstrap import close_database, open_store_database
from storepos.services.core.context import Actor

# A new demo database made by the CLI in tests (init --demo, --demo) stays clean: no simulated
# history unless a test asks for it (tests/test_simulate.py).
os.environ.setdefault("STOREPOS_DEMO_DAYS", "0")

# 2026-03-02 09:30 in Asia/Shanghai (a Monday) = 01:30 UTC
DEFAULT_NOW = dt.datetime(2026, 3, 2, 1, 30)


@pytest.fixture(autouse=True, scope="session")
def _cheap_pin_hashing():
    """Tests hash many PINs: use a small scrypt cost (the cost is stored in each hash, so checking
    still follows the stored parameters).  test_production_scrypt_cost checks the real default."""
    real = auth.SCRYPT_N
    auth.SCRYPT_N = 2**8
    yield real
    auth.SCRYPT_N = real


@pytest.fixture
def fixed_clock() -> Iterator[clock.FixedClock]:
    c = clock.FixedClock(DEFAULT_NOW)
    previous = clock.use(c)
    yield c
    clock.use(previous)


# The second pass of the suite runs on PostgreSQL: .ci/run sets STOREPOS_TEST_PG to a server URL.
from support import BACKEND, PG_URL  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: checks something only SQLite has (files, WAL, backup)")


def pytest_collection_modifyitems(config, items):
    if PG_URL:
        skip = pytest.mark.skip(reason="SQLite-only behaviour; covered by the SQLite pass")
        for item in items:
            if "sqlite_only" in item.keywords:
                item.add_marker(skip)


def pytest_report_header(config):
    return f"storepos test database: {BACKEND}"


def _reset_pg() -> None:
    import psycopg2

    con = psycopg2.connect(PG_URL)
    con.autocommit = True
    with con.cursor() as cur:
        cur.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
    con.close()


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    set_language("en")
    if PG_URL:
        _reset_pg()
    yield Settings(home=tmp_path / "home", terminal="T1", idle_lock_minutes=0, db=PG_URL)


@pytest.fixture
def db(settings: Settings, fixed_clock: clock.FixedClock) -> Iterator[Settings]:
    """An empty, open storepos database (schema created); yields the settings used."""
    open_store_database(settings)
    yield settings
    close_database()
    database.initialize(None)


@pytest.fixture
def demo(db: Settings) -> Settings:
    """The demo store loaded (store S001; staff 1001/1111, 1002/2222, manager 9001/9999,
    trainer 8001/8888; 320 products; 14 customers)."""
    from storepos.services.demo import load_demo

    load_demo()
    return db


def _actor(code: str, pin: str) -> Actor:
    from storepos.models import Store

    store = Store.get(Store.code == "S001")
    return auth.login(store.id, code, pin, "T1")


@pytest.fixture
def staff_actor(demo: Settings) -> Actor:
    return _actor("1001", "1111")


@pytest.fixture
def manager_actor(demo: Settings) -> Actor:
    return _actor("9001", "9999")


@pytest.fixture
def trainer_actor(demo: Settings) -> Actor:
    return _actor("8001", "8888")


@pytest.fixture
def make_app(settings: Settings):
    """make_app(**overrides) -> the app as the CLI builds it (same factory)."""
    from storepos.ui.app import make_app as factory

    def build(**overrides):
        s = settings.model_copy(update=overrides)
        return factory(s)

    return build
