"""Shared fixtures: a fresh database per test, the clock, actors, the app.

The demo store is loaded once per test process into a template (a SQLite file and its pepper,
or a PostgreSQL template database) that each test asking for ``demo`` starts from: a copy, not a
reload (the demo's 320 products and 14 customers took a fifth of the suite's time).
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# This machine runs with PYTHONDONTWRITEBYTECODE=1: every worker of every pass would compile and
# assertion-rewrite each test module again (seconds of CPU before the first test).  The caches go
# to __pycache__ (ignored by git).
sys.dont_write_bytecode = False

from storepos import clock
from storepos.config import Settings
from storepos.db import database
from storepos.i18n import set_language
from storepos.services.core.bootstrap import close_database, open_store_database
from storepos.services.core.context import Actor
from storepos.services.core import pins
from storepos.services import staff
from support import BACKEND, PG_SERVER_URL, PG_TEMPLATE_DB, PG_TEMPLATE_URL, PG_TEST_DB, PG_URL

# A new demo database made by the CLI in tests (init --demo, --demo) stays clean: no simulated
# history unless a test asks for it (tests/demo/test_simulate.py).
os.environ.setdefault("STOREPOS_DEMO_DAYS", "0")

# The CLI called in-process without --home (cli.main([...])) uses STOREPOS_HOME: a folder of this
# test process, never the machine's real ~/.local/share/storepos (check reads its modes, the app
# writes there).
_TEST_HOME = tempfile.mkdtemp(prefix="storepos-test-home-")
os.environ["STOREPOS_HOME"] = _TEST_HOME
atexit.register(shutil.rmtree, _TEST_HOME, True)

# 2026-03-02 09:30 in Asia/Shanghai (a Monday) = 01:30 UTC
DEFAULT_NOW = dt.datetime(2026, 3, 2, 1, 30)


@pytest.fixture(autouse=True, scope="session")
def _cheap_pin_hashing():
    """Tests hash many PINs: use a small scrypt cost (the cost is stored in each hash, so checking
    still follows the stored parameters).  test_production_scrypt_cost checks the real default."""
    real = pins.SCRYPT_N
    pins.SCRYPT_N = 2**8
    yield real
    pins.SCRYPT_N = real


@pytest.fixture
def fixed_clock() -> Iterator[clock.FixedClock]:
    c = clock.FixedClock(DEFAULT_NOW)
    previous = clock.use(c)
    yield c
    clock.use(previous)


# Tests that take many seconds by nature (several processes, a benchmark, a browser, a long crawl).
SLOW = {
    "test_quick_benchmark_reports_every_figure_with_no_anomalies",
    "test_killed_terminal_leaves_every_sale_whole_or_absent",
    "test_four_terminals_never_lose_double_or_oversell",
    "test_two_processes_selling_the_last_unit_exactly_one_succeeds",
    "test_manager_logs_in_and_opens_the_daily_report_in_a_real_browser",
    "test_same_seed_same_data_through_the_services",
}


def pytest_collection_modifyitems(config, items):
    """Markers by place: tests driving the app are `ui`, tests/reliability is `reliability`
    (`-m "not slow"` for a quick pass while working; the README's command runs everything)."""
    skip = pytest.mark.skip(reason="SQLite-only behaviour; covered by the SQLite pass")
    for item in items:
        path = Path(str(item.fspath))
        if path.name.startswith("test_ui_") or path.parent.name in ("crawl", "snapshots", "kit"):
            item.add_marker(pytest.mark.ui)
        if item.originalname in SLOW or getattr(item, "name", "") in SLOW:
            item.add_marker(pytest.mark.slow)
        if path.parent.name == "reliability":
            item.add_marker(pytest.mark.reliability)
        if PG_SERVER_URL and "sqlite_only" in item.keywords:
            item.add_marker(skip)
    items[:] = _spread_long_tests(items, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))


# Seconds each long test takes in a parallel pass (measured; only the proportions matter).
LONG_TESTS = {"test_every_screen_takes_every_key_with_hostile_data[manager": 60,
              "test_every_screen_takes_every_key_with_hostile_data[staff": 38,
              "test_every_screen_takes_every_key_with_hostile_data[trainer": 27,
              "test_quick_benchmark_reports_every_figure_with_no_anomalies": 32,
              "test_every_practice_screen_takes_every_key_with_hostile_data": 22,
              "test_four_terminals_never_lose_double_or_oversell": 18,
              "test_junk_in_every_input_of_every_area": 18,
              "test_killed_terminal_leaves_every_sale_whole_or_absent": 16,
              "test_manager_logs_in_and_opens_the_daily_report_in_a_real_browser": 15}


