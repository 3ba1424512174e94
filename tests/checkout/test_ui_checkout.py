"""Checkout by keyboard at 80x24: a scan-speed burst, a cash sale with change, a split payment,
a failed credit check overridden by a manager, a return of one line."""

from __future__ import annotations

from support import login, type_text, until
from support.checkout import customer, product

from storepos.models import Payment, Product, Sale, Store
from storepos.services import register, staff
from storepos.ui.checkout.checkout import CheckoutScreen, PaymentScreen, ReceiptScreen


def _open_till():
    store = Store.get(Store.code == "S001")
    register.open_session(staff.login(store.id, "1001", "1111", "T1"), "500.00")


async def _type(pilot, text: str) -> None:
    await type_text(pilot, text)


async def _scan(pilot, sku: str) -> None:
    """A product's barcode scanned into the cart (the code, Enter), then the app settles."""
    await _type(pilot, product(sku).barcode)
    await pilot.press("enter")
    await pilot.pause()


async def _start(pilot, app):
    await login(pilot, "1001", "1111")
    await pilot.press("f4")
    await pilot.pause()
    assert isinstance(app.screen, CheckoutScreen)


async def test_scan_burst_of_twenty_barcodes_all_land_in_order(demo, make_app, monkeypatch):
    from storepos.services import catalog
    from storepos.services.checkout import load_draft

    searches = []
    real_search = catalog.search
    monkeypatch.setattr(catalog, "search", lambda *a, **k: searches.append(a) or real_search(*a, **k))
    _open_till()
    codes = [p.barcode for p in Product.select().where(Product.active == True, Product.stock > 3)
             .order_by(Product.sku).limit(20)]
    assert len(codes) == 20
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _start(pilot, app)
        for code in codes:
            await _type(pilot, code)
            await pilot.press("enter")  # no pause between codes: scanner speed
        await pilot.pause()
        cart = app.screen.cart
        barcodes = [Product.get_by_id(ln.product_id).barcode for ln in cart.lines]
        assert barcodes == codes
        assert "⟦" not in str(app.screen.render())
        assert app.screen.query_one("#cart").row_count == 20
        await pilot.pause(0.3)  # longer than the pause in typing that starts a search
        assert searches == []  # a scanner's codes start no search as you type: Enter finds each
        kept = load_draft(app.actor.store_id, "T1")
        assert kept is not None and len(kept.lines) == 20  # the record follows the frames


async def test_cash_sale_with_change_by_keys(demo, make_app):
    _open_till()
    app = make_app(lang="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await _start(pilot, app)
        await _type(pilot, product("SA-0016").barcode)
        await pilot.press("enter")
        await pilot.press("tab")  # into the cart lines
        await pilot.press("plus", "plus")  # 3 units: 37.50
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, PaymentScreen)
        await pilot.press("c")
        await pilot.pause()
        await _type(pilot, "50")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReceiptScreen)
        assert "12.50" in str(app.screen.query_one("#change-large").value)
        sale = Sale.get()
        assert sale.total == 3750
        pay = Payment.get(Payment.sale == sale)
        assert (pay.tendered, pay.change) == (5000, 1250)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen) and app.screen.cart.lines == []


async def test_split_payment_card_then_wechat(demo, make_app):
    _open_till()
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _start(pilot, app)
        await _type(pilot, product("SA-0015").barcode)  # 99.00
        await pilot.press("enter", "f9")
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        await _type(pilot, "60")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PaymentScreen)
        await pilot.press("w")  # the rest (39.00) is prefilled
        await pilot.press("enter")
        await _type(pilot, "WX8899")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReceiptScreen)
        sale = Sale.get()
        assert [(p.method, p.amount, p.reference) for p in sale.payments.order_by(Payment.id)] == [
            ("card", 6000, ""), ("wechat", 3900, "WX8899")]


async def test_failed_credit_check_overridden_by_manager(demo, make_app):
    _open_till()
    c = customer("C0013")  # limit 5,000.00
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _start(pilot, app)
        await _type(pilot, "KC-0002")  # 4,280.00
        await pilot.press("enter", "tab", "plus")  # 8,560.00 > limit
        await pilot.press("f8")
        await pilot.pause()
        await _type(pilot, c.number)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.cart.customer_id == c.id
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("o", "enter")  # on account, the whole amount
        from storepos.ui.checkout.checkout import ChecksScreen

        assert await until(pilot, lambda: isinstance(app.screen, ChecksScreen)), app.screen
        text = str(app.screen.query_one("#check-detail").render())
        assert "credit limit" in text and "3,560.00" in text
        await pilot.press("m")
        await pilot.pause()
        await _type(pilot, "9001")
        await pilot.press("enter")
        await _type(pilot, "9999")
        await pilot.press("enter")
        await _type(pilot, "long-standing customer")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChecksScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReceiptScreen)
        sale = Sale.get()
        assert sale.customer_id == c.id and "credit_limit" in sale.approvals


