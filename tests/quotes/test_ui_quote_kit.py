"""The quotes area on the kit, at 80x24 with real keys: data shown exactly as typed (a customer
named "[/bold]x" crashed the open list), the quantity prompt's prefill replaced by the first key
(3 over 1 gave 13), the customer through the kit's picker, the open list keeping its cursor, the
footer and the palette naming how the customer accepts and how the quote goes to checkout."""

from __future__ import annotations

from support import login
from textual.widgets import Static

from storepos.i18n import t
from storepos.models import Quote
from storepos.services import catalog, customers, quotes
from storepos.ui.kit.pickers import CustomerPicker
from storepos.ui.quotes.quote import QuotePrompt, QuoteScreen, RevisionsModal
from storepos.ui.quotes.quote_list import QuoteListScreen

MARKUP_PRODUCT = "Pot [/b] [red]x"
MARKUP_CUSTOMER = "[/bold]x"


def _screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def _footer(pilot) -> str:
    """The footer's line once it has drawn its keys (it composes them a moment after the screen)."""
    for _ in range(40):
        line = _screen_text(pilot.app).splitlines()[-1]
        if line.strip():
            return line
        await pilot.pause(0.05)
    return line


def _message(app) -> str:
    return str(app.screen.query_one("#message", Static).render())


def _product(manager, name: str = MARKUP_PRODUCT, sku: str = "HX-0001") -> int:
    pid = catalog.create_product(manager, {"sku": sku, "barcode": "", "extra_barcodes": "", "name_zh": name,
                                           "name_en": name, "category": "", "unit": "个", "price": "100.00",
                                           "floor_price": "", "active": True})
    catalog.adjust(manager, pid, 5, "stock")
    return pid


def _customer(manager, name: str = MARKUP_CUSTOMER, phone: str = "13900001111") -> int:
    return customers.create(manager, {"name": name, "phone": phone, "segment": "retail", "address": "",
                                      "notes": ""}, confirm_duplicate=True).id


async def _open_list(pilot, app) -> QuoteListScreen:
    await login(pilot, "1001", "1111")
    await pilot.press("o")
    await pilot.pause()
    assert isinstance(app.screen, QuoteListScreen)
    return app.screen


async def test_open_list_shows_a_markup_customer_as_typed_and_f_does_not_crash(
        demo, make_app, staff_actor, manager_actor):
    given = quotes.create(staff_actor, customer_id=_customer(manager_actor))
    quotes.add_line(staff_actor, given.id, _product(manager_actor), 1)
    quotes.give(staff_actor, given.id)
    draft = quotes.create(staff_actor, customer_id=_customer(manager_actor, "[red]y", "13900002222"))
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_list(pilot, app)
        assert MARKUP_CUSTOMER in _screen_text(app)
        await pilot.press("f")  # given / all: the draft for "[red]y" too
        await pilot.pause()
        assert app.is_running and app.screen is screen
        text = _screen_text(app)
        assert MARKUP_CUSTOMER in text and "[red]y" in text
        assert draft.id in screen._ids
        assert t("quote.list_all") in text


async def test_quantity_prompt_replaces_the_prefilled_value_with_the_first_key(demo, make_app, staff_actor):
    q = quotes.create(staff_actor)
    quotes.add_line(staff_actor, q.id, catalog.find_by_code(staff_actor.store_id, "KC-0001").id, 1)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        app.push_screen(QuoteScreen(q.id))
        await pilot.pause()
        await pilot.press("tab", "q")
        await pilot.pause()
        assert isinstance(app.screen, QuotePrompt)
        await pilot.press("3", "enter")  # over the prefilled 1: 3, not 13
        await pilot.pause()
        assert isinstance(app.screen, QuoteScreen)
        assert [ln.qty for ln in quotes.lines_of(q.id)] == [3]
        # A refused value stays beside the field, as typed, and Esc leaves the quantity alone.
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("x", "enter")
        await pilot.pause()
        assert isinstance(app.screen, QuotePrompt)
        assert str(app.screen.query_one(".field-error", Static).render()).strip()
        await pilot.press("escape")
        await pilot.pause()
        assert [ln.qty for ln in quotes.lines_of(q.id)] == [3]


async def test_line_and_revisions_show_markup_product_names_as_typed(demo, make_app, staff_actor, manager_actor):
    pid = _product(manager_actor)
    q = quotes.create(staff_actor, customer_id=_customer(manager_actor))
    quotes.add_line(staff_actor, q.id, pid, 1)
    quotes.give(staff_actor, q.id)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        app.push_screen(QuoteScreen(q.id))
        await pilot.pause()
        text = _screen_text(app)
        assert MARKUP_PRODUCT in text  # the line table (a product named "[red]x" is not eaten)
        assert MARKUP_CUSTOMER in text  # the head
        await pilot.press("plus")  # revision 2
        await pilot.pause()
        assert Quote.get_by_id(q.id).revision == 2
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RevisionsModal)
        body = str(app.screen.query_one("#revisions-body").render())
        assert MARKUP_PRODUCT in body and "1 → 2" in body