def _cost(item) -> float:
    for name, seconds in LONG_TESTS.items():
        if item.name.startswith(name):
            return seconds
    return 10 if item.get_closest_marker("slow") else 0


def _spread_long_tests(items: list, workers: int) -> list:
    """The long tests spread over the workers, each at the head of a worker's share.

    pytest-xdist's worksteal gives each worker one contiguous slice of the list and lets idle
    workers steal from the tail of the others: long tests all at the front would run one after
    another on the first worker (the pass then lasts as long as they do together).  Here each
    slice starts with its share of the long tests (longest first, each to the least loaded
    slice) and the quick ones fill the rest.  Every worker computes the same order."""
    long_ = sorted((i for i in items if _cost(i)), key=_cost, reverse=True)
    quick = [i for i in items if not _cost(i)]
    if workers <= 1:
        return long_ + quick
    shares: list[list] = [[] for _ in range(workers)]
    load = [0.0] * workers
    for item in long_:
        k = load.index(min(load))
        shares[k].append(item)
        load[k] += _cost(item)
    # the slice sizes worksteal cuts (len(pending) // nodes remaining, in turn)
    sizes, left = [], len(items)
    for k in range(workers):
        sizes.append(left // (workers - k))
        left -= sizes[-1]
    out: list = []
    for k in range(workers):
        take = max(sizes[k] - len(shares[k]), 0)
        out += shares[k] + quick[:take]
        quick = quick[take:]
    return out + quick


def pytest_configure(config):
    """Before the workers start: compile storepos once (this machine runs with
    PYTHONDONTWRITEBYTECODE=1, so each worker would compile every module again: seconds of CPU
    at the start of every pass)."""
    if not hasattr(config, "workerinput"):
        import compileall

        compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "storepos"), quiet=1, workers=1)


def pytest_report_header(config):
    return f"storepos test database: {BACKEND}"


# -- PostgreSQL: one test database per process, reset for each test ---------------------------
#
# CREATE DATABASE costs half a second of the server's CPU (it copies the catalog page by page):
# per test that was half of the PostgreSQL pass.  So each process makes its test database once,
# from its demo template, which also holds a copy of the demo's rows (schema ``_demo_rows``); a
# test then starts from that database reset in place: the demo's tables emptied and filled again
# from the copy (its sequences set back), or, for a test without the demo, an empty schema
# ``public`` (the demo's parked beside it under another name until the next demo test).  Anything a test changed beyond rows (a table made or dropped, a column) shows in the
# schema's signature, and the database is made afresh then.

_DEMO_ROWS = "_demo_rows"
_pg_state: dict[str, object] = {"public": None}  # None (unknown) | "demo" | "empty"
_pg_demo: dict[str, object] = {}  # the template's tables, sequences and schema signature

# Each relation's live columns in order (relnatts also counts dropped ones: a test that drops a
# column, as the audit key's upgrade tests do, must not pass for the demo's tables).
_SIGNATURE = """SELECT md5(coalesce(string_agg(c.relname::text || ':' || c.relkind::text || ':'
    || (SELECT coalesce(string_agg(a.attname::text, '/' ORDER BY a.attnum), '') FROM pg_attribute a
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
    || ':' || (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = c.oid), ',' ORDER BY c.relname), ''))
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"""


def _pg_admin(sql: str) -> None:
    import psycopg2

    con = psycopg2.connect(PG_SERVER_URL)
    con.autocommit = True
    try:
        with con.cursor() as cur:
            cur.execute(sql)
    finally:
        con.close()


def _pg_remember_demo() -> None:
    """After the demo is loaded into the template: copy its rows aside (in the template, so each
    database made from it has them) and note its tables, sequences and signature."""
    import psycopg2

    con = psycopg2.connect(PG_TEMPLATE_URL)
    con.autocommit = True
    try:
        with con.cursor() as cur:
            cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
            tables = [r[0] for r in cur.fetchall()]
            cur.execute(f'CREATE SCHEMA "{_DEMO_ROWS}"')
            for t in tables:
                cur.execute(f'CREATE TABLE "{_DEMO_ROWS}"."{t}" AS TABLE public."{t}"')
            cur.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
            sequences = cur.fetchall()
            cur.execute(_SIGNATURE)
            signature = cur.fetchone()[0]
    finally:
        con.close()
    _pg_demo.update(tables=tables, sequences=sequences, signature=signature)


