"""A follow-up is reachable before its day, by keys at 80x24: from the sale's receipt (F), from
the customer's page (Enter / D does it now, L moves it, a bad day refused beside the field), and
in the follow-up list's upcoming view (U, shown in the footer)."""

from __future__ import annotations

import datetime as dt

import pytest
from support import login, type_text
from support.checkout import customer, open_till, product, sell

from storepos.models import FollowUp
from storepos.services import quotes
from storepos.ui.aftersales.followups import FollowUpsScreen, MoveForm
from storepos.ui.checkout.receipt import ReceiptScreen
from storepos.ui.customers.customers import CustomerScreen
from storepos.ui.kit.table import Table
from storepos.ui.quotes.quote import QuoteScreen


def _text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def _footer(pilot) -> str:
    """The footer's line once it has drawn its keys (it composes them a moment after the screen)."""
    line = ""
    for _ in range(40):
        line = _text(pilot.app).splitlines()[-1]
        if line.strip():
            return line
        await pilot.pause(0.05)
    return line


def _sale(actor, number="C0001"):
    open_till(actor)
    return sell(actor, ("SA-0001", 1), customer_id=customer(number).id)


async def _page(pilot, app, phone: str) -> CustomerScreen:
    await login(pilot)
    await pilot.press("c")
    await pilot.pause()
    await type_text(pilot, phone)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, CustomerScreen)
    return app.screen


async def _cursor_to(pilot, page: CustomerScreen, kind: str, ref: int) -> None:
    table = page.query_one("#cust-history", Table)
    target = table.row_keys.index(f"{kind}:{ref}")
    while table.cursor_row < target:
        await pilot.press("down")
    while table.cursor_row > target:
        await pilot.press("up")
    assert page.current.kind == kind and page.current.ref == ref


@pytest.mark.parametrize(("lang", "words"), [("en", ("Follow-ups scheduled", "Thank-you call 03-05")),
                                             ("zh_CN", ("已安排回访", "致谢回访 03-05"))])
async def test_the_receipt_lists_the_sales_followups_and_f_does_one_now(demo, make_app, staff_actor,
                                                                       fixed_clock, lang, words):
    sale = _sale(staff_actor)
    app = make_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        app.push_screen(ReceiptScreen(sale.id, deliver=False))
        await pilot.pause()
        text = _text(app)
        assert all(w in text for w in words) and "05-31" in text  # the care reminder, 90 days on
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FollowUpsScreen)
        assert [i.kind for i in screen.items] == ["thanks_call", "survey", "care"]
        assert sale.receipt_no and "T1-000001" in _text(app)
        await pilot.press("r")  # reached three days early: done now
        await pilot.pause()
        assert FollowUp.get(FollowUp.sale == sale.id, FollowUp.kind == "thanks_call").status == "done"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReceiptScreen)
        assert ("(done)" if lang == "en" else "（已完成）") in _text(app)


async def test_the_receipt_of_a_walk_in_sale_lists_no_followups(demo, make_app, staff_actor, fixed_clock):
    open_till(staff_actor)
    sale = sell(staff_actor, ("SA-0001", 1))
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        app.push_screen(ReceiptScreen(sale.id, deliver=False))
        await pilot.pause()
        assert "Follow-ups scheduled" not in _text(app)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ReceiptScreen)
        assert "no follow-ups" in _text(app)


async def test_the_customers_history_opens_the_sale_the_quote_and_the_followup(demo, make_app, staff_actor,
                                                                             fixed_clock):
    c = customer("C0001")
    q = quotes.create(staff_actor, customer_id=c.id)
    quotes.add_line(staff_actor, q.id, product("SA-0001").id, 1)
    fixed_clock.advance(minutes=3)
    sale = _sale(staff_actor)
    survey = FollowUp.get(FollowUp.sale == sale.id, FollowUp.kind == "survey")
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        page = await _page(pilot, app, c.phone)
        table = page.query_one("#cust-history", Table)
        kinds = [k.split(":")[0] for k in table.row_keys]
        assert kinds == ["followups", "followups", "followups", "sales", "quotes"]  # newest first
        await _cursor_to(pilot, page, "sales", sale.id)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReceiptScreen) and app.screen.sale_id == sale.id
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is page
        await _cursor_to(pilot, page, "quotes", q.id)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuoteScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is page
        await _cursor_to(pilot, page, "followups", survey.id)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        assert [i.id for i in app.screen.items] == [survey.id]


@pytest.mark.parametrize(("lang", "error", "footer"), [("en", "day has passed", "d Do it now"),
                                                       ("zh_CN", "已经过去", "d 现在回访")])
async def test_on_a_followup_row_d_does_it_now_and_l_moves_it_refusing_a_bad_day(
        demo, make_app, staff_actor, fixed_clock, lang, error, footer):
    sale = _sale(staff_actor)
    care = FollowUp.get(FollowUp.sale == sale.id, FollowUp.kind == "care")
    app = make_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        page = await _page(pilot, app, customer("C0001").phone)
        assert footer in await _footer(pilot)
        await _cursor_to(pilot, page, "sales", sale.id)
        await pilot.press("l")  # not a follow-up: said so, nothing opens
        await pilot.pause()
        assert app.screen is page
        await _cursor_to(pilot, page, "followups", care.id)
        await pilot.press("l")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MoveForm)
        assert form.query_one("#due").value == "2026-05-31"
        await type_text(pilot, "2026-03-01")  # the first key replaces the prefilled day
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        assert error in str(form.query_one("#field-due .field-error").render())  # beside the field
        form.query_one("#due").value = ""
        await type_text(pilot, "+5")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is page
        assert FollowUp.get_by_id(care.id).due_date == dt.date(2026, 3, 7)
        assert "2026-03-07" in _text(app)  # said, and the history row shows the new day
        assert page.current.ref == care.id  # the cursor stays on it
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        assert [i.id for i in app.screen.items] == [care.id]
        await pilot.press("w")  # wrong number: done with it now, five days early
        await pilot.pause()
        assert FollowUp.get_by_id(care.id).status == "cancelled"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is page
        await pilot.press("l")  # a closed one is not moved
        await pilot.pause()
        assert app.screen is page


@pytest.mark.parametrize(("lang", "key", "title"), [("en", "u Due/upcoming", "My upcoming follow-ups: 3"),
                                                    ("zh_CN", "u 到期/待到期", "我的待到期回访：3")])
async def test_u_switches_the_list_to_upcoming_soonest_first_and_back(demo, make_app, staff_actor, fixed_clock,
                                                                    lang, key, title):
    sale = _sale(staff_actor)
    app = make_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("6")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FollowUpsScreen) and screen.items == []
        assert key in await _footer(pilot)
        await pilot.press("u")
        await pilot.pause()
        assert [(i.kind, i.due_date) for i in screen.items] == [
            ("thanks_call", dt.date(2026, 3, 5)), ("survey", dt.date(2026, 3, 16)), ("care", dt.date(2026, 5, 31))]
        assert title in _text(app)
        await pilot.press("n")  # no answer on an upcoming one: the next try asked as on the due list
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert screen.items == [] and screen.upcoming is False
        assert all(f.status == "open" for f in FollowUp.select().where(FollowUp.sale == sale.id))
