"""The benchmark's child processes (run by bench/run.py, one mode per process).

    child.py coldstart-app   DB HOME NOW   -> prints READY when the login screen is mounted and idle
    child.py coldstart-bare                -> the same for a bare Textual app (one Input, one DataTable)
    child.py rss-app         DB HOME NOW   -> checkout open on the catalog; prints {"vmhwm_kb": ...}
    child.py rss-bare                      -> the bare app's peak RSS, for comparison
    child.py terminal        DB HOME NOW CODE STAFF PIN N SEED CONTESTED_ID
                                           -> checks out N sales after "go" on stdin; prints JSON
"""

from __future__ import annotations

import json
import os
import sys


def _vmhwm_kb() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _open_storepos(db: str, home: str, now: str, terminal: str = "T1"):
    """What `storepos --db DB` does before the app starts: settings, the database."""
    import datetime as dt

    from storepos import cli, clock  # noqa: F401 - what the command imports before the app starts
    from storepos.commands.base import open_database
    from storepos.config import load_settings

    clock.use(clock.FixedClock(dt.datetime.fromisoformat(now)))
    settings = load_settings(db=db, home=home, terminal=terminal, lang="en")
    open_database(settings)
    return settings


def _bare_app():
    from textual.app import App
    from textual.widgets import DataTable, Input

    class Bare(App):
        def compose(self):
            yield Input(placeholder="scan")
            yield DataTable()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("sku", "name", "qty", "price")

    return Bare()


async def _coldstart_app(db: str, home: str, now: str) -> None:
    settings = _open_storepos(db, home, now)
    from storepos.ui.app import make_app
    from storepos.ui.staff.login import LoginScreen

    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        while not isinstance(app.screen, LoginScreen):
            await pilot.pause()
        await pilot.pause()
        print("READY", flush=True)
        os._exit(0)


async def _coldstart_bare() -> None:
    app = _bare_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        print("READY", flush=True)
        os._exit(0)


async def _rss_app(db: str, home: str, now: str) -> None:
    settings = _open_storepos(db, home, now)
    from storepos.models import Product
    from storepos.services.staff import login
    from storepos.services import register
    from storepos.services.core.store import first_store
    from storepos.ui.app import make_app
    from storepos.ui.checkout.checkout import CheckoutScreen

    store = first_store()
    actor = login(store.id, "1001", "1111", settings.terminal)
    if register.current_session(store.id, settings.terminal) is None:
        register.open_session(actor, "500.00")
    codes = [b for (b,) in Product.select(Product.barcode).where(Product.active == True, Product.stock > 5)  # noqa: E712
             .order_by(Product.id.desc()).limit(5).tuples()]
    app = make_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for ch in "1001":
            await pilot.press(ch)
        await pilot.press("enter")
        for ch in "1111":
            await pilot.press(ch)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen), app.screen
        for code in codes:
            for ch in code:
                await pilot.press(ch)
            await pilot.press("enter")
        for ch in "咖啡":
            await pilot.press(ch)
        await pilot.pause(0.3)
        await pilot.pause()
        lines = len(app.screen.cart.lines)
        print(json.dumps({"vmhwm_kb": _vmhwm_kb(), "lines": lines}), flush=True)
        os._exit(0)


async def _rss_bare() -> None:
    app = _bare_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        print(json.dumps({"vmhwm_kb": _vmhwm_kb()}), flush=True)
        os._exit(0)


def _terminal(db: str, home: str, now: str, code: str, staff: str, pin: str, n: int, seed: int, contested: int) -> None:
    """One counter checking out *n* sales as fast as it can: 1–3 lines (one in three carts also
    asks for a unit of the contested product), paid half cash, half card."""
    import random
    import time
    from decimal import Decimal

    _open_storepos(db, home, now, terminal=code)
    from storepos.models import Product
    from storepos.services.staff import login
    from storepos.services import checkout
    from storepos.services.checkout import ChecksFailed, PaymentIn
    from storepos.services.core.errors import DomainError
    from storepos.services.core.store import first_store

    store = first_store()
    actor = login(store.id, staff, pin, code)
    rng = random.Random(seed)
    pool = [pid for (pid,) in Product.select(Product.id).where(Product.active == True, Product.stock >= 100,  # noqa: E712
                                                                Product.id != contested).tuples()]
    print("ready", flush=True)
    sys.stdin.readline()
    made: list[int] = []
    lat: list[float] = []
    errors: list[str] = []
    refused = contested_sold = 0
    started = time.perf_counter()
    for _ in range(n):
        lines = [{"product_id": rng.choice(pool), "qty": rng.randint(1, 2)} for _ in range(rng.randint(1, 3))]
        want_contested = rng.random() < 0.33
        if want_contested:
            lines.append({"product_id": contested, "qty": 1})
        try:
            while True:
                cart = checkout.start_cart(actor, lines=lines)
                total = cart.totals().total
                half = (total / 2).quantize(Decimal("0.01"))
                pays = [PaymentIn("cash", half, half), PaymentIn("card", total - half)]
                t0 = time.perf_counter()
                try:
                    sale = checkout.complete_sale(actor, cart, pays)
                except ChecksFailed:
                    if not want_contested:
                        raise
                    refused += 1
                    want_contested = False
                    lines = [ln for ln in lines if ln["product_id"] != contested]
                    continue
                lat.append(time.perf_counter() - t0)
                made.append(sale.id)
                contested_sold += 1 if want_contested else 0
                break
        except (DomainError, Exception) as exc:  # noqa: BLE001 - every failure is an anomaly
            errors.append(f"{type(exc).__name__}: {exc}")
    elapsed = time.perf_counter() - started
    print(json.dumps({"code": code, "sales": made, "elapsed": elapsed, "lat": lat, "errors": errors,
                      "refused": refused, "contested_sold": contested_sold}), flush=True)


def main(argv: list[str]) -> None:
    import asyncio

    mode = argv[0]
    if mode == "coldstart-app":
        asyncio.run(_coldstart_app(*argv[1:4]))
    elif mode == "coldstart-bare":
        asyncio.run(_coldstart_bare())
    elif mode == "rss-app":
        asyncio.run(_rss_app(*argv[1:4]))
    elif mode == "rss-bare":
        asyncio.run(_rss_bare())
    elif mode == "terminal":
        db, home, now, code, staff, pin, n, seed, contested = argv[1:10]
        _terminal(db, home, now, code, staff, pin, int(n), int(seed), int(contested))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv[1:])
