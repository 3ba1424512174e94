"""Practice sealed: every file practice writes lives under HOME/practice, its receipts are
numbered from the practice database and say 练习 / PRACTICE at top and bottom, its printouts never
reach the live print command (a practice print command only when one is configured), and the live
checkout never loads a practice cart."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from support.checkout import open_till, sell
from support.practice import actor

from storepos.db import database
from storepos.i18n import set_language, t
from storepos.models import CartDraft, PrintJob, Product, Store
from storepos.services import checkout, practice, quotes
from storepos.services.core import printout
from storepos.services.core.bootstrap import close_database, open_store_database


def _close() -> None:
    close_database()
    database.initialize(None)


def _wait_printed(job_id: int) -> str:
    import time

    for _ in range(100):
        status = printout.job_status(Store.get().id, job_id).status
        if status in ("printed", "failed"):
            return status
        time.sleep(0.05)
    return status


@pytest.fixture
def two_worlds(demo, tmp_path):
    """Live settings with a live printer (a file it appends to), and their practice twin."""
    printer = tmp_path / "live-printer.txt"
    live = demo.model_copy(update={"print_command": f"sh -c 'cat >> {printer}'"})
    _close()
    open_store_database(live)
    yield live, live.model_copy(update={"practice": True, "practice_db": str(tmp_path / "practice.db")}), printer
    printout.stop_worker()


def test_practice_receipts_are_numbered_saved_and_marked_apart_and_never_printed_live(two_worlds):
    live, psettings, printer = two_worlds
    seller = actor("1001", "1111")
    open_till(seller)
    live_sale = sell(seller, ("SA-0016", 1))
    live_text = checkout.render(live_sale)
    done = checkout.deliver(live_sale, live_text)
    assert done.status == "queued" and _wait_printed(done.job_id) == "printed"
    assert done.path == live.home / "printouts" / "receipt" / "T1-000001.txt"
    assert t("printout.practice_mark") not in live_text
    _close()

    practice.prepare(psettings)
    trainee = actor("1001", "1111")
    open_till(trainee)
    sale = sell(trainee, ("SA-0016", 2))
    assert checkout.label(sale) == "T1-000001"  # the practice database's own counter
    for lang, mark in (("en", "PRACTICE"), ("zh_CN", "练习")):
        set_language(lang)
        lines = checkout.render(sale).splitlines()
        assert mark in lines[0] and mark in lines[-1]  # top and bottom, in the printout's language
    set_language("en")
    text = checkout.render(sale)
    result = checkout.deliver(sale, text)
    assert (result.status, result.job_id) == ("practice", None)  # saved only: "practice: not printed"
    assert result.path == live.home / "practice" / "printouts" / "receipt" / "T1-000001.txt"
    assert PrintJob.select().count() == 0
    _close()

    # the live receipt file with the same number is untouched, the live printer got the live one only
    assert done.path.read_text(encoding="utf-8") == live_text
    assert printer.read_text(encoding="utf-8") == live_text
    assert result.path.read_text(encoding="utf-8") == text


def test_practice_quotes_are_marked_and_saved_apart(two_worlds):
    _live, psettings, printer = two_worlds
    _close()
    practice.prepare(psettings)
    trainee = actor("1001", "1111")
    q = quotes.create(trainee)
    quotes.add_line(trainee, q.id, Product.get(Product.sku == "KC-0002").id, 1)
    set_language("zh_CN")
    lines = quotes.render_text(q.id).splitlines()
    assert "练习" in lines[0] and "练习" in lines[-1]
    set_language("en")
    result = quotes.print_quote(trainee, q.id)
    assert result.status == "practice" and "/practice/printouts/quote/" in str(result.path)
    assert "PRACTICE" in result.path.read_text(encoding="utf-8").splitlines()[0]
    assert not printer.exists()


def test_a_practice_print_command_is_used_only_when_configured_separately(two_worlds, tmp_path):
    _live, psettings, printer = two_worlds
    trainer_printer = tmp_path / "practice-printer.txt"
    _close()
    practice.prepare(psettings.model_copy(update={"practice_print_command": f"sh -c 'cat > {trainer_printer}'"}))
    trainee = actor("1001", "1111")
    open_till(trainee)
    sale = sell(trainee, ("SA-0016", 1))
    result = checkout.deliver(sale, checkout.render(sale))
    assert result.status == "queued" and _wait_printed(result.job_id) == "printed"
    assert "PRACTICE" in trainer_printer.read_text(encoding="utf-8")
    assert not printer.exists()


def test_a_practice_database_opened_with_live_settings_still_never_prints(two_worlds):
    live, psettings, printer = two_worlds
    _close()
    practice.prepare(psettings)
    _close()
    open_store_database(live.model_copy(update={"db": psettings.practice_db}))  # wrongly, as if live
    trainee = actor("1001", "1111")
    open_till(trainee)
    sale = sell(trainee, ("SA-0016", 1))
    result = checkout.deliver(sale, checkout.render(sale))
    assert result.status == "practice" and PrintJob.select().count() == 0
    assert not printer.exists()


def test_live_checkout_never_loads_a_practice_cart(two_worlds):
    live, psettings, _printer = two_worlds
    _close()
    practice.prepare(psettings)
    trainee = actor("1001", "1111")
    cart = checkout.start_cart(trainee, lines=[{"product_id": Product.get(Product.sku == "SA-0016").id, "qty": 1}])
    checkout.save_draft(cart, "T1")
    parked = checkout.start_cart(trainee, lines=[{"product_id": Product.get(Product.sku == "SA-0015").id, "qty": 1}])
    checkout.park_cart(parked, "T1")
    store_id = Store.get().id
    assert checkout.load_draft(store_id, "T1") is not None
    _close()
    open_store_database(live)
    assert checkout.load_draft(store_id, "T1") is None
    assert checkout.parked_carts(store_id) == []
    assert CartDraft.select().count() == 0


async def test_the_practice_app_leaves_the_live_cart_file_alone(two_worlds, make_app):
    """HOME/carts/<terminal>.json (an earlier version's live cart) is the live app's to import."""
    live, psettings, _printer = two_worlds
    seller = actor("1001", "1111")
    cart = checkout.start_cart(seller, lines=[{"product_id": Product.get(Product.sku == "SA-0016").id, "qty": 1}])
    cart.payments.append(checkout.PaymentIn("card", Decimal(cart.totals().total), reference="77"))
    legacy = live.home / "carts" / "T1.json"
    legacy.parent.mkdir(parents=True)
    legacy.write_text(json.dumps(cart.to_dict()), encoding="utf-8")
    _close()
    practice.prepare(psettings)
    app = make_app(practice=True, practice_db=psettings.practice_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    assert legacy.exists() and CartDraft.select().count() == 0


async def test_the_practice_receipt_says_practice_and_not_printed(two_worlds, make_app):
    from support import login

    from storepos.ui.checkout.checkout import ReceiptScreen

    live, psettings, printer = two_worlds
    assert live.files_home == live.home and psettings.files_home == live.home / "practice"
    _close()
    practice.prepare(psettings)
    trainee = actor("1001", "1111")
    open_till(trainee)
    sale = sell(trainee, ("SA-0016", 1))
    app = make_app(practice=True, practice_db=psettings.practice_db, print_command=live.print_command, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        app.push_screen(ReceiptScreen(sale.id))
        await pilot.pause()
        line = str(app.screen.query_one("#receipt-print").render())
        assert line.startswith("Practice: not printed. Saved to ") and "/practice/printouts/receipt/" in line
        receipt = str(app.screen.query_one("#receipt-text").render()).strip().splitlines()
        assert "PRACTICE" in receipt[0] and "PRACTICE" in receipt[-1]
    assert not printer.exists() and PrintJob.select().count() == 0
