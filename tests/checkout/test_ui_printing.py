"""The receipt follows its print at 80x24: printing… / printed / failed with the printer's own
words, p prints a failed one again; a stuck printer never holds the screen up; home lists the
failed prints and d sends them again."""

from __future__ import annotations

import sys
import time

from support import login, until
from support.checkout import open_till, sell

from storepos.models import PrintJob
from storepos.services import staff
from storepos.services.core import printout
from storepos.services.core.store import find_store
from storepos.ui.checkout.checkout import ReceiptScreen
from storepos.ui.home.home import HomeScreen


def _actor():
    return staff.login(find_store("S001").id, "1001", "1111", "T1")


def _screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def _print_line(app) -> str:
    return str(app.screen.query_one("#receipt-print").render())


async def test_a_stuck_printer_never_holds_up_the_receipt(demo, make_app):
    actor = _actor()
    open_till(actor)
    sale = sell(actor, ("SA-0016", 1))
    printout.configure(demo.files_home, "sleep 30", terminal="T1")  # a stuck printer (15 s timeout)
    app = make_app(lang="en")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "1001", "1111")
            started = time.monotonic()
            app.push_screen(ReceiptScreen(sale.id))
            await pilot.pause()
            assert await until(pilot, lambda: "Printing…" in _print_line(app), timeout=3)
            await pilot.press("w")  # the keys are handled at once while the printer sleeps
            await pilot.pause()
            assert app.screen.width == 80
            await pilot.press("w")
            await pilot.pause()
            assert app.screen.width == 40
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, ReceiptScreen)
            assert time.monotonic() - started < 5  # a fraction of what the printer takes
            job = PrintJob.get()
            assert job.status in ("queued", "printing") and job.name.startswith("T1-")
    finally:
        printout.stop_worker()


async def test_receipt_shows_the_printers_error_and_p_prints_it_again(demo, make_app, tmp_path):
    flag = tmp_path / "paper"
    script = (f"import sys,os; sys.stdin.read(); ok=os.path.exists(r'{flag}'); "
              f"ok or print('lp: printer Front is out of paper', file=sys.stderr); sys.exit(0 if ok else 1)")
    actor = _actor()
    open_till(actor)
    sale = sell(actor, ("SA-0016", 1))
    printout.configure(demo.files_home, f"{sys.executable} -c \"{script}\"", terminal="T1")
    app = make_app(lang="en")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "1001", "1111")
            app.push_screen(ReceiptScreen(sale.id))
            await pilot.pause()
            if "failed" not in _print_line(app):  # (a fast printer may have failed already)
                assert "p" not in app.screen.active_bindings  # nothing to retry yet
            assert await until(pilot, lambda: "out of paper" in _print_line(app), timeout=8)
            assert _print_line(app) == "Printing failed: lp: printer Front is out of paper · p prints it again"
            await pilot.pause()
            # the receipt (a modal without a footer) names p on the line that says it failed, at 80x24
            assert "p prints it again" in _screen_text(app)
            assert app.screen.active_bindings["p"].binding.description == "Print again"
            flag.write_text("loaded")
            await pilot.press("p")
            assert await until(pilot, lambda: _print_line(app).startswith("Printed;"), timeout=8)
            job = PrintJob.get()
            assert (job.status, job.attempts) == ("printed", 2)
            assert "p" not in app.screen.active_bindings
    finally:
        printout.stop_worker()


async def test_home_lists_failed_prints_and_d_sends_them_again(demo, make_app):
    actor = _actor()
    open_till(actor)
    sale = sell(actor, ("SA-0016", 1))
    printout.configure(demo.files_home, "sh -c 'echo 打印机卡纸 >&2; exit 1'", terminal="T1", background=False)
    from storepos.services import checkout

    checkout.deliver(sale, checkout.render(sale))
    printout.drain()
    app = make_app(lang="zh_CN")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "1001", "1111")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            text = _screen_text(app)
            assert f"打印失败：收据 {checkout.label(sale)}（打印机卡纸）· 按 d 重新打印" in text
            assert " d 重新打印 " in text.splitlines()[-1]
            printout.configure(demo.files_home, "cat", terminal="T1")
            await pilot.press("d")
            assert await until(pilot, lambda: PrintJob.get().status == "printed", timeout=8)
            await pilot.pause()
            assert "打印失败" not in _screen_text(app)
    finally:
        printout.stop_worker()


async def test_a_print_failing_while_home_is_open_shows_up_there(demo, make_app):
    actor = _actor()
    open_till(actor)
    sale = sell(actor, ("SA-0016", 1))
    printout.configure(demo.files_home, "sh -c 'sleep 0.5; echo 缺纸 >&2; exit 1'", terminal="T1")
    app = make_app(lang="zh_CN")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "1001", "1111")
            assert isinstance(app.screen, HomeScreen) and "打印失败" not in _screen_text(app)
            from storepos.services import checkout

            checkout.deliver(sale, checkout.render(sale))  # as another screen of this terminal would
            assert await until(pilot, lambda: "打印失败" in _screen_text(app), timeout=10)
    finally:
        printout.stop_worker()