async def test_return_of_one_line(demo, make_app):
    from support.checkout import sell

    _open_till()
    store = Store.get(Store.code == "S001")
    actor = staff.login(store.id, "1001", "1111", "T1")
    sale = sell(actor, ("SA-0016", 2), ("SA-0015", 1))
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("u")
        await pilot.pause()
        await _type(pilot, "T1-000001")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "plus", "f9")  # the second line (SA-0015), one unit
        await pilot.pause()
        assert isinstance(app.screen, ReceiptScreen)
        ret = Sale.get(Sale.kind == "return")
        assert ret.original_id == sale.id and ret.total == -9900
        assert [ln.sku for ln in ret.lines] == ["SA-0015"]


async def test_balance_of_a_deposit_sale_taken_from_the_sale_screen(staff_actor, make_app):
    """A deposit sale's balance is taken later (e.g. on delivery): u, the receipt number, b."""
    import datetime as dt
    from decimal import Decimal as D

    from support.checkout import cart_of, open_till

    from storepos.models import Payment, Sale
    from storepos.services import checkout
    from storepos.services.checkout import PaymentIn

    open_till(staff_actor)
    cart = cart_of(staff_actor, ("KC-0001", 1))  # 2680.00
    cart.options.fulfilment = "deliver"
    cart.options.delivery_date = dt.date(2026, 3, 9)
    cart.options.deposit = True
    sale = checkout.complete_sale(staff_actor, cart, [PaymentIn("card", D("500.00"), reference="C1")])
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("u")
        await pilot.pause()
        await pilot.press(*list(str(sale.receipt_no)), "enter")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        amount = app.screen.query_one("#amount")
        assert amount.value == "2180.00"
        amount.value = ""
        await pilot.press(*list("abc"), "ctrl+s")
        await pilot.pause()
        assert "Not an amount" in str(app.screen.query_one("#field-amount .field-error").render())
        amount.value = ""
        await pilot.press(*list("1000"), "ctrl+s")
        await pilot.pause()
    sale = Sale.get_by_id(sale.id)
    assert (sale.paid, sale.balance_due) == (150000, 118000)
    assert Payment.select().where(Payment.sale == sale.id, Payment.kind == "balance").count() == 1


async def test_new_sale_asks_first_then_parks_and_f11_resumes_the_cart(demo, make_app):
    _open_till()
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _start(pilot, app)
        await _scan(pilot, "SA-0016")
        first = app.screen.cart
        assert len(first.lines) == 1
        await pilot.press("f6")  # a cart with a line: asked, not dropped
        await pilot.pause()
        assert not isinstance(app.screen, CheckoutScreen)
        assert "1 line" in app.screen.question
        await pilot.press("escape")  # keep selling it
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen) and app.screen.cart.uuid == first.uuid
        await pilot.press("f6", "p")  # park it
        await pilot.pause()
        assert app.screen.cart.uuid != first.uuid and app.screen.cart.lines == []
        await _scan(pilot, "SA-0017")  # the next customer's sale
        second = app.screen.cart
        await pilot.press("f11")
        await pilot.pause()
        assert "Parked carts" in app.screen.title_text()
        await pilot.press("enter")  # resume the parked one here
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen) and app.screen.cart.uuid == first.uuid
        # the cart on the counter was parked in its turn, not lost
        from storepos.services import checkout

        assert [p.uuid for p in checkout.parked_carts(app.actor.store_id)] == [second.uuid]


