"""Checkout, returns and the register with hostile data, by keys at 80x24: names that look like
markup show exactly as typed (no MarkupError), the payment keys stay visible, and a prefilled
quantity, discount or amount gives way to the first key typed."""

from __future__ import annotations

from rich.text import Text
from support import login
from support.checkout import customer, product, sell
from textual.widgets import OptionList

from storepos.models import Customer, Product, Staff, Store
from storepos.services import checkout as checkout_service
from storepos.services import register, staff
from storepos.ui.checkout.checkout import CheckoutScreen, PaymentScreen, ReceiptScreen
from storepos.ui.checkout.dialogs import OptionsForm
from storepos.ui.kit.prompt import Prompt
from storepos.ui.kit.table import Table

HOSTILE = "[/b]x [red]y"


def _actor():
    store = Store.get(Store.code == "S001")
    return staff.login(store.id, "1001", "1111", "T1")


def _open_register():
    register.open_session(_actor(), "500.00")


def _row_text(table: Table, row: int) -> list[str]:
    return [c.plain if isinstance(c, Text) else str(c) for c in table.get_row_at(row)]


def _text(widget) -> str:
    return str(widget.render())


def _printed(widget) -> str:
    """What a Static holding a rich renderable (a grid) prints."""
    from io import StringIO

    from rich.console import Console

    console = Console(file=StringIO(), width=120)
    console.print(widget.content)
    return console.file.getvalue()


async def _start(pilot, app) -> CheckoutScreen:
    await login(pilot, "1001", "1111")
    await pilot.press("f4")
    await pilot.pause()
    assert isinstance(app.screen, CheckoutScreen)
    return app.screen


async def _scan(pilot, sku: str) -> None:
    await pilot.press(*product(sku).barcode, "enter")
    await pilot.pause()


async def test_customer_named_like_markup_is_picked_with_f8_and_shown_as_typed(demo, make_app):
    _open_register()
    c = customer("C0013")
    Customer.update(name=HOSTILE).where(Customer.id == c.id).execute()
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _start(pilot, app)
        await _scan(pilot, "SA-0016")
        await pilot.press("f8")
        await pilot.pause(0.3)
        table = app.screen.query_one("#cust-results", Table)
        names = [_row_text(table, i)[1] for i in range(table.row_count)]
        assert HOSTILE in names  # the kit picker lists everyone, names as typed
        await pilot.press(*c.number, "enter")
        await pilot.pause()
        assert app.screen is screen and screen.cart.customer_id == c.id
        assert HOSTILE in _text(screen.query_one("#cart-head"))


async def test_customer_picker_delete_clears_the_customer(demo, make_app):
    _open_register()
    c = customer("C0013")
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _start(pilot, app)
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press(*c.number, "enter")
        await pilot.pause()
        assert screen.cart.customer_id == c.id
        await pilot.press("f8")
        await pilot.pause(0.3)
        app.screen.query_one("#cust-results", Table).focus()
        await pilot.press("delete")
        await pilot.pause()
        assert app.screen is screen and screen.cart.customer_id is None


async def test_product_named_like_markup_shows_in_the_cart_as_typed(demo, make_app):
    _open_register()
    p = product("SA-0016")
    Product.update(name_zh=HOSTILE, name_en=HOSTILE).where(Product.id == p.id).execute()
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _start(pilot, app)
        await _scan(pilot, "SA-0016")
        assert _row_text(screen.query_one("#cart", Table), 0)[2] == HOSTILE
        assert HOSTILE in _text(screen.query_one("#message"))


async def test_payment_methods_show_their_keys(demo, make_app):
    _open_register()
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _start(pilot, app)
        await _scan(pilot, "SA-0016")
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, PaymentScreen)
        methods = app.screen.query_one("#methods", OptionList)
        prompts = [str(methods.get_option_at_index(i).prompt) for i in range(methods.option_count)]
        assert prompts[:2] == ["[c] Cash", "[k] Card"]
        # the amount is prefilled with what remains; the first key typed replaces it
        await pilot.press("c")
        await pilot.pause()
        assert app.screen.query_one("#amount").value == "12.50"
        await pilot.press(*"20", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReceiptScreen)


async def test_prefilled_quantity_is_replaced_by_the_first_key(demo, make_app):
    _open_register()
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _start(pilot, app)
        await _scan(pilot, "SA-0016")
        await pilot.press("tab", "q")
        await pilot.pause()
        assert isinstance(app.screen, Prompt)
        await pilot.press("3", "enter")
        await pilot.pause()
        assert app.screen is screen and screen.cart.lines[0].qty == 3  # not 13


async def test_prefilled_discount_is_replaced_and_a_bad_one_shows_beside_the_field(demo, make_app):
    _open_register()
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _start(pilot, app)
        await _scan(pilot, "SA-0016")  # 12.50
        await pilot.press("tab", "d")
        await pilot.pause()
        await pilot.press(*"10%", "enter")
        await pilot.pause()
        assert screen.cart.lines[0].discount_percent == 10
        await pilot.press("d")
        await pilot.pause()
        assert app.screen.query_one("#discount").value == "10%"
        await pilot.press(*"abc", "enter")
        await pilot.pause()
        assert isinstance(app.screen, Prompt)  # refused, beside the field
        assert app.screen.query_one("#field-discount").has_class("-invalid")
        await pilot.press("escape", "d")
        await pilot.pause()
        await pilot.press("2", "enter")
        await pilot.pause()
        assert app.screen is screen
        line = screen.cart.lines[0]
        assert line.discount_percent is None and line.discount == 2


async def test_options_form_enter_moves_and_errors_show_beside_the_field(demo, make_app):
    _open_register()
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _start(pilot, app)
        await _scan(pilot, "SA-0016")
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, OptionsForm)
        await pilot.press("down", "enter")  # deliver; Enter moves to the date
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one("#delivery_date")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one("#field-delivery_date").has_class("-invalid")
        await pilot.press(*"2026-03-09", "ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert screen.cart.options.fulfilment == "deliver" and str(screen.cart.options.delivery_date) == "2026-03-09"


async def test_receipt_and_returns_show_names_as_typed(demo, make_app):
    _open_register()
    actor = _actor()
    c = customer("C0013")
    Customer.update(name=HOSTILE).where(Customer.id == c.id).execute()
    p = product("SA-0016")
    Product.update(name_zh=HOSTILE, name_en=HOSTILE).where(Product.id == p.id).execute()
    sale = sell(actor, ("SA-0016", 1), customer_id=c.id)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        app.push_screen(ReceiptScreen(sale.id, deliver=False))
        await pilot.pause()
        text = _text(app.screen.query_one("#receipt-text"))
        assert HOSTILE in text
        await pilot.press("escape")
        await pilot.press("u")
        await pilot.pause()
        await pilot.press(*checkout_service.label(sale), "enter")
        await pilot.pause()
        assert _row_text(app.screen.query_one("#lines", Table), 0)[1] == HOSTILE


async def test_register_shows_the_openers_name_as_typed(demo, make_app):
    Staff.update(name=HOSTILE).where(Staff.code == "1001").execute()
    _open_register()
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("g")
        await pilot.pause()
        assert HOSTILE in _printed(app.screen.query_one("#register-state"))
