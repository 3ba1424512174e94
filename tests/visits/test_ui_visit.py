"""The visit screen as staff use it: all by keys, F2 from anywhere, customers found and added."""

from __future__ import annotations

from support import login, type_text
from textual.widgets import Input, Static

from storepos.models import Customer, Product, Visit
from storepos.ui.customers.customers import CustomerForm
from storepos.ui.home.home import HomeScreen
from storepos.ui.kit import areas
from storepos.ui.kit.pickers import CustomerPicker
from storepos.ui.visits.visit import VisitScreen, VisitsScreen


async def _type(pilot, text: str) -> None:
    await type_text(pilot, text)


async def test_whole_visit_by_keys(demo, make_app, fixed_clock):
    product = Product.select().where(Product.sku == "CW-0004").get()
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, VisitScreen)
        screen = app.screen
        await pilot.press("2")  # touches a product
        fixed_clock.advance(seconds=20)
        await pilot.press("n", "m", "w", "enter")  # greeting standards, then on to needs
        await pilot.pause()
        assert screen.step == "needs"
        for value in ("商用双头灶", "2", "12000", "三个月内", "餐厅"):
            await _type(pilot, value)
            await pilot.press("enter")
            await pilot.pause()
        await pilot.press("tab")  # from notes into the product picker
        await _type(pilot, "CW-0004")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("tab")  # needs done
        await pilot.pause()
        assert screen.step == "outcome"
        await pilot.press("l")  # left: pick the reason by number
        await pilot.pause()
        assert "price" in str(screen.query_one("#outcome-list", Static).render()).lower()
        await pilot.press("1")
        await pilot.pause()
        assert screen.step == "done"
        v = Visit.get()
        assert (v.signal, v.greeting, v.outcome, v.leave_reason) == (
            "touches_product", ["nod", "smile", "greeting_words"], "left", "price_too_high")
        assert v.needs == {"spec": "商用双头灶", "quantity": 2, "delivery_time": "三个月内", "use": "餐厅"}
        assert v.budget == 1200000 and v.skipped == [] and v.status == "closed"
        from storepos.services import visits
        assert visits.product_ids(v.id) == [product.id]
        assert visits.seconds_to_approach(v) == 20
        summary = str(screen.query_one("#done-summary", Static).render())
        assert "Price too high" in summary and "20 s" in summary
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_skip_and_back_keep_input(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("2")  # home key 2 = new visit
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, VisitScreen)
        await pilot.press("ctrl+right")  # skip the signal
        await pilot.press("e", "enter")
        await pilot.pause()
        await _type(pilot, "大号")
        await pilot.press("escape")  # back to the greeting, nothing lost
        await pilot.pause()
        assert screen.step == "greeting"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one("#need-spec", Input).value == "大号"
        await pilot.press("ctrl+right")  # skip needs
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        v = Visit.get()
        assert v.skipped == ["signal", "needs"] and v.outcome == "browsing"
        assert v.needs == {"spec": "大号"}  # the valid draft was kept
        assert "Signal" in str(screen.query_one("#done-summary", Static).render())


async def test_wants_quote_without_quote_area_says_so(demo, make_app, monkeypatch):
    monkeypatch.delitem(areas.AREAS, "quote", raising=False)  # a terminal without quoting
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("8", "enter")
        await pilot.pause()
        await pilot.press("ctrl+right")
        await pilot.press("q")
        await pilot.pause()
        assert "quote" not in areas.AREAS
        assert isinstance(app.screen, VisitScreen)
        assert "not set up" in str(app.screen.query_one("#message", Static).render())
        assert Visit.get().outcome == "wants_quote"


async def test_wants_quote_opens_the_quote_area_with_the_visit(demo, make_app, monkeypatch):
    opened = []
    monkeypatch.setitem(areas.AREAS, "quote", areas.Area(
        id="quote", label="area.visit", step="quote", open=lambda app: opened.append(app.journey.take("quote"))))
    if True:
        app = make_app(lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot)
            await pilot.press("f2")
            await pilot.pause()
            await pilot.press("1", "enter", "ctrl+right", "q")
            await pilot.pause()
        v = Visit.get()
        assert opened and opened[0].visit_id == v.id and opened[0].outcome == "wants_quote"


async def test_come_back_asks_for_a_date(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("ctrl+right", "ctrl+right", "ctrl+right", "r")
        await pilot.pause()
        date = app.screen.query_one("#come-back", Input)
        assert date.has_focus and date.value == "2026-03-03"
        date.value = ""
        await _type(pilot, "2026-03-01")
        await pilot.press("enter")
        await pilot.pause()
        err = str(app.screen.query_one("#field-come_back_date .field-error", Static).render())
        assert "already passed" in err
        date.value = ""
        await _type(pilot, "+7")
        await pilot.press("enter")
        await pilot.pause()
        v = Visit.get()
        assert v.outcome == "come_back" and str(v.come_back_date) == "2026-03-09"


async def test_customer_found_by_chinese_name_fragment(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("3")
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, CustomerPicker)
        await _type(pilot, "香楼")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, VisitScreen)
        assert Visit.get().customer.number == "C0007"
        assert "粤香楼" in str(app.screen.query_one("#visit-head", Static).render())
        assert app.screen.step == "greeting" and Visit.get().signal == "looks_then_raises_head"


