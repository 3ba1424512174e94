"""The quote screen at 80x24 with real keys: scanning, searching a Chinese name, a discount over
authority refused and then approved with a manager's PIN, printing, revisions, the open list."""

from __future__ import annotations

from support import login, type_text
from rich.cells import cell_len

from storepos.i18n import t
from storepos.models import Approval, Quote
from storepos.services import quotes
from storepos.ui.quotes.quote import QuotePrompt, QuoteScreen, RevisionsModal
from storepos.ui.quotes.quote_list import QuoteListScreen
from storepos.ui.kit.approval import ManagerApproval


async def _type(pilot, text: str) -> None:
    await type_text(pilot, text)


async def _open_quote(pilot, app) -> QuoteScreen:
    await login(pilot, "1001", "1111")
    await pilot.press("4")
    await pilot.pause()
    assert isinstance(app.screen, QuoteScreen)
    return app.screen


async def test_quote_built_by_scanning_and_by_chinese_search(demo, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_quote(pilot, app)
        assert screen.quote_id is None  # nothing is written until the first product
        await _type(pilot, "6917674936532")  # a scanner: the code, then Enter
        await pilot.press("enter")
        await _type(pilot, "6917674936532")
        await pilot.press("enter")
        await pilot.pause()
        await _type(pilot, "双头燃气炒灶")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        rows = [(ln.sku, ln.qty) for ln in quotes.lines_of(screen.quote_id)]
        assert rows == [("KC-0001", 2), ("KC-0002", 1)]
        q = Quote.get_by_id(screen.quote_id)
        assert q.total == 2 * 268000 + 428000
        assert "9,640.00" in str(screen.query_one("#quote-totals").render())
        # Single keys on the lines: + adds one, - takes one off.
        await pilot.press("tab")
        await pilot.press("plus")
        await pilot.pause()
        assert [ln.qty for ln in quotes.lines_of(screen.quote_id)] == [2, 2]
        await pilot.press("minus")
        await pilot.pause()
        assert [ln.qty for ln in quotes.lines_of(screen.quote_id)] == [2, 1]
        assert "⟦" not in str(screen.render())


async def test_discount_over_authority_refused_then_approved_with_manager_pin(demo, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_quote(pilot, app)
        await _type(pilot, "KC-0002")
        await pilot.press("enter")
        await pilot.press("tab")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, QuotePrompt)
        await _type(pilot, "8")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert quotes.lines_of(screen.quote_id)[0].discount_pct == 8
        assert str(screen.query_one("#message").render()) == t("quote.over_authority", authority=5)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, ManagerApproval)
        await pilot.press("escape")
        await pilot.pause()
        assert Quote.get_by_id(screen.quote_id).status == "draft"
        assert str(screen.query_one("#message").render()) == t("quote.give_refused", count=1)
        await pilot.press("g")
        await pilot.pause()
        await _type(pilot, "9001")
        await pilot.press("enter")
        await _type(pilot, "1234")  # a wrong PIN is refused
        await pilot.press("enter")
        await _type(pilot, "regular customer")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ManagerApproval)  # the PIN field is cleared and focused
        await _type(pilot, "9999")
        await pilot.press("enter")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        q = Quote.get_by_id(screen.quote_id)
        assert q.status == "given"
        approval = Approval.get_by_id(quotes.lines_of(q.id)[0].approval_id)
        assert (approval.kind, approval.reason) == ("discount", "regular customer")


async def test_printed_quote_fits_40_and_80_columns(demo, make_app, settings):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_quote(pilot, app)
        for code in ("KC-0001", "KC-0002"):
            await _type(pilot, code)
            await pilot.press("enter")
        await pilot.press("tab")
        await pilot.press("o")
        await pilot.press("O")
        await pilot.pause()
        q = Quote.get_by_id(screen.quote_id)
        folder = settings.home / "printouts" / "quote"
        for width in (40, 80):
            text = (folder / f"{q.number}-r1-{width}.txt").read_text(encoding="utf-8")
            assert all(cell_len(line) <= width for line in text.splitlines())
            assert "不锈钢双头燃气炒灶" in text


async def test_revisions_view_and_open_list(demo, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_quote(pilot, app)
        await _type(pilot, "KC-0001")
        await pilot.press("enter")
        await pilot.press("tab")
        await pilot.press("g")
        await pilot.pause()
        assert Quote.get_by_id(screen.quote_id).status == "given"
        await pilot.press("plus")  # negotiating on: revision 2
        await pilot.pause()
        assert Quote.get_by_id(screen.quote_id).revision == 2
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RevisionsModal)
        body = str(app.screen.query_one("#revisions-body").render())
        assert "1 → 2" in body
        await pilot.press("escape")
        await pilot.press("g")
        await pilot.press("escape")  # back to home; nothing lost
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, QuoteListScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuoteScreen) and app.screen.quote_id == screen.quote_id


async def test_checkout_key_on_accepted_quote_is_honest_without_checkout(demo, make_app):
    from storepos.ui.kit import areas

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_quote(pilot, app)
        await _type(pilot, "KC-0001")
        await pilot.press("enter")
        await pilot.press("tab")
        await pilot.press("g")
        await pilot.press("a")
        await pilot.pause()
        assert Quote.get_by_id(screen.quote_id).status == "accepted"
        await pilot.press("k")
        await pilot.pause()
        if "checkout" not in areas.AREAS:
            assert app.screen is screen
            assert str(screen.query_one("#message").render()).strip()


async def test_starting_a_quote_passes_the_checklist_gate(demo, make_app, manager_actor):
    from storepos.services.core.store import update_settings

    update_settings(manager_actor, {"checklist_gate": "block"})
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, ManagerApproval)  # no checklist submitted today
        await _type(pilot, "9001")
        await pilot.press("enter")
        await _type(pilot, "9999")
        await pilot.press("enter")
        await pilot.press("enter")  # the suggested reason
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuoteScreen)
        await _type(pilot, "KC-0001")
        await pilot.press("enter")
        await pilot.pause()
        gate = Approval.get(Approval.kind == "checklist_gate")
        assert (gate.entity, gate.entity_id) == ("quote", str(screen.quote_id))


async def test_open_list_filter_shows_drafts_too(demo, staff_actor, make_app):
    # The move to one package per area left OPEN_STATUSES out of the quotes API, so pressing f
    # on the open list raised AttributeError instead of showing every open quote.
    draft = quotes.create(staff_actor)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuoteListScreen)
        assert draft.id not in screen._ids  # the given ones first
        await pilot.press("f")
        await pilot.pause()
        assert app.screen is screen
        assert draft.id in screen._ids
        assert t("quote.list_all") in str(screen.query_one("#quote-list-filter").render())
