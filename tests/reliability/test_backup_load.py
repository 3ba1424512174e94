"""Backup under load: `storepos backup` while two terminal processes keep selling gives a copy
that passes `storepos check` (SQLite's online backup API; on PostgreSQL the README's pg_dump)."""

from __future__ import annotations

import os
import signal
import time

import pytest
from support.reliability_figures import record
from support.reliability import fork, open_tills, prepare_shop, run_terminal

from storepos.cli import main
from storepos.models import Sale, Store
from storepos.services.core.bootstrap import close_database, open_store_database

pytestmark = pytest.mark.sqlite_only  # the backup command copies a SQLite file


def test_backup_while_two_terminals_write_passes_check(demo, manager_actor, tmp_path, capsys):
    products = prepare_shop(manager_actor, stock_each=10_000)
    open_tills(Store.get(Store.code == "S001").id, ["T1", "T2"])
    close_database()
    readies = [tmp_path / "r1", tmp_path / "r2"]
    procs = [fork(run_terminal, demo, t, None, 70 + i, products, None, readies[i])
             for i, t in enumerate(["T1", "T2"])]
    copies = []
    try:
        deadline = time.monotonic() + 30
        while not all(r.exists() for r in readies) and time.monotonic() < deadline:
            time.sleep(0.01)
        for i in range(3):
            time.sleep(0.3)
            dest = tmp_path / f"copy{i}.db"
            assert main(["backup", str(dest), "--db", demo.database_target]) == 0, capsys.readouterr().err
            copies.append(dest)
            assert all(p.is_alive() for p in procs)  # they kept writing meanwhile
    finally:
        for p in procs:
            os.kill(p.pid, signal.SIGKILL)
            p.join(timeout=10)
    capsys.readouterr()
    sales = []
    for dest in copies:
        # the copy is checked with the shop's audit key (HOME/audit-key), kept apart from it
        assert main(["check", "--db", str(dest), "--home", str(demo.home)]) == 0, capsys.readouterr().out
        open_store_database(demo.model_copy(update={"db": str(dest)}))
        sales.append(Sale.select().count())
        close_database()
    open_store_database(demo)
    assert sales == sorted(sales) and sales[-1] > 0  # each copy a later, consistent moment
    record("backup_under_load", writers=2, backups=len(copies), sales_in_last_copy=sales[-1], anomalies=0)
