"""Multi-terminal torture, on both databases: 4 processes (terminals T1–T4) × N operations each
over a few products with limited stock — sales (cash, split, mobile, on account), returns,
quotes converted at checkout and retries of finished carts — then: no sale lost or doubled, no
oversold unit, no receipt gap, no error (e.g. "database is locked") reaching a user, and
`storepos check` clean.  Ten concurrent submissions of one cart UUID make one sale.

N per process is STOREPOS_TORTURE_N (default 250, the issue's full size; ≈11 s on SQLite, ≈14 s on
PostgreSQL on 2 cores; e.g. `STOREPOS_TORTURE_N=1000 pytest tests/test_torture.py` for a longer run)."""

from __future__ import annotations

import json
import os
import time
from collections import Counter

from support.reliability_figures import record
from support.reliability import fork, open_tills, prepare_shop, run_terminal

from storepos.cli import run_checks
from storepos.models import Product, Sale, Store
from storepos.services import checkout
from storepos.services.core.bootstrap import close_database, open_store_database
from storepos.services.checkout import Cart, PaymentIn

N = int(os.environ.get("STOREPOS_TORTURE_N", "250"))
TERMINALS = ["T1", "T2", "T3", "T4"]


def test_four_terminals_never_lose_double_or_oversell(demo, manager_actor, tmp_path):
    products = prepare_shop(manager_actor, stock_each=N)  # sells out about two thirds of the way
    initial = {pid: Product.get_by_id(pid).stock for pid in products}
    store_id = Store.get(Store.code == "S001").id
    open_tills(store_id, TERMINALS)
    sales_before = Sale.select().count()
    close_database()
    started = time.monotonic()
    outs = [tmp_path / f"{t}.json" for t in TERMINALS]
    procs = [fork(run_terminal, demo, t, N, 1000 + i, products, outs[i]) for i, t in enumerate(TERMINALS)]
    for p in procs:
        p.join(timeout=600)
    elapsed = time.monotonic() - started
    open_store_database(demo)
    assert [p.exitcode for p in procs] == [0] * 4
    results = [json.loads(o.read_text()) for o in outs]

    errors = [e for r in results for e in r["errors"]]
    assert errors == [], errors[0]
    sold = [s for r in results for s in r["sales"]]
    # every sale a terminal was told about is there, once; no sale nobody was told about
    uuids = [s[0] for s in sold]
    assert len(uuids) == len(set(uuids))
    rows = {s.cart_uuid: s for s in Sale.select().where(Sale.kind == "sale")}
    assert len(rows) - sales_before == len(sold)
    for uuid, sale_id, receipt_no, _qty in sold:
        assert rows[uuid].id == sale_id and rows[uuid].receipt_no == receipt_no
    # no oversold unit: stock = initial − sold + returned, never below zero
    out = Counter()
    for _u, _id, _no, qty in sold:
        for pid, q in qty.items():
            out[int(pid)] += q
    back = Counter()
    for r in results:
        for _ret, _orig, pid, q in r["returns"]:
            back[pid] += q
    for pid in products:
        now = Product.get_by_id(pid).stock
        assert now >= 0
        assert now == initial[pid] - out[pid] + back[pid], pid
    # receipt numbers gapless per terminal, sales and returns together
    for term in TERMINALS:
        nos = sorted(no for (no,) in Sale.select(Sale.receipt_no).join_from(Sale, Sale.terminal.rel_model)
                     .where(Sale.terminal.rel_model.code == term).tuples())
        assert nos == list(range(1, len(nos) + 1)), term
    problems = run_checks()
    assert problems == [], problems[:5]

    refused = Counter()
    for r in results:
        refused.update(r["refused"])
    assert set(refused) <= {"err.checks_failed", "err.stock_short"}, refused
    record("torture", processes=len(TERMINALS), operations_per_process=N, operations=N * len(TERMINALS),
           sales=len(sold), returns=sum(len(r["returns"]) for r in results),
           quotes_converted=sum(r["quotes"] for r in results), retries=sum(r["retries"] for r in results),
           refused_out_of_stock=sum(refused.values()), units_sold=sum(out.values()),
           errors=len(errors), anomalies=len(problems), seconds=round(elapsed, 1))


def _submit(settings, cart_dict, out_path, go_path):
    from storepos.services import staff

    open_store_database(settings)
    store_id = Store.get(Store.code == "S001").id
    actor = staff.login(store_id, "1001", "1111", "T1")
    cart = Cart.from_dict(cart_dict)
    while not os.path.exists(go_path):
        time.sleep(0.002)
    total = cart.totals().total
    try:
        sale = checkout.complete_sale(actor, cart, [PaymentIn("cash", total, total)])
        out_path.write_text(str(sale.id))
    except Exception as exc:  # noqa: BLE001
        out_path.write_text(f"ERROR {type(exc).__name__}: {exc}")
    close_database()


def test_ten_concurrent_submissions_of_one_cart_make_one_sale(demo, staff_actor, tmp_path):
    from support.checkout import cart_of, open_till, product

    open_till(staff_actor)
    cart = cart_of(staff_actor, ("SA-0016", 2))
    stock_before = product("SA-0016").stock
    cart_dict = cart.to_dict()
    close_database()
    go = tmp_path / "go"
    outs = [tmp_path / f"r{i}" for i in range(10)]
    procs = [fork(_submit, demo, cart_dict, outs[i], go) for i in range(10)]
    time.sleep(0.3)
    go.write_text("go")
    for p in procs:
        p.join(timeout=120)
    open_store_database(demo)
    answers = [o.read_text() for o in outs]
    assert len(set(answers)) == 1 and answers[0].isdigit(), answers
    assert Sale.select().where(Sale.cart_uuid == cart.uuid).count() == 1
    assert Sale.select().count() == 1
    assert product("SA-0016").stock == stock_before - 2
    assert run_checks() == []
    record("same_cart", submissions=10, sales_made=1, anomalies=0)