async def test_bad_phone_refused_beside_field_and_visit_kept(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("1", "n", "enter")
        await pilot.pause()
        await _type(pilot, "四门冰箱")
        await pilot.press("f6")
        await pilot.pause()
        await _type(pilot, "赵丽")
        await pilot.press("ctrl+n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CustomerForm)
        assert form.query_one("#name", Input).value == "赵丽"
        form.query_one("#phone", Input).focus()
        await _type(pilot, "1234567")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        err = str(form.query_one("#field-phone .field-error", Static).render())
        assert "11 digits" in err
        assert form.query_one("#name", Input).value == "赵丽"
        assert not Customer.select().where(Customer.name == "赵丽").exists()
        form.query_one("#phone", Input).value = "136 0000 1111"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, VisitScreen)
        c = Customer.get(Customer.name == "赵丽")
        assert c.phone == "13600001111" and c.number == "C0015"
        v = Visit.get()
        assert v.customer_id == c.id and v.signal == "gazes_long" and v.greeting == ["nod"]
        assert app.screen.query_one("#need-spec", Input).value == "四门冰箱"


async def test_duplicate_customer_warns_then_confirms(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot)
        await pilot.press("c")  # customers area
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        form = app.screen
        await _type(pilot, "张伟")
        form.query_one("#phone", Input).value = "13900001111"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "C0001" in str(form.query_one("#field-name .field-error", Static).render())
        assert Customer.select().count() == 14
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Customer.select().count() == 15


async def test_credit_fields_disabled_for_staff(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.query_one("#credit_limit", Input).disabled


async def test_todays_visits_reopen_where_it_stopped(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("4", "enter")  # at the needs step now
        await pilot.pause()
        await pilot.press("f2")  # another customer: a new visit takes the screen
        await pilot.pause()
        await pilot.press("escape")  # empty: discarded
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, VisitsScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, VisitScreen) and app.screen.step == "needs"
        assert Visit.select().count() == 1


async def test_needs_enter_walks_into_products_and_errors_sit_beside_fields(demo, make_app):
    from storepos.ui.kit.form import FormField

    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("2")
        await pilot.pause()
        screen = app.screen
        await pilot.press("ctrl+right", "e", "enter")  # skip the signal, greeting done
        await pilot.pause()
        assert screen.step == "needs"
        await pilot.press("enter")  # spec empty is fine
        await _type(pilot, "1.5")
        await pilot.press("enter")
        await pilot.pause()
        qty = screen.query_one("#field-quantity", FormField)
        assert qty.has_class("-invalid") and "whole number" in str(qty.query_one(".field-error", Static).render())
        assert app.focused is screen.query_one("#need-quantity", Input)
        await pilot.press("backspace", "backspace", "backspace", "３", "enter")  # fixed: the message goes
        await pilot.pause()
        assert not qty.has_class("-invalid") and str(qty.query_one(".field-error", Static).render()) == ""
        assert app.focused is screen.query_one("#need-budget", Input)
        for _ in range(4):  # budget, delivery, use, notes
            await pilot.press("enter")
            await pilot.pause()
        assert screen.step == "needs"  # Enter on Notes does not end the step ...
        assert app.focused is screen.query_one("#picker-input", Input)  # ... it moves to Products shown
        await pilot.press("tab")
        await pilot.pause()
        assert screen.step == "outcome" and Visit.get().needs == {"quantity": 3}


async def test_new_customer_form_keeps_typed_values_after_esc(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f6", "ctrl+n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CustomerForm)
        await _type(pilot, "赵丽")
        form.query_one("#address", Input).value = "解放路 1 号"
        await pilot.press("escape")  # back to the picker: nothing saved, nothing lost
        await pilot.pause()
        assert isinstance(app.screen, CustomerPicker)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, VisitScreen)
        await pilot.press("f6", "ctrl+n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CustomerForm)
        assert form.query_one("#name", Input).value == "赵丽"
        assert form.query_one("#address", Input).value == "解放路 1 号"
        assert not Customer.select().where(Customer.name == "赵丽").exists()


async def test_come_back_suggested_date_is_replaced_by_the_first_key(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("ctrl+right", "ctrl+right", "ctrl+right", "r")
        await pilot.pause()
        date = app.screen.query_one("#come-back", Input)
        assert date.has_focus and date.value == "2026-03-03"
        await _type(pilot, "+7")  # typed over the suggestion, not appended to it
        assert date.value == "+7"
        await pilot.press("enter")
        await pilot.pause()
        v = Visit.get()
        assert v.outcome == "come_back" and str(v.come_back_date) == "2026-03-09"


async def test_reopened_needs_keep_what_was_typed(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("ctrl+right", "e", "enter")
        await pilot.pause()
        await _type(pilot, "大号")
        await pilot.press("escape", "enter")  # back to the greeting and on again
        await pilot.pause()
        spec = app.screen.query_one("#need-spec", Input)
        assert spec.has_focus and spec.value == "大号"
        await _type(pilot, "锅")  # what the user typed is edited, never replaced
        assert spec.value == "大号锅"
