"""`storepos simulate`: history made through the services (rules and audit apply), the same seed
gives the same data, the CLI, and a NEW demo database gets its 30 days (tests keep theirs clean)."""

from __future__ import annotations

import datetime as dt

from storepos import cli
from storepos.db import database, is_sqlite
from storepos.models import ALL_MODELS, Approval, AuditLog, ChecklistRun, Quote, Sale, Visit
from storepos.models.schema import ensure_schema
from storepos.services import reports
from storepos.services.core.audit import verify_chain
from storepos.services.demo import simulate

END = dt.date(2026, 3, 1)


def _figures() -> tuple:
    store = 1
    d1 = END - dt.timedelta(days=2)
    daily = reports.daily(store, d1, END)
    staff = reports.staff_performance(store, d1, END)
    return (daily.sales_count, daily.net_amount, daily.returns_count, daily.voids_count, daily.discount_total,
            tuple((m.method, m.net) for m in daily.by_method), tuple((c.code, c.amount) for c in daily.by_category),
            tuple((r.code, r.net_amount, r.visits, r.sold_visits) for r in staff.rows),
            Visit.select().count(), Quote.select().count(), ChecklistRun.select().count())


def _wipe() -> None:
    db = database.obj
    if is_sqlite():
        db.execute_sql("DROP TABLE IF EXISTS product_fts")
        db.execute_sql("PRAGMA foreign_keys = OFF")
        db.drop_tables(ALL_MODELS)
        db.execute_sql("PRAGMA foreign_keys = ON")
    else:
        db.drop_tables(ALL_MODELS, cascade=True)
    ensure_schema()


def test_same_seed_same_data_through_the_services(demo, fixed_clock):
    before = fixed_clock.now()
    result = simulate(3, seed=5, end=END)
    assert fixed_clock.now() == before  # the program's clock is put back
    assert result.days == 3 and result.sales > 0 and result.visits > 0
    first = _figures()
    assert first[0] > 0 and first[8] == result.visits
    # what the services enforce holds: invariants, the audit chain, a checklist run per day
    assert cli.run_checks() == []
    assert verify_chain() == []
    assert ChecklistRun.select().count() == 3
    assert AuditLog.select().where(AuditLog.action == "sale.complete").count() == Sale.select().where(
        Sale.kind == "sale").count()
    days = {s.created_at.date() for s in Sale.select()}
    assert min(days) >= END - dt.timedelta(days=3) and max(days) <= END + dt.timedelta(days=1)
    assert reports.daily(1, END - dt.timedelta(days=2), END).net_amount == result.net
    _wipe()
    from storepos.services.demo import load_demo

    load_demo()
    again = simulate(3, seed=5, end=END)
    assert again.as_dict() == result.as_dict()
    assert _figures() == first
    _wipe()
    load_demo()
    other = simulate(3, seed=6, end=END)
    assert other.as_dict() != result.as_dict()


def test_cli_simulate_and_bad_input(demo, capsys):
    target = demo.database_target
    assert cli.main(["simulate", "--db", target, "--home", str(demo.home), "--days", "2", "--seed", "3", "--to", "2026-03-01",
                     "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Simulated 2 days" in out
    assert Sale.select().count() > 0 and Approval.select().count() >= 0
    assert cli.main(["simulate", "--db", target, "--home", str(demo.home), "--days", "0"]) == 2
    assert cli.main(["simulate", "--db", target, "--home", str(demo.home), "--days", "2", "--to", "2026-02-30"]) == 2
    assert cli.main(["simulate", "--db", target, "--home", str(demo.home), "--days", "2", "--store", "NOPE"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and "Traceback" not in "".join(err)


def test_new_demo_database_gets_its_history(settings, fixed_clock, monkeypatch):
    from storepos.services.core.bootstrap import close_database

    monkeypatch.setenv("STOREPOS_DEMO_DAYS", "2")
    home = str(settings.home)
    assert cli.main(["init", "--demo", "--home", home, "--db", settings.database_target, "--lang", "en"]) == 0
    made = Sale.select().count()
    assert made > 0
    assert reports.default_day(1) == dt.date(2026, 3, 1)  # nothing sold today yet: the desk opens on yesterday
    # the second time the store exists: nothing more is simulated
    assert cli.main(["init", "--demo", "--home", home, "--db", settings.database_target, "--lang", "en"]) == 0
    assert Sale.select().count() == made
    close_database()
    database.initialize(None)