def _pg_recreate(template: str | None) -> None:
    _pg_admin(f'DROP DATABASE IF EXISTS "{PG_TEST_DB}" WITH (FORCE)')
    _pg_admin(f'CREATE DATABASE "{PG_TEST_DB}"' + (f' TEMPLATE "{template}"' if template else ""))
    _pg_state["public"] = "demo" if template else "empty"


def _pg_fresh(template: str | None) -> None:
    """The process's test database as new: the demo's (``template`` given) or empty."""
    import psycopg2

    want = "demo" if template else "empty"
    if _pg_state["public"] is None:
        _pg_recreate(PG_TEMPLATE_DB if _pg_demo else template)
        if _pg_state["public"] == want:
            return
    con = psycopg2.connect(PG_URL)
    con.autocommit = True
    try:
        with con.cursor() as cur:
            # whatever a test left connected (as DROP DATABASE ... WITH (FORCE) did)
            cur.execute("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()")
            if want == "empty":
                # the demo's tables parked aside (schema renamed: instant), for the next demo test
                cur.execute("ALTER SCHEMA public RENAME TO _demo_parked; CREATE SCHEMA public"
                            if _pg_state["public"] == "demo" else
                            "DROP SCHEMA public CASCADE; CREATE SCHEMA public")
                _pg_state["public"] = "empty"
                return
            if _pg_state["public"] == "empty":
                cur.execute("SELECT 1 FROM pg_namespace WHERE nspname = '_demo_parked'")
                if cur.fetchone():
                    cur.execute("DROP SCHEMA public CASCADE; ALTER SCHEMA _demo_parked RENAME TO public")
                    _pg_state["public"] = "demo"
            cur.execute(_SIGNATURE)
            if _pg_state["public"] != "demo" or cur.fetchone()[0] != _pg_demo["signature"]:
                con.close()
                _pg_recreate(template)
                return
            tables = ", ".join(f'public."{t}"' for t in _pg_demo["tables"])
            fill = ";".join(f'INSERT INTO public."{t}" SELECT * FROM "{_DEMO_ROWS}"."{t}"'
                            for t in _pg_demo["tables"])
            sequences = ";".join(f"SELECT setval('public.\"{name}\"', {value})" if value is not None
                                 else f"SELECT setval('public.\"{name}\"', 1, false)"
                                 for name, value in _pg_demo["sequences"])
            cur.execute("BEGIN; SET LOCAL session_replication_role = replica;"
                        f"TRUNCATE {tables} RESTART IDENTITY; {fill}; {sequences}; COMMIT")
    except psycopg2.Error:
        _pg_state["public"] = None
        raise
    finally:
        con.close()


# -- the demo, loaded once per process ----------------------------------------------------------

@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory, _cheap_pin_hashing: int) -> Settings:
    """The demo store loaded once: a SQLite file, its pepper and audit key (or a PostgreSQL
    template)."""
    home = tmp_path_factory.mktemp("demo-template") / "home"
    if PG_SERVER_URL:
        _pg_admin(f'DROP DATABASE IF EXISTS "{PG_TEMPLATE_DB}" WITH (FORCE)')
        _pg_admin(f'CREATE DATABASE "{PG_TEMPLATE_DB}"')
    settings = Settings(home=home, terminal="T1", idle_lock_minutes=0, db=PG_TEMPLATE_URL)
    previous = clock.use(clock.FixedClock(DEFAULT_NOW))
    try:
        from storepos.services.demo import load_demo

        open_store_database(settings)
        load_demo()
    finally:
        close_database()
        database.initialize(None)
        clock.use(previous)
    if PG_SERVER_URL:
        _pg_remember_demo()
    return settings


@pytest.fixture
def settings(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Settings]:
    set_language("en")
    s = Settings(home=tmp_path / "home", terminal="T1", idle_lock_minutes=0, db=PG_URL)
    wants_demo = "demo" in request.fixturenames
    template: Settings | None = request.getfixturevalue("demo_template") if wants_demo else None
    if PG_SERVER_URL:
        _pg_fresh(PG_TEMPLATE_DB if template else None)
    elif template is not None:
        s.home.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template.database_target, s.database_target)
    if template is not None:
        s.home.mkdir(parents=True, exist_ok=True)
        for secret in ("pepper_path", "audit_key_path"):  # kept beside the database, not in it
            shutil.copyfile(getattr(template, secret), getattr(s, secret))
            os.chmod(getattr(s, secret), 0o600)
    yield s


@pytest.fixture
def db(settings: Settings, fixed_clock: clock.FixedClock) -> Iterator[Settings]:
    """An open storepos database (schema created; with the demo store when the test asks for
    ``demo``); yields the settings used."""
    open_store_database(settings)
    yield settings
    close_database()
    database.initialize(None)


