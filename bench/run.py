"""storepos benchmark: what a counter user feels and what a year of data costs, in one command.

    python bench/run.py            # the full scale (100k products, 1M sale lines); table
    python bench/run.py --json     # the same figures as JSON on stdout
    python bench/run.py --quick    # a tiny database, every figure once or twice (smoke test)

Baselines run in the same process (or the same kind of child process) as what they are compared
with, so the ratios hold on a noisy machine.  See docs/readme/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import gen  # noqa: E402

PY = sys.executable
# demo PINs; the generated staff (1003…) share 1001's PIN
PINS = {"1001": "1111", "1002": "2222", "1003": "1111", "1004": "1111"}
CHILD = str(HERE / "child.py")

# figure -> (label, unit, target description, check(median, p95, extra) -> bool | None)
TARGETS = {
    "cold_start": "≤ 1.5 × bare Textual",
    "scan_to_line": "p95 ≤ 50 ms",
    "search": "p95 ≤ 50 ms",
    "checkout_commit": "≤ 3 × raw sqlite3",
    "terminals": "≥ 200 sales/s, 0 anomalies",
    "report": "≤ 300 ms",
    "rss": "≤ 200 MB",
}


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(values)
    return s[max(0, math.ceil(q / 100 * len(s)) - 1)]


def summary(values: list[float], unit: str) -> dict[str, Any]:
    return {"unit": unit, "runs": len(values), "median": round(statistics.median(values), 3),
            "p95": round(pct(values, 95), 3), "values": [round(v, 3) for v in values]}


class Bench:
    def __init__(self, quick: bool, runs: int | None, log: Any) -> None:
        self.quick = quick
        self.params = gen.QUICK if quick else gen.FULL
        self.runs = runs or (2 if quick else 15)
        self.log = log
        self.figures: dict[str, Any] = {}
        self.now = gen.bench_now(self.params)

    # -- set-up ---------------------------------------------------------------------------------

    def prepare(self) -> None:
        started = time.perf_counter()
        src = gen.build(self.params, log=self.log)
        self.work = gen.CACHE / f"work-{os.getpid()}"
        shutil.rmtree(self.work, ignore_errors=True)
        self.work.mkdir(parents=True)
        self.db = str(self.work / "store.db")
        shutil.copyfile(src, self.db)  # the cached database stays as built
        shutil.copytree(gen.home_of(src), self.work / "home")
        self.home = str(self.work / "home")
        self.figures["database"] = {"path": str(src), "size_mb": round(src.stat().st_size / 1e6),
                                    "ready_s": round(time.perf_counter() - started, 1), **self._counts()}

    def _counts(self) -> dict[str, int]:
        con = sqlite3.connect(self.db)
        try:
            out = {}
            for table in ("product", "customer", "sale", "sale_line", "payment", "stock_move", "visit", "quote",
                          "checklist_run"):
                out[table] = con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            return out
        finally:
            con.close()

    def cleanup(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)

    def open_here(self) -> None:
        """Open the work database in this process (as the app does) with the benchmark's clock."""
        from storepos import clock
        from storepos.config import Settings
        from storepos.services.core.bootstrap import open_store_database
        from storepos.services.core.store import first_store

        clock.use(clock.FixedClock(self.now))
        open_store_database(Settings(home=Path(self.home), db=self.db, terminal="T1", idle_lock_minutes=0,
                                     lang="en"))
        from storepos.i18n import set_language

        set_language("en")
        self.store = first_store()

    def close_here(self) -> None:
        from storepos.db import database
        from storepos.services.core.bootstrap import close_database

        close_database()
        database.initialize(None)

    # -- cold start -----------------------------------------------------------------------------

    def _ready_time(self, args: list[str]) -> float:
        t0 = time.perf_counter()
        proc = subprocess.Popen([PY, CHILD, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=self._env())
        line = proc.stdout.readline()
        t = time.perf_counter() - t0
        proc.wait(timeout=60)
        if line.strip() != "READY":
            raise RuntimeError(f"child {args[0]} did not get ready: {line!r} {proc.stderr.read()[-2000:]}")
        return t * 1000

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        env.pop("STOREPOS_DB", None)
        return env

    def cold_start(self) -> None:
        self.log("cold start …")
        app_args = ["coldstart-app", self.db, self.home, self.now.isoformat()]
        bare_args = ["coldstart-bare"]
        self._ready_time(app_args)  # warm-up (start-up tasks on a copied database, the OS cache)
        self._ready_time(bare_args)
        app, bare = [], []
        for _ in range(self.runs):  # interleaved, so both see the same machine
            app.append(self._ready_time(app_args))
            bare.append(self._ready_time(bare_args))
        a, b = summary(app, "ms"), summary(bare, "ms")
        ratio = a["median"] / b["median"]
        self.figures["cold_start_app"] = a
        self.figures["cold_start_baseline"] = b
        self.figures["cold_start_ratio"] = {"unit": "×", "median": round(ratio, 2),
                                            "p95": round(a["p95"] / b["p95"], 2),
                                            "target": TARGETS["cold_start"], "met": ratio <= 1.5}

    # -- scan to line (Pilot) ---------------------------------------------------------------------

    def scan_to_line(self) -> None:
        """Scan → the first frame drawn that shows the new line AND the new total, two ways: the
        code typed key by key (the Pilot waits for idle after each digit; the clock runs from the
        last digit and Enter) and a scanner's burst (13 digits and Enter sent at once; the clock
        runs from the first digit).  A frame is each screen update Textual hands its driver."""
        self.log("scan to frame …")
        from storepos.models import Product
        from storepos.services.staff import login
        from storepos.services import register

        actor = login(self.store.id, "1001", "1111", "T1")
        if register.current_session(self.store.id, "T1") is None:
            register.open_session(actor, "500.00")
        n = 6 if self.quick else 60  # quick: a smoke run; the full run: p95 over 60 of each
        codes = [b for (b,) in Product.select(Product.barcode).where(
            Product.active == True, Product.stock >= 50, Product.barcode.is_null(False))  # noqa: E712
            .order_by(Product.id.desc()).limit(2 * n).tuples()]
        typed, burst = asyncio.run(self._scan(codes[:n], codes[n:2 * n]))
        for key, times in (("scan_to_line", typed), ("scan_burst", burst)):
            s = summary(times, "ms")
            s.update(target=TARGETS["scan_to_line"], met=s["p95"] <= 50)
            self.figures[key] = s

    async def _scan(self, typed_codes: list[str], burst_codes: list[str]) -> tuple[list[float], list[float]]:
        from textual import events
        from textual.widgets import DataTable

        from storepos.config import Settings
        from storepos.ui.app import make_app
        from storepos.ui.checkout.checkout import CheckoutScreen

        settings = Settings(home=Path(self.home), db=self.db, terminal="T1", idle_lock_minutes=0, lang="en")
        app = make_app(settings)
        watch: dict[str, Any] = {"rows": None, "total": None, "at": None}
        show = app._display

        def display(screen: Any, renderable: Any) -> None:
            show(screen, renderable)
            # The first frame after the line and the total changed: what the salesperson sees.
            if renderable is not None and watch["rows"] is not None and watch["at"] is None \
                    and table.row_count > watch["rows"] and str(totals.render()) != watch["total"]:
                watch["at"] = time.perf_counter()

        app._display = display  # type: ignore[method-assign]
        out: tuple[list[float], list[float]] = ([], [])
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            for keys in ("1001", "1111"):
                for ch in keys:
                    await pilot.press(ch)
                await pilot.press("enter")
            await pilot.pause()
            await pilot.press("f4")
            await pilot.pause()
            assert isinstance(app.screen, CheckoutScreen), app.screen
            screen = app.screen
            table = screen.query_one("#cart", DataTable)
            totals = screen.query_one("#totals")
            for mode, codes in enumerate((typed_codes, burst_codes)):
                for i, code in enumerate(codes):
                    if i % 10 == 0 and screen.cart.lines:
                        await pilot.press("f6", "d")  # a new sale every ten scans (this one dropped)
                        await pilot.pause()
                    watch.update(rows=table.row_count, total=str(totals.render()), at=None)
                    if mode == 0:
                        for ch in code[:-1]:
                            await pilot.press(ch)
                        t0 = time.perf_counter()
                        keys = [code[-1]]
                    else:
                        t0 = time.perf_counter()
                        keys = list(code)
                    # Sent as the Pilot sends keys (its driver), without the Pilot's wait for idle.
                    for ch in keys:
                        app._driver.send_message(events.Key(ch, ch))
                    app._driver.send_message(events.Key("enter", "\r"))
                    deadline = t0 + 5
                    while watch["at"] is None and time.perf_counter() < deadline:
                        await asyncio.sleep(0.0005)
                    if watch["at"] is None:
                        raise RuntimeError(f"scan of {code} never showed in a frame")
                    out[mode].append((watch["at"] - t0) * 1000)
                    watch["rows"] = None
                    await pilot.pause()
            await pilot.press("f6", "d")
            await pilot.pause()
        return out

    # -- search as you type -----------------------------------------------------------------------

    FRAGMENTS = {"search_en": "cooker", "search_zh1": "锅", "search_zh2": "咖啡", "search_zh3": "电饭煲"}

    def search(self) -> None:
        self.log("search …")
        from storepos.services import catalog

        n = self.runs if self.quick else 40
        for key, frag in self.FRAGMENTS.items():
            catalog.search(self.store.id, frag, limit=30)  # warm
            times = []
            hits = 0
            for _ in range(n):
                t0 = time.perf_counter()
                hits = len(catalog.search(self.store.id, frag, limit=30))
                times.append((time.perf_counter() - t0) * 1000)
            s = summary(times, "ms")
            s.update(fragment=frag, hits=hits, target=TARGETS["search"], met=s["p95"] <= 50)
            self.figures[key] = s

    # -- checkout commit: service vs raw sqlite3 -------------------------------------------------

    def checkout_commit(self) -> None:
        self.log("checkout commit …")
        from decimal import Decimal

        from storepos.db import database
        from storepos.models import Product
        from storepos.services.staff import login
        from storepos.services import checkout, register
        from storepos.services.checkout import PaymentIn

        actor = login(self.store.id, "1001", "1111", "T1")
        if register.current_session(self.store.id, "T1") is None:
            register.open_session(actor, "500.00")
        n = self.runs if self.quick else 60
        pool = [pid for (pid,) in Product.select(Product.id).where(Product.active == True, Product.stock >= 100)  # noqa: E712
                .order_by(Product.id).limit(300).tuples()]
        statements: list[int] = []
        svc = []
        for i in range(n + 1):
            ids = [pool[(3 * i + k) % len(pool)] for k in range(3)]
            cart = checkout.start_cart(actor, lines=[{"product_id": p, "qty": 1} for p in ids])
            total = cart.totals().total
            half = (total / 2).quantize(Decimal("0.01"))
            pays = [PaymentIn("cash", half, half), PaymentIn("card", total - half)]
            counter = _count_statements(database.obj)
            t0 = time.perf_counter()
            checkout.complete_sale(actor, cart, pays)
            took = (time.perf_counter() - t0) * 1000
            statements.append(counter.stop())
            if i:  # the first one warms the caches
                svc.append(took)
        raw = self._raw_floor(actor, pool, n)
        a, b = summary(svc, "ms"), summary(raw, "ms")
        a["statements"] = statements[-1]
        b["statements"] = self._raw_statements
        ratio = a["median"] / b["median"]
        self.figures["checkout_service"] = a
        self.figures["checkout_raw"] = b
        self.figures["checkout_ratio"] = {"unit": "×", "median": round(ratio, 2), "p95": round(a["p95"] / b["p95"], 2),
                                          "target": TARGETS["checkout_commit"], "met": ratio <= 3}

    def _raw_floor(self, actor: Any, pool: list[int], n: int) -> list[float]:
        """The same rows as complete_sale writes (sale, 3 lines, 3 stock moves with the guarded
        update, 2 payments, the receipt counter, one keyed audit row), by hand through sqlite3,
        with the same pragmas and BEGIN IMMEDIATE: the floor the service is compared with."""
        from storepos.services.core.audit import _link, key_path, read_keys

        con = sqlite3.connect(self.db, isolation_level=None, timeout=15)
        for pragma in ("journal_mode=wal", "synchronous=full", "foreign_keys=1", "busy_timeout=15000",
                       "cache_size=-16000"):
            con.execute(f"PRAGMA {pragma}")
        term_id = con.execute("SELECT id FROM terminal WHERE code = 'T1'").fetchone()[0]
        prices = dict(con.execute(f"SELECT id, price FROM product WHERE id IN ({','.join('?' * len(pool))})",
                                  pool).fetchall())
        names = {r[0]: r[1:] for r in con.execute(
            f"SELECT id, sku, name_zh, name_en FROM product WHERE id IN ({','.join('?' * len(pool))})", pool)}
        out = []
        count = 0
        for i in range(n + 1):
            ids = [pool[(3 * i + k + 1) % len(pool)] for k in range(3)]
            now = str(self.now)
            cart_uuid = str(uuid.uuid4())
            t0 = time.perf_counter()
            c = 0
            con.execute("BEGIN IMMEDIATE")
            c += 1
            assert con.execute("SELECT id FROM sale WHERE cart_uuid = ?", (cart_uuid,)).fetchone() is None
            session = con.execute("SELECT id FROM register_session WHERE terminal_id = ? AND open_terminal IS NOT NULL",
                                  (term_id,)).fetchone()[0]
            con.execute("SELECT id, stock FROM product WHERE id IN (?,?,?)", ids).fetchall()
            con.execute("UPDATE receipt_counter SET last_no = last_no + 1 WHERE terminal_id = ?", (term_id,))
            no = con.execute("SELECT last_no FROM receipt_counter WHERE terminal_id = ?", (term_id,)).fetchone()[0]
            total = sum(prices[p] for p in ids)
            half = total // 2
            cur = con.execute(
                "INSERT INTO sale (store_id, terminal_id, session_id, receipt_no, cart_uuid, kind, staff_id, subtotal,"
                " discount, total, paid, balance_due, vat, vat_rate_percent, fulfilment, settle_mode, deposit,"
                " delivered, delivered_at, status, approvals, invoice_title, invoice_tax_no, invoice_kind,"
                " invoice_issued, reprints, created_at) VALUES (?,?,?,?,?,'sale',?,?,0,?,?,0,?,13,'take',"
                " 'settle_then_deliver',0,1,?,'completed','{}','','','',0,0,?)",
                (self.store.id, term_id, session, no, cart_uuid, actor.staff_id, total, total, total,
                 gen.vat_fen(total), now, now))
            sale_id = cur.lastrowid
            c += 6
            for ln, pid in enumerate(ids, 1):
                if con.execute("UPDATE product SET stock = stock - 1 WHERE id = ? AND store_id = ? AND stock - 1 >= 0",
                               (pid, self.store.id)).rowcount != 1:
                    raise RuntimeError("stock short in the raw floor")
                con.execute("INSERT INTO stock_move (store_id, product_id, qty, reason, location, ref, note, staff_id,"
                            " terminal, at) VALUES (?,?,-1,'sale','main',?,'',?,'T1',?)",
                            (self.store.id, pid, f"sale:{sale_id}", actor.staff_id, now))
                con.execute("INSERT INTO sale_line (sale_id, line_no, product_id, sku, name_zh, name_en, qty,"
                            " unit_price, line_discount, line_total, to_defective, batches)"
                            " VALUES (?,?,?,?,?,?,1,?,0,?,0,'[]')",
                            (sale_id, ln, pid, *names[pid], prices[pid], prices[pid]))
                c += 3
            con.execute("INSERT INTO payment (sale_id, session_id, method, amount, tendered, change, reference, kind,"
                        " created_at) VALUES (?,?,'cash',?,?,0,'','sale',?)", (sale_id, session, half, half, now))
            con.execute("INSERT INTO payment (sale_id, session_id, method, amount, tendered, change, reference, kind,"
                        " created_at) VALUES (?,?,'card',?,0,0,'','sale',?)", (sale_id, session, total - half, now))
            meta = dict(con.execute("SELECT key, value FROM storepos_meta WHERE key IN ('audit_head', 'audit_key')"))
            prev, key_id = meta["audit_head"], int(meta["audit_key"])
            key = read_keys(key_path())[key_id]  # as the service: the key file, cached while unchanged
            after = {"cart": cart_uuid, "total": total, "lines": 3}
            fields = {"at": self.now.isoformat(sep=" "), "store": self.store.id, "terminal": "T1",
                      "staff": actor.staff_id, "action": "sale.complete", "entity": "sale", "entity_id": str(sale_id),
                      "before": None, "after": after}
            digest = _link(key, key_id, prev, fields)
            con.execute("INSERT INTO audit_log (at, store_id, terminal, staff_id, action, entity, entity_id, before,"
                        " after, prev_hash, hash, key_id) VALUES (?,?,?,?,?,?,?,NULL,?,?,?,?)",
                        (now, self.store.id, "T1", actor.staff_id, "sale.complete", "sale", str(sale_id),
                         json.dumps(after, ensure_ascii=False, sort_keys=True), prev, digest, key_id))
            con.execute("UPDATE storepos_meta SET value = ? WHERE key = 'audit_head'", (digest,))
            con.execute("COMMIT")
            c += 6
            took = (time.perf_counter() - t0) * 1000
            count = c
            if i:
                out.append(took)
        con.close()
        self._raw_statements = count
        return out

    # -- four terminals at once --------------------------------------------------------------------

    def terminals(self) -> None:
        self.log("4 terminals …")
        rounds = 1 if self.quick else 3
        per = 40 if self.quick else 400
        rates, lat, anomalies, details = [], [], 0, []
        for r in range(rounds):
            res = self._terminal_round(r, per)
            rates.append(res["rate"])
            lat.extend(res["lat"])
            anomalies += len(res["anomalies"])
            details.append({k: v for k, v in res.items() if k != "lat"})
        problems = self._storepos_check()
        anomalies += len(problems)
        s = summary(rates, "sales/s")
        s["p95"] = round(pct(rates, 5), 3)  # the slow tail of a throughput: its 5th percentile
        s.update(anomalies=anomalies, check_problems=problems[:10], rounds=details,
                 commit_ms_median=round(statistics.median(lat) * 1000, 2),
                 commit_ms_p95=round(pct(lat, 95) * 1000, 2),
                 target=TARGETS["terminals"], met=s["median"] >= 200 and anomalies == 0)
        self.figures["terminals_4"] = s

    def _terminal_round(self, r: int, per: int) -> dict[str, Any]:
        from storepos.models import Product, Sale, SaleLine
        from storepos.services.staff import login
        from storepos.services import register
        from storepos.services import catalog
        from storepos.services.checkout import receipts_gapless

        codes = [f"B{k}" for k in range(1, 5)]
        staff = ["1001", "1002", "1003", "1004"]
        for code, st in zip(codes, staff):
            a = login(self.store.id, st, PINS[st], code)
            if register.current_session(self.store.id, code) is None:
                register.open_session(a, "500.00")
        # One product every terminal wants a unit of, with only a few in stock: never oversold.
        contested = Product.select().where(Product.active == True, Product.stock >= 1).order_by(  # noqa: E712
            Product.id.desc()).offset(r).first()
        manager = login(self.store.id, "9001", "9999", "T1")
        want = 25 if not self.quick else 6
        if contested.stock != want:
            catalog.apply_move(manager, contested.id, want - contested.stock, "adjustment", "bench")
        before_stock = dict(Product.select(Product.id, Product.stock).tuples())
        last_sale = Sale.select(Sale.id).order_by(Sale.id.desc()).scalar() or 0
        procs = []
        for k, (code, st) in enumerate(zip(codes, staff)):
            procs.append(subprocess.Popen([PY, CHILD, "terminal", self.db, self.home, self.now.isoformat(), code, st,
                                           PINS[st], str(per), str(1000 * r + k), str(contested.id)],
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                          text=True, env=self._env()))
        for p in procs:
            line = p.stdout.readline()
            if line.strip() != "ready":
                raise RuntimeError(f"terminal did not start: {line!r} {p.stderr.read()[-2000:]}")
        t0 = time.perf_counter()
        for p in procs:
            p.stdin.write("go\n")
            p.stdin.flush()
        results = []
        for p in procs:
            out, err = p.communicate(timeout=600)
            results.append(json.loads(out.strip().splitlines()[-1]))
        wall = time.perf_counter() - t0
        made = [sid for res in results for sid in res["sales"]]
        anomalies = [e for res in results for e in res["errors"]]
        # every sale reported is in the database, once, with its lines; nothing else appeared
        new = list(Sale.select(Sale.id, Sale.terminal, Sale.receipt_no).where(Sale.id > last_sale).tuples())
        if sorted(s for s, _t, _n in new) != sorted(made):
            anomalies.append(f"sales in the database ({len(new)}) differ from the sales made ({len(made)})")
        if len({(t, n) for _s, t, n in new}) != len(new):
            anomalies.append("a receipt number was given twice")
        anomalies.extend(receipts_gapless())
        # stock: before − sold == after, for every product; the contested one never below zero
        sold: dict[int, int] = {}
        for pid, qty in SaleLine.select(SaleLine.product, SaleLine.qty).where(SaleLine.sale > last_sale).tuples():
            sold[pid] = sold.get(pid, 0) + qty
        after = dict(Product.select(Product.id, Product.stock).where(Product.id.in_(list(sold) or [0])).tuples())
        for pid, q in sold.items():
            if before_stock[pid] - q != after[pid]:
                anomalies.append(f"product {pid}: stock {before_stock[pid]} − sold {q} ≠ {after[pid]}")
        c_sold = sum(res["contested_sold"] for res in results)
        c_after = Product.get_by_id(contested.id).stock
        if c_after < 0 or c_sold != want - c_after or sold.get(contested.id, 0) != c_sold:
            anomalies.append(f"contested product: {want} in stock, {c_sold} sold, {c_after} left")
        anomalies.extend(catalog.ledger_problems()[:20])
        return {"rate": len(made) / wall, "sales": len(made), "wall_s": round(wall, 2),
                "lat": [x for res in results for x in res["lat"]], "anomalies": anomalies,
                "contested": {"stock": want, "sold": c_sold, "refused": sum(r["refused"] for r in results)}}

    def _storepos_check(self) -> list[str]:
        proc = subprocess.run([PY, "-m", "storepos", "check", "--db", self.db, "--home", self.home, "--lang", "en"],
                              capture_output=True, text=True, env=self._env(), cwd=str(self.work), timeout=900)
        if proc.returncode == 0:
            return []
        return [ln for ln in proc.stdout.splitlines() if ln.strip()] or [proc.stderr.strip()[-500:]]

    # -- reports -------------------------------------------------------------------------------------

    def reports(self) -> None:
        self.log("reports …")
        try:
            from storepos.services import reports  # noqa: F401
        except ImportError:
            for key in ("report_daily", "report_staff_month", "report_funnel_year"):
                self.figures[key] = {"unit": "ms", "median": None, "p95": None, "na": "reports not built",
                                     "target": TARGETS["report"], "met": None}
            return
        run_reports(self)

    # -- memory -------------------------------------------------------------------------------------

    def rss(self) -> None:
        self.log("memory …")
        n = 1 if self.quick else 3
        app, bare = [], []
        for _ in range(n):
            app.append(self._rss(["rss-app", self.db, self.home, self.now.isoformat()]))
            bare.append(self._rss(["rss-bare"]))
        s = summary(app, "MB")
        s.update(target=TARGETS["rss"], met=s["p95"] <= 200)
        self.figures["rss_app"] = s
        self.figures["rss_baseline"] = summary(bare, "MB")

    def _rss(self, args: list[str]) -> float:
        proc = subprocess.run([PY, CHILD, *args], capture_output=True, text=True, env=self._env(), timeout=300)
        try:
            data = json.loads(proc.stdout.strip().splitlines()[-1])
        except (IndexError, ValueError):
            raise RuntimeError(f"rss child failed: {proc.stdout[-500:]} {proc.stderr[-2000:]}") from None
        return data["vmhwm_kb"] / 1024

    # -- all ----------------------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        started = time.perf_counter()
        self.prepare()
        try:
            self.cold_start()
            self.open_here()
            try:
                self.search()
                self.scan_to_line()
                self.checkout_commit()
                self.reports()
                self.terminals()
            finally:
                self.close_here()
            self.rss()
        finally:
            self.cleanup()
        return {"quick": self.quick, "params": self.params, "machine": machine(),
                "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "seconds": round(time.perf_counter() - started, 1), "figures": self.figures}


def run_reports(bench: Bench) -> None:
    """The manager's reports (issue #9): the last day, its month of staff performance, the year's funnel."""
    from storepos.services import reports

    end = gen.end_date(bench.params)
    first = end - dt.timedelta(days=bench.params["days"] - 1)
    store = bench.store.id
    n = bench.runs if bench.quick else 10
    for key, fn in (("report_daily", lambda: reports.daily(store, end)),
                    ("report_staff_month", lambda: reports.staff_performance(store, end - dt.timedelta(days=29), end)),
                    ("report_funnel_year", lambda: reports.funnel(store, first, end))):
        fn()  # warm
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        s = summary(times, "ms")
        s.update(target=TARGETS["report"], met=s["p95"] <= 300)
        bench.figures[key] = s


class _StatementCounter:
    def __init__(self, db: Any) -> None:
        import logging

        self.n = 0
        self.logger = logging.getLogger("peewee")
        self.prev_level = self.logger.level
        self.prev_prop = self.logger.propagate
        self.logger.setLevel(logging.DEBUG)
        self.logger.propagate = False
        self.handler = logging.Handler()
        self.handler.emit = self._emit  # type: ignore[method-assign]
        self.logger.addHandler(self.handler)

    def _emit(self, record: Any) -> None:
        self.n += 1

    def stop(self) -> int:
        self.logger.removeHandler(self.handler)
        self.logger.setLevel(self.prev_level)
        self.logger.propagate = self.prev_prop
        return self.n


def _count_statements(db: Any) -> _StatementCounter:
    return _StatementCounter(db)


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "platform": platform.platform(),
            "load_avg": [round(x, 2) for x in os.getloadavg()]}


# -- output ------------------------------------------------------------------------------------------

ROWS = [
    ("cold_start_app", "cold start: storepos → login ready"),
    ("cold_start_baseline", "cold start: bare Textual (Input + DataTable)"),
    ("cold_start_ratio", "cold start ratio"),
    ("scan_to_line", "scan → frame showing the line and total (typed key by key)"),
    ("scan_burst", "scan → frame showing the line and total (scanner burst)"),
    ("search_en", "search 'cooker'"),
    ("search_zh1", "search '锅' (1 char)"),
    ("search_zh2", "search '咖啡' (2 chars)"),
    ("search_zh3", "search '电饭煲' (3 chars)"),
    ("checkout_service", "checkout commit: services.checkout"),
    ("checkout_raw", "checkout commit: raw sqlite3 floor"),
    ("checkout_ratio", "checkout commit ratio"),
    ("terminals_4", "4 terminals at once"),
    ("report_daily", "daily report"),
    ("report_staff_month", "staff performance, one month"),
    ("report_funnel_year", "funnel, full year"),
    ("rss_app", "peak RSS: checkout on the catalog"),
    ("rss_baseline", "peak RSS: bare Textual"),
]


def _fmt(v: Any, unit: str) -> str:
    if v is None:
        return "n/a"
    if unit == "×":
        return f"{v:.2f}×"
    if unit == "ms":
        return f"{v:.1f} ms" if v < 1000 else f"{v / 1000:.2f} s"
    if unit == "MB":
        return f"{v:.0f} MB"
    return f"{v:.0f} {unit}"


def print_table(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    figs = result["figures"]
    m = result["machine"]
    db = figs.get("database", {})
    title = (f"storepos benchmark{' (quick)' if result['quick'] else ''}: {db.get('product', 0):,} products, "
             f"{db.get('sale_line', 0):,} sale lines, {db.get('customer', 0):,} customers")
    table = Table(title=title, caption=f"{m['nproc']} × {m['cpu']} · Python {m['python']} · SQLite {m['sqlite']} "
                                       f"· load {m['load_avg']} · {result['seconds']} s")
    for col, just in (("figure", "left"), ("median", "right"), ("p95", "right"), ("target", "left"), ("met", "center")):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    for key, label in ROWS:
        f = figs.get(key)
        if f is None:
            continue
        unit = f.get("unit", "ms")
        met = f.get("met")
        mark = "" if "met" not in f else ("[green]yes[/]" if met else ("[red]no[/]" if met is False else "n/a"))
        median, p95 = _fmt(f.get("median"), unit), _fmt(f.get("p95"), unit)
        if key == "terminals_4":
            label += f" ({f['anomalies']} anomalies; commit p95 {f['commit_ms_p95']:.0f} ms)"
            p95 = _fmt(f.get("p95"), unit) + " (p5)"
        if f.get("na"):
            median = p95 = f"n/a ({f['na']})"
        table.add_row(label, median, p95, f.get("target", ""), mark)
    console = Console()
    if not console.is_terminal:
        console.width = 120
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="storepos benchmark")
    ap.add_argument("--quick", action="store_true", help="tiny database, each figure once or twice")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--runs", type=int, default=None, help="repeats of the cold start (default 15, quick 2)")
    args = ap.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    result = Bench(args.quick, args.runs, log).run()
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