async def test_given_quote_footer_shows_accept_and_checkout_at_80_columns(demo, make_app, staff_actor):
    for lang in ("en", "zh_CN"):
        q = quotes.create(staff_actor)
        quotes.add_line(staff_actor, q.id, catalog.find_by_code(staff_actor.store_id, "KC-0001").id, 1)
        quotes.give(staff_actor, q.id)
        app = make_app(lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, "1001", "1111")
            app.push_screen(QuoteScreen(q.id))  # a given quote opens on its lines
            await pilot.pause()
            footer = await _footer(pilot)
            assert f"a {t('quote.key_accept')}" in footer, footer
            assert f"k {t('quote.key_checkout')}" in footer, footer
            await pilot.press("a")
            await pilot.pause()
            assert Quote.get_by_id(q.id).status == "accepted"
            assert t("quote.accepted", number=q.number) == _message(app)


async def test_scanning_footer_names_tab_and_hint_names_accept_and_checkout(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, QuoteScreen)
        assert f"Tab {t('quote.key_to_lines')}" in await _footer(pilot)
        hint = str(app.screen.query_one("#quote-hint").render())
        assert "a " + t("quote.key_accept").lower() in hint.lower() and "k " in hint


async def test_palette_finds_accept_and_checkout_by_name(demo, make_app, staff_actor):
    q = quotes.create(staff_actor)
    quotes.add_line(staff_actor, q.id, catalog.find_by_code(staff_actor.store_id, "KC-0001").id, 1)
    quotes.give(staff_actor, q.id)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        app.push_screen(QuoteScreen(q.id))
        await pilot.pause()
        screen = app.screen
        screen.query_one("#picker-input").focus()  # even while scanning (letters type into the box)
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        for ch in t("quote.key_accept"):
            await pilot.press(ch)
        await pilot.pause(0.3)
        await pilot.pause()
        assert t("quote.key_accept") in _screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen
        assert Quote.get_by_id(q.id).status == "accepted"
        await pilot.press("ctrl+p")
        await pilot.pause()
        for ch in t("quote.key_checkout"):
            await pilot.press(ch)
        await pilot.pause(0.3)
        assert t("quote.key_checkout") in _screen_text(app)


async def test_customer_chosen_with_the_kit_picker_and_shown_as_typed(demo, make_app, manager_actor):
    _customer(manager_actor, MARKUP_CUSTOMER, "13900003333")
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuoteScreen)
        await pilot.press("tab", "c")
        await pilot.pause()
        assert isinstance(app.screen, CustomerPicker)
        for ch in "13900003333":
            await pilot.press(ch)
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert quotes.customer_label(Quote.get_by_id(screen.quote_id)).startswith(MARKUP_CUSTOMER)
        assert MARKUP_CUSTOMER in _screen_text(app)


async def test_open_list_keeps_the_cursor_on_the_quote_opened(demo, make_app, staff_actor):
    ids = []
    for code in ("KC-0001", "KC-0002", "KC-0001"):
        q = quotes.create(staff_actor)
        quotes.add_line(staff_actor, q.id, catalog.find_by_code(staff_actor.store_id, code).id, 1)
        quotes.give(staff_actor, q.id)
        ids.append(q.id)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_list(pilot, app)
        await pilot.press("down", "down")
        target = screen.current.id
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuoteScreen) and app.screen.quote_id == target
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert screen.current.id == target  # not back on the first row
        await pilot.press("f", "f")
        await pilot.pause()
        assert screen.current.id == target


async def test_cancel_names_the_quote_and_asks_why(demo, make_app, staff_actor, manager_actor):
    q = quotes.create(staff_actor, customer_id=_customer(manager_actor))
    quotes.add_line(staff_actor, q.id, catalog.find_by_code(staff_actor.store_id, "KC-0001").id, 1)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        app.push_screen(QuoteScreen(q.id))
        await pilot.pause()
        await pilot.press("tab", "x")
        await pilot.pause()
        assert isinstance(app.screen, QuotePrompt)
        assert q.number in str(app.screen.query_one("#form-title").render())
        assert MARKUP_CUSTOMER in str(app.screen.query_one("#form-intro").render())
        await pilot.press(*"moved")
        await pilot.press("enter")
        await pilot.pause()
        assert Quote.get_by_id(q.id).status == "cancelled"
        assert q.number in _message(app)