@pytest.fixture
def demo(db: Settings) -> Settings:
    """The demo store loaded (store S001; staff 1001/1111, 1002/2222, manager 9001/9999,
    trainer 8001/8888; 320 products; 14 customers): a copy of the process's demo template."""
    return db


@pytest.fixture
def fresh_demo(demo_template: Settings, tmp_path_factory: pytest.TempPathFactory, fixed_clock: clock.FixedClock):
    """``with fresh_demo() as settings:`` a demo database of its own, opened (a copy of the
    template): one per hypothesis example, where a function-scoped fixture would be shared."""
    from contextlib import contextmanager

    @contextmanager
    def make() -> Iterator[Settings]:
        home = tmp_path_factory.mktemp("example") / "home"
        s = Settings(home=home, terminal="T1", idle_lock_minutes=0, db=PG_URL)
        home.mkdir(parents=True)
        if PG_SERVER_URL:
            _pg_fresh(PG_TEMPLATE_DB)
        else:
            shutil.copyfile(demo_template.database_target, s.database_target)
        for secret in ("pepper_path", "audit_key_path"):
            shutil.copyfile(getattr(demo_template, secret), getattr(s, secret))
            os.chmod(getattr(s, secret), 0o600)
        open_store_database(s)
        try:
            yield s
        finally:
            close_database()
            database.initialize(None)

    return make


def _actor(code: str, pin: str) -> Actor:
    from storepos.services.core.store import find_store

    store = find_store("S001")
    assert store is not None
    return staff.login(store.id, code, pin, "T1")


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


@pytest.fixture(autouse=True, scope="session")
def _css_parsed_once_per_process():
    """Each app parses every widget's CSS again (its stylesheet's cache is its own): hundreds of
    apps in a test process parse the same text hundreds of times.  Here the parsed rules are kept
    for the process, keyed as Textual keys them plus the theme's variables (the only other input
    of the parse), so the second app on reuses them as the first app's own later screens do."""
    from textual.css.stylesheet import Stylesheet

    saved = Stylesheet._parse_rules
    parsed: dict[tuple, list] = {}

    def _parse_rules(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(sorted(self._variables.items())))
        try:
            return parsed[key]
        except KeyError:
            rules = parsed[key] = saved(self, css, read_from, is_default_rules, tie_breaker, scope)
            return rules

    Stylesheet._parse_rules = _parse_rules
    yield
    Stylesheet._parse_rules = saved


@pytest.fixture(autouse=True, scope="session")
def _pilot_idle_granularity():
    """The Pilot waits for the app to go idle after each key by sleeping in steps of 20 ms until
    a step used (almost) no CPU: at least 40 ms a key.  Steps of 5 ms tell idle from busy the
    same way (under 1/20 of the step spent on CPU) four times sooner."""
    from textual import _wait

    saved = _wait.SLEEP_GRANULARITY, _wait.SLEEP_IDLE
    _wait.SLEEP_GRANULARITY, _wait.SLEEP_IDLE = 0.005, 0.005 / 20
    yield
    _wait.SLEEP_GRANULARITY, _wait.SLEEP_IDLE = saved


@pytest.fixture(autouse=True, scope="session")
def _no_cursor_blink():
    """A focused input's cursor blinks by redrawing it twice a second: in tests that is work
    with nothing to see, while the rest of the suite waits for the CPU."""
    from textual.widgets import Input

    saved = Input.cursor_blink._default
    Input.cursor_blink._default = False
    yield
    Input.cursor_blink._default = saved



@pytest.fixture(autouse=True, scope="session")
def _no_thrown_away_frames():
    """Under the pilot the terminal is headless: Textual renders each changed frame and the
    driver throws it away (40% of a UI test's CPU). Here the frame is not drawn; whatever a test
    reads (the crawler's every step, the snapshots, a test reading the screen's text) renders it then,
    so a widget that fails to draw still fails there. ``STOREPOS_TEST_FRAMES=1`` draws every frame
    as a real terminal does."""
    if os.environ.get("STOREPOS_TEST_FRAMES") == "1":
        yield
        return
    from textual.screen import Screen

    saved = Screen._compositor_refresh

    def _compositor_refresh(self: Screen) -> None:
        app = self.app
        if app.is_headless and not app.is_inline and self is app.screen:
            self._compositor._dirty_regions.clear()
            self._dirty_widgets.clear()
            app._update_mouse_over(self)
            return
        saved(self)

    Screen._compositor_refresh = _compositor_refresh
    yield
    Screen._compositor_refresh = saved
