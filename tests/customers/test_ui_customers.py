"""The customers area as staff use it at 80x24: names show exactly as typed (markup-looking
names included) in the list, the page, the form and the visit; the cursor stays on the customer
acted on and results name them."""

from __future__ import annotations

import pytest
from support import login, type_text
from textual.widgets import Input, Static

from storepos.services import customers, visits
from storepos.ui.customers.customers import CustomerForm, CustomerScreen, CustomersScreen
from storepos.ui.kit.pickers import CustomerPicker
from storepos.ui.kit.table import Table
from storepos.ui.visits.visit import VisitScreen, VisitsScreen

NAMES = ["[/b]x", "[red]x", "[/bold]甲"]


def _text(widget) -> str:
    return str(widget.render())


def _cells(table: Table) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def _add(actor, name: str, phone: str):
    return customers.create(actor, {"name": name, "phone": phone}, confirm_duplicate=True)


async def _customers(pilot, app) -> CustomersScreen:
    await login(pilot)
    await pilot.press("c")
    await pilot.pause()
    assert isinstance(app.screen, CustomersScreen)
    return app.screen


@pytest.mark.parametrize("name", NAMES)
async def test_markup_names_show_as_typed_in_list_page_and_form(demo, make_app, staff_actor, name):
    c = _add(staff_actor, name, "13711112222")
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _customers(pilot, app)
        await type_text(pilot, "13711112222")
        await pilot.pause()
        assert [r[:3] for r in _cells(screen.table)] == [[c.number, name, "13711112222"]]
        await pilot.press("enter")
        await pilot.pause()
        page = app.screen
        assert isinstance(page, CustomerScreen)
        assert name in _text(page.query_one("#cust-title", Static))
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CustomerForm)
        assert name in _text(form.query_one("#form-title", Static))
        assert form.query_one("#name", Input).value == name
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is page
        assert f"{name} ({c.number})" in _text(page.query_one("#message", Static))


async def test_edit_from_the_list_keeps_the_cursor_and_names_the_customer(demo, make_app, staff_actor):
    first = _add(staff_actor, "[red]x 一", "13711112221")
    second = _add(staff_actor, "[red]x 二", "13711112222")
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _customers(pilot, app)
        await type_text(pilot, "1371111222")
        await pilot.pause()
        assert [r[1] for r in _cells(screen.table)] == ["[red]x 一", "[red]x 二"]
        await pilot.press("down", "down")  # into the list, onto the second one
        assert screen.current.id == second.id
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CustomerForm)
        form.query_one("#notes", Input).focus()
        await type_text(pilot, "回头客")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert screen.current.id == second.id  # not back on the first row
        assert "[red]x 二 (" in _text(screen.query_one("#message", Static))
    assert customers.get(staff_actor.store_id, second.id).notes == "回头客"
    assert customers.get(staff_actor.store_id, first.id).notes == ""


