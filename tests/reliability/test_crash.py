"""Crash safety, on both databases: a terminal process running checkouts (sales, on account,
returns, quotes) is killed with SIGKILL at a random moment, 30 times.  After each kill the
database passes integrity_check and `storepos check`, and every sale is wholly there (header,
lines, payments, stock moves, receivable) — a sale cut short left nothing at all."""

from __future__ import annotations

import os
import random
import signal
import time

from support.reliability import fork, open_tills, prepare_shop, run_terminal, sale_is_whole
from support.reliability_figures import record

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


def test_payments_taken_before_the_sale_survive_a_kill_and_the_sale_consumes_them(demo, manager_actor, tmp_path):
    """Killed while taking payments in the dialog: every payment the screen acknowledged is in
    the cart after the restart (with its reference), listed as taken and not in a sale; the sale
    made from the cart consumes them, once."""
    from support.reliability import take_payments

    from storepos.services import checkout, staff
    from storepos.services.checkout.drafts import load_draft, payments_not_in_sale

    products = prepare_shop(manager_actor, stock_each=1000)
    store_id = Store.get(Store.code == "S001").id
    open_tills(store_id, ["T2"])
    rng = random.Random(5)
    for k in range(3):
        close_database()
        acked, ready = tmp_path / f"acked{k}", tmp_path / f"ready{k}"
        proc = fork(take_payments, demo, "T2", products[0], acked, ready)
        deadline = time.monotonic() + 30
        while not ready.exists() and time.monotonic() < deadline and proc.is_alive():
            time.sleep(0.005)
        assert ready.exists(), f"kill {k}: the terminal never started (exit {proc.exitcode})"
        time.sleep(rng.uniform(0.1, 0.4))
        assert proc.is_alive(), f"kill {k}: the terminal stopped by itself (exit {proc.exitcode})"
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(timeout=10)
        open_store_database(demo)
        said = acked.read_text(encoding="utf-8").split()
        assert said, "no payment was acknowledged before the kill"
        cart = load_draft(store_id, "T2")
        refs = [p.reference for p in cart.payments]
        assert refs[:len(said)] == said and len(refs) - len(said) <= 1, (k, len(refs), len(said))
        listed = payments_not_in_sale(store_id, "T2")
        assert [p.reference for p in listed] == refs and {p.method for p in listed} == {"card"}
        assert run_checks() == []
        actor = staff.login(store_id, "1001", "1111", "T2")
        total = cart.totals().total
        paid = sum(p.amount for p in cart.payments)
        if paid > total:  # more taken than due: the rest is refunded at the counter (not in this sale)
            cart.payments = cart.payments[: int(total)]
        elif paid < total:  # the customer pays the rest in cash
            cart.add_payment("cash", total - paid, tendered=total - paid)
        sale = checkout.complete_sale(actor, cart, cart.payments)
        assert sale.paid == int(sum(p.amount for p in cart.payments) * 100)
        assert payments_not_in_sale(store_id, "T2") == []
        assert checkout.complete_sale(actor, cart, cart.payments).id == sale.id  # the same sale, not a second
        assert sale_is_whole(Sale.get_by_id(sale.id)) == []
