"""Fast typing lands where it was typed: a burst (typist or scanner speed, Enter inside it) into a
form of several fields puts each value in its own field and moves on once per Enter."""

from __future__ import annotations

from decimal import Decimal

from support import login, type_text, until

from storepos.models import Product
from storepos.services import checkout, register, visits
from storepos.ui.checkout.checkout import CheckoutScreen
from storepos.ui.checkout.payment import PaymentScreen
from storepos.ui.visits.screen import VisitScreen


async def test_a_burst_into_the_needs_form_fills_each_field_in_turn(demo, make_app):
    app = make_app(lang="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f2", "2", "a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, VisitScreen) and screen.step == "needs"
        await type_text(pilot, "大号\r2\r12000\r三个月内\r餐厅\r")
        data = screen.needs_data()
        assert (data["spec"], data["quantity"], data["budget"], data["delivery_time"], data["use"]) == (
            "大号", "2", "12000", "三个月内", "餐厅")
        assert data["notes"] == ""  # one Enter, one field: the last one moved on to notes, no further
        assert screen.focused.id == "need-notes"


async def test_a_burst_in_the_payment_dialog_takes_the_typed_amount_once(demo, make_app, staff_actor):
    register.open_session(staff_actor, "500.00")
    product = Product.select().where(Product.active == True, Product.stock > 5, Product.price > 1000).first()
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        await type_text(pilot, product.barcode + "\r")  # a scan
        await pilot.press("f10")
        assert await until(pilot, lambda: isinstance(app.screen, PaymentScreen))
        await type_text(pilot, "k5\r")  # card, ¥5, Enter: one payment of 5, the dialog stays
        kept = checkout.load_draft(staff_actor.store_id, "T1")
        assert [(p.method, p.amount) for p in kept.payments] == [("card", Decimal("5.00"))]
        assert isinstance(app.screen, PaymentScreen)


async def test_a_visit_burst_leaves_no_key_behind(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        await type_text(pilot, "2a")  # signal and all greetings as fast as typed
        assert screen.step == "needs"
        v = visits.get(app.actor.store_id, screen.visit_id)
        assert v.signal is not None and len(v.greeting) == len(visits.greeting_standards())