async def test_search_says_when_nothing_matches(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _customers(pilot, app)
        await type_text(pilot, "[/b]没有")
        await pilot.pause()
        assert screen.table.row_count == 0
        assert "[/b]没有" in _text(screen.query_one("#list-empty", Static))


async def test_new_customer_prefilled_name_is_replaced_by_typing_and_errors_sit_beside(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _customers(pilot, app)
        await type_text(pilot, "赵")
        await pilot.press("ctrl+n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CustomerForm)
        name = form.query_one("#name", Input)
        assert name.value == "赵" and name.has_focus
        await type_text(pilot, "[/b]赵丽")  # the suggested name gives way to the first key
        assert name.value == "[/b]赵丽"
        await pilot.press("enter")
        await type_text(pilot, "1234567")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "11 digits" in _text(form.query_one("#field-phone .field-error", Static))
        phone = form.query_one("#phone", Input)
        assert phone.has_focus and phone.value == "1234567"
        phone.value = "13600001111"
        await pilot.press("ctrl+s")
        await pilot.pause()
        page = app.screen
        assert isinstance(page, CustomerScreen)
        assert "[/b]赵丽" in _text(page.query_one("#cust-title", Static))
        assert "Added [/b]赵丽 (C0015)" in _text(page.query_one("#message", Static))
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.current is not None


@pytest.mark.parametrize("name", NAMES)
async def test_visit_and_todays_visits_show_the_customer_as_typed(demo, make_app, staff_actor, name):
    c = _add(staff_actor, name, "13711112222")
    v = visits.start(staff_actor)
    visits.attach_customer(staff_actor, v.id, c.id)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        await pilot.press("v")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, VisitsScreen)
        assert _cells(screen.table)[0][2] == name
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, VisitScreen)
        assert f"{name} ({c.number}" in _text(app.screen.query_one("#visit-head", Static))
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.current.id == v.id


async def _visit_picker(pilot, app):
    """Log in, start a visit (F2) and open its customer picker (F6); returns the visit screen."""
    await login(pilot)
    await pilot.press("f2")
    await pilot.pause()
    screen = app.screen
    await pilot.press("f6")
    await pilot.pause()
    assert isinstance(app.screen, CustomerPicker)
    return screen


async def test_visit_picks_a_markup_named_customer_with_the_kit_picker(demo, make_app, staff_actor):
    c = _add(staff_actor, "[/b]x 钱", "13711112222")
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _visit_picker(pilot, app)
        await type_text(pilot, "[/b]x")
        await pilot.pause(0.3)
        assert "[/b]x 钱" in [r[1] for r in _cells(app.screen.query_one("#cust-results", Table))]
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert visits.get(staff_actor.store_id, screen.visit_id).customer_id == c.id
        assert "[/b]x 钱" in _text(screen.query_one("#visit-head", Static))
        assert "[/b]x 钱 (C0015)" in _text(screen.query_one("#message", Static))
        await pilot.press("f6")
        await type_text(pilot, "[/b]x")
        await pilot.pause(0.3)
        await pilot.press("down", "delete")  # no customer after all (Delete from the results)
        await pilot.pause()
        assert app.screen is screen
        assert visits.get(staff_actor.store_id, screen.visit_id).customer_id is None
        assert "no longer" in _text(screen.query_one("#message", Static))


async def test_history_rows_show_as_typed(demo, make_app, staff_actor, monkeypatch):
    c = _add(staff_actor, "[red]x", "13711112222")
    v = visits.start(staff_actor)
    visits.attach_customer(staff_actor, v.id, c.id)
    real = customers.history

    def with_a_quote(store_id, customer_id):  # another area's row naming a product as typed
        rows = list(real(store_id, customer_id))
        return rows + [customers.HistoryRow(rows[0].at, "quotes", "Q0001 [/b]Pot [red]x ¥1.00", 1)]

    monkeypatch.setattr(customers, "history", with_a_quote)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _customers(pilot, app)
        await type_text(pilot, "13711112222")
        await pilot.press("enter")
        await pilot.pause()
        page = app.screen
        assert isinstance(page, CustomerScreen)
        rows = _cells(page.query_one("#cust-history", Table))
        assert [r[1] for r in rows] == ["visit", "quote"]
        assert rows[1][2] == "Q0001 [/b]Pot [red]x ¥1.00"


async def test_delete_in_the_search_box_deletes_a_character_then_chooses_no_customer(demo, make_app, staff_actor):
    _add(staff_actor, "[/b]x 钱", "13733334444")
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _visit_picker(pilot, app)
        box = app.screen.query_one(Input)
        await type_text(pilot, "ab")
        await pilot.press("home", "delete")  # text right of the cursor: Delete deletes it
        assert box.value == "b" and isinstance(app.screen, CustomerPicker)
        await pilot.press("delete", "delete")  # the box empty: Delete means "no customer"
        await pilot.pause()
        assert app.screen is screen
        assert visits.get(staff_actor.store_id, screen.visit_id).customer_id is None


async def test_a_burst_into_the_new_customer_form_lands_field_by_field(demo, make_app):
    app = make_app(lang="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await _customers(pilot, app)
        await pilot.press("ctrl+n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CustomerForm)
        await type_text(pilot, "钱多多\r13600002222\r")  # as fast as a typist: Enter moves on once each
        assert form.query_one("#name", Input).value == "钱多多"
        assert form.query_one("#phone", Input).value == "13600002222"
        assert not form.query_one("#address", Input).value