async def test_a_cart_with_a_payment_can_be_parked_but_not_dropped(demo, make_app):
    _open_till()
    app = make_app(lang="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await _start(pilot, app)
        await _scan(pilot, "SA-0016")
        cart = app.screen.cart
        from decimal import Decimal

        cart.add_payment("card", Decimal("1.00"), reference="R1")
        await pilot.press("f6")
        await pilot.pause()
        assert "已收款" in app.screen.question
        await pilot.press("d")  # not offered: nothing happens
        await pilot.pause()
        assert not isinstance(app.screen, CheckoutScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.cart.uuid == cart.uuid and app.screen.cart.payments


async def test_card_and_wechat_references_asked_the_same_way_at_payment_and_for_a_balance(staff_actor, make_app):
    """One reference field in both dialogs; WeChat Pay without its reference is refused beside the
    field in the balance form as at the till, a card's reference may stay empty in both."""
    import datetime as dt
    from decimal import Decimal as D

    from support.checkout import cart_of, open_till

    from storepos.i18n import t
    from storepos.services import checkout
    from storepos.services.checkout import PaymentIn
    from storepos.ui.checkout.returns import BalanceForm

    open_till(staff_actor)
    cart = cart_of(staff_actor, ("KC-0001", 1))  # 2680.00
    cart.options.fulfilment, cart.options.delivery_date, cart.options.deposit = "deliver", dt.date(2026, 3, 9), True
    sale = checkout.complete_sale(staff_actor, cart, [PaymentIn("cash", D("500.00"))])
    app = make_app(lang="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("u")
        await pilot.pause()
        await pilot.press(*list(str(sale.receipt_no)), "enter")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, BalanceForm)
        balance_ref = form.query_one("#reference")
        assert balance_ref.placeholder == t("pay.reference_placeholder") == "微信、支付宝必填 · 刷卡可不填"
        form.query_one("#amount").value = "100"
        form.query_one("#method").value = "wechat"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert t("err.reference_required") in str(form.query_one("#field-reference .field-error").render())
        form.query_one("#method").value = "card"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
        assert Payment.select().where(Payment.sale == sale.id, Payment.kind == "balance").get().method == "card"
    app = make_app(lang="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await _start(pilot, app)
        await _type(pilot, product("SA-0015").barcode)
        await pilot.press("enter", "f9")
        await pilot.pause()
        assert isinstance(app.screen, PaymentScreen)
        pay_ref = app.screen.query_one("#reference")
        assert (pay_ref.placeholder, pay_ref.max_length) == (balance_ref.placeholder, balance_ref.max_length)
        await pilot.press("w", "enter")  # WeChat Pay: Enter on the amount asks for its reference
        await pilot.pause()
        assert app.screen.focused is pay_ref


async def test_paying_with_the_register_closed_offers_to_open_it_right_there(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _start(pilot, app)
        await _type(pilot, product("SA-0016").barcode)
        await pilot.press("enter")
        await pilot.press("f10")
        await pilot.pause()
        assert "closed: open it now?" in str(app.screen.form_title())
        await _type(pilot, "abc")  # not an amount: refused beside the field, nothing opened
        await pilot.press("enter")
        await pilot.pause()
        assert register.current_session(app.actor.store_id, "T1") is None
        assert not isinstance(app.screen, CheckoutScreen)
        await pilot.press("backspace", "backspace", "backspace")
        await _type(pilot, "300")
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, PaymentScreen))
        assert register.current_session(app.actor.store_id, "T1").float_amount == 30000


async def test_on_account_without_a_customer_asks_for_one_right_there(demo, make_app):
    _open_till()
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _start(pilot, app)
        await _type(pilot, product("SA-0016").barcode)
        await pilot.press("enter")
        await pilot.press("f9")
        assert await until(pilot, lambda: isinstance(app.screen, PaymentScreen))
        await pilot.press("o")  # on account, no customer yet: the picker opens here
        await pilot.pause()
        assert not isinstance(app.screen, PaymentScreen)
        regular = customer("C0001")
        await _type(pilot, regular.name)
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, PaymentScreen))
        assert app.screen.cart.customer_id == regular.id and app.screen.method == "account"


async def test_a_customer_handed_to_checkout_on_t1_is_served_at_t2_with_f11(demo, make_app, staff_actor):
    from types import SimpleNamespace

    from support.checkout import accepted_quote

    from storepos.services.journey import Handoff, Journey

    item = product("SA-0016")
    qid = accepted_quote(staff_actor, item.id, 2)
    Journey(store_id=staff_actor.store_id, terminal="T1").hand_over(Handoff.from_quote(
        SimpleNamespace(id=qid, customer_id=None, visit_id=None),
        [{"product_id": item.id, "qty": 2, "unit_price": "12.50", "discount": "0.00"}]))
    app = make_app(lang="zh_CN", terminal="T2")
    async with app.run_test(size=(80, 24)) as pilot:
        await _start(pilot, app)
        await pilot.press("f11")
        await pilot.pause()
        assert "来自 T1" in "\n".join(s.text for s in app.screen._compositor.render_strips())
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, CheckoutScreen))
        cart = app.screen.cart
        assert cart.quote_id == qid and cart.locked and [ln.qty for ln in cart.lines] == [2]
        assert app.journey.state().terminal == "T2"
