"""Crash safety, on both databases: a terminal process running checkouts (sales, on account,
returns, quotes) is killed with SIGKILL at a random moment, 30 times.  After each kill the
database passes integrity_check and `storepos check`, and every sale is wholly there (header,
lines, payments, stock moves, receivable) — a sale cut short left nothing at all."""

from __future__ import annotations

import os
import random
import signal
import time

from support.reliability_figures import record
from support.reliability import fork, open_tills, prepare_shop, run_terminal, sale_is_whole

from storepos.cli import run_checks
from storepos.models import AuditLog, Sale, Store
from storepos.models.schema import integrity_problems
from storepos.services.core.bootstrap import close_database, open_store_database

KILLS = int(os.environ.get("STOREPOS_CRASH_KILLS", "30"))


def test_killed_terminal_leaves_every_sale_whole_or_absent(demo, manager_actor, tmp_path):
    products = prepare_shop(manager_actor, stock_each=10_000)
    store_id = Store.get(Store.code == "S001").id
    open_tills(store_id, ["T1"])
    rng = random.Random(11)
    seen_sales = 0
    started = time.monotonic()
    for k in range(KILLS):
        close_database()
        ready = tmp_path / f"ready{k}"
        proc = fork(run_terminal, demo, "T1", None, 5000 + k, products, None, ready)
        deadline = time.monotonic() + 30
        while not ready.exists() and time.monotonic() < deadline and proc.is_alive():
            time.sleep(0.005)
        assert ready.exists(), f"kill {k}: the terminal never started (exit {proc.exitcode})"
        time.sleep(rng.uniform(0.02, 0.35))  # somewhere in the middle of some write
        assert proc.is_alive(), f"kill {k}: the terminal stopped by itself (exit {proc.exitcode})"
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(timeout=10)
        open_store_database(demo)
        assert integrity_problems() == [], k
        problems = run_checks()
        assert problems == [], (k, problems[:5])
        broken = {s.id: m for s in Sale.select() if (m := sale_is_whole(s))}
        assert broken == {}, (k, broken)
        # each sale header has its audit row (written last, in the same transaction)
        audited = {int(e) for (e,) in AuditLog.select(AuditLog.entity_id)
                   .where(AuditLog.action.in_(["sale.complete", "sale.return"])).tuples()}
        assert {s.id for s in Sale.select(Sale.id)} == audited
        seen_sales = Sale.select().count()
    record("crash", kills=KILLS, sales_after_kills=seen_sales, anomalies=0,
           seconds=round(time.monotonic() - started, 1))
