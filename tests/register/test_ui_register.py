"""The register screen by keys at 80x24: open with a float, close by counting; F12 switches the
language of its labels and keeps what was typed."""

from __future__ import annotations

from io import StringIO

from rich.console import Console
from support import login, until

from storepos.models import RegisterSession
from storepos.ui.register.register import RegisterScreen


async def open_register(pilot) -> None:
    """Log in as 1001 and open the register (g on home)."""
    await login(pilot, "1001", "1111")
    await pilot.press("g")
    assert await until(pilot, lambda: isinstance(pilot.app.screen, RegisterScreen))


def _printed(widget) -> str:
    console = Console(file=StringIO(), width=120)
    console.print(widget.content)
    return console.file.getvalue()


async def test_open_then_close_by_keys_and_switch_language(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_register(pilot)
        await pilot.press(*"500", "enter")
        await pilot.pause()
        assert "Opening float" in _printed(app.screen.query_one("#register-state"))
        await pilot.press("5")  # five ¥100 notes
        await pilot.press("f12")
        await pilot.pause()
        assert "备用金" in _printed(app.screen.query_one("#register-state"))
        assert app.screen.query_one("#d_100").value == "5"
        assert app.screen.focused is app.screen.query_one("#d_100")
        await pilot.press("ctrl+s")
        await pilot.pause()
    session = RegisterSession.get()
    assert session.open_terminal is None and session.counted == 50000 and session.difference == 0


async def test_payments_taken_on_carts_no_sale_consumed_are_listed_at_close(demo, make_app, staff_actor):
    from decimal import Decimal

    from support.checkout import open_till, product

    from storepos.models import AuditLog
    from storepos.services import checkout

    open_till(staff_actor)
    cart = checkout.start_cart(staff_actor, lines=[{"product_id": product("SA-0016").id, "qty": 5}])
    cart.add_payment("card", Decimal("50.00"), reference="[/b]C-77")
    checkout.save_draft(cart, "T1")
    checkout.park_cart(cart, "T1", label="张三")
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_register(pilot)
        pending = _printed(app.screen.query_one("#register-pending"))
        assert "Taken, not in a sale: 1 payment(s), ¥50.00" in pending
        assert "Card ¥50.00" in pending and "[/b]C-77" in pending and "parked cart 张三" in pending
        await pilot.press("f12")
        await pilot.pause()
        assert "已收款但未成交" in _printed(app.screen.query_one("#register-pending"))
        await pilot.press("5", "ctrl+s")  # five ¥100 notes, the float: closed, the payment still listed
        await pilot.pause()
        assert "已收款但未成交" in _printed(app.screen.query_one("#register-pending"))
    assert [p.reference for p in checkout.payments_not_in_sale(staff_actor.store_id, "T1")] == ["[/b]C-77"]
    row = AuditLog.select().where(AuditLog.action == "register.close").order_by(AuditLog.id.desc()).first()
    assert row.after["not_in_sale"] == [{"cart": cart.uuid, "method": "card", "amount": "50.00",
                                         "reference": "[/b]C-77"}]


async def test_an_implausible_float_is_refused_beside_its_field_and_kept_as_typed(demo, make_app):
    from storepos.services import register

    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_register(pilot)
        await pilot.press(*"1,000,000,000", "enter")  # a slip: twelve characters and more
        field = app.screen.query_one("#field-float_amount")
        assert await until(pilot, lambda: str(field.query_one(".field-error").render()).strip())
        assert "100,000,000" not in str(field.query_one(".field-error").render())
        assert app.screen.query_one("#float_amount").value == "1,000,000,000"  # nothing cut
        assert register.current_session(app.actor.store_id, "T1") is None  # nothing opened
        app.screen.query_one("#float_amount").value = ""
        await pilot.press(*"500", "enter")
        assert await until(pilot, lambda: register.current_session(app.actor.store_id, "T1") is not None)
        assert register.current_session(app.actor.store_id, "T1").float_amount == 50000
        assert app.screen.query_one("#float_amount").value == ""  # emptied once opened


async def test_close_register_key_is_offered_only_while_the_register_is_open(demo, make_app):
    from storepos.ui.kit.chrome import KeyFooter

    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_register(pilot)

        def footer() -> str:
            return str(app.screen.query_one(KeyFooter).render())

        assert "Close register" not in footer()
        assert "ctrl+s" not in app.screen.active_bindings
        await pilot.press("ctrl+s")  # nothing to close: nothing happens
        await pilot.press(*"500", "enter")
        await pilot.pause()
        assert app.screen.active_bindings["ctrl+s"].enabled
        assert "Close register" in footer()
