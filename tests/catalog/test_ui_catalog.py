"""Catalog, receiving and stock count screens as a user meets them (80x24, real keys)."""

from __future__ import annotations

from support import login, type_text
from textual.widgets import DataTable, Input, Static

from storepos.models import Approval, Product, StockMove
from storepos.ui.catalog.catalog import CatalogScreen, ProductForm
from storepos.ui.catalog.receiving import ReceivingScreen
from storepos.ui.catalog.stock_count import StockCountScreen
from storepos.ui.kit.approval import ManagerApproval


async def _type(pilot, text: str) -> None:
    await type_text(pilot, text)


async def test_receiving_three_items_by_scanning(demo, make_app):
    codes = ["6917674936532", "6961564985025", "6917674936532", "6942849815404"]  # KC-0001 twice
    before = {p.sku: p.stock for p in Product.select().where(Product.sku.in_(["KC-0001", "KC-0002", "KC-0003"]))}
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReceivingScreen)
        for code in codes:  # a scanner: the digits then Enter, no pause between codes
            await _type(pilot, code)
            await pilot.press("enter")
        await pilot.pause()
        lines = [(ln.product.sku, ln.qty) for ln in app.screen.lines]
        assert lines == [("KC-0001", 2), ("KC-0002", 1), ("KC-0003", 1)]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.lines == []
        assert "4" in str(app.screen.query_one("#message", Static).render())  # 4 units (staff reads zh)
    after = {p.sku: p.stock for p in Product.select().where(Product.sku.in_(["KC-0001", "KC-0002", "KC-0003"]))}
    assert {k: after[k] - before[k] for k in after} == {"KC-0001": 2, "KC-0002": 1, "KC-0003": 1}
    assert StockMove.select().where(StockMove.reason == "receive").count() == 3


async def test_stock_count_with_difference_needs_manager_approval(demo, make_app):
    p = Product.get(Product.sku == "KC-0002")
    counted = p.stock + 25  # the store's threshold is 10
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, StockCountScreen)
        await _type(pilot, "KC-0002")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused.id == "counted"
        await _type(pilot, "abc")  # an integer input ignores letters
        await _type(pilot, str(counted))
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ManagerApproval)
        await _type(pilot, "9001")
        await pilot.press("enter")
        await _type(pilot, "9999")
        await pilot.press("enter")
        await _type(pilot, "found a carton")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StockCountScreen)
        assert "+25" in str(app.screen.query_one("#message", Static).render())
        assert app.screen.query_one("#count-done", DataTable).row_count == 1
    assert Product.get_by_id(p.id).stock == counted
    assert Approval.get().kind == "stock_count"


async def test_catalog_search_and_manager_edit_with_error_beside_field(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "9001", "9999")
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, CatalogScreen)
        await _type(pilot, "咖啡机")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.table  # the kit ListScreen's table
        assert table.row_count > 0 and all("咖啡机" in h.name_zh for h in app.screen._hits)
        await pilot.press("down", "f8")
        await pilot.pause()
        assert isinstance(app.screen, ProductForm)
        price = app.screen.query_one("#price", Input)
        name = app.screen.query_one("#name_en", Input)
        name.value = "Renamed coffee machine"
        price.value = "12.345"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProductForm)  # refused, input kept
        err = app.screen.query_one("#field-price .field-error", Static)
        assert "two decimals" in str(err.render())
        assert app.screen.query_one("#name_en", Input).value == "Renamed coffee machine"
        price.value = "99"
        app.screen.query_one("#floor_price", Input).value = "80"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CatalogScreen)
    assert Product.get(Product.name_en == "Renamed coffee machine").price == 9900


async def test_staff_cannot_open_the_product_form(demo, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, CatalogScreen)
        said = str(app.screen.query_one("#message", Static).render())
        assert "catalog.edit" not in said  # the refusal in words, who can (issue 18 point 10)
        assert "只有店长可以新增和修改商品及价格" in said


def _footer_and_palette(app):
    from storepos.ui.app import AreaCommands
    from storepos.ui.kit.chrome import KeyFooter

    footer = str(app.screen.query_one(KeyFooter).render())
    palette = [label for label, _key, _cb in AreaCommands._screen_actions(app, app.screen)]
    return footer, palette


async def _catalog_keys_as(pilot, app, code: str, pin: str) -> tuple[str, list[str]]:
    """Log in as *code*, open the catalog with the focus on its list: its footer and palette."""
    await login(pilot, code, pin)
    await pilot.press("p")
    await pilot.pause()
    assert isinstance(app.screen, CatalogScreen)
    app.screen.query_one(DataTable).focus()
    await pilot.pause()
    return _footer_and_palette(app)


async def test_a_salespersons_catalog_footer_and_palette_hide_the_managers_keys(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(120, 24)) as pilot:
        footer, palette = await _catalog_keys_as(pilot, app, "1001", "1111")
        for label in ("New product", "Import CSV", "Export CSV"):
            assert label not in footer and label not in palette
        assert "To defective" in palette  # staff may set defective units aside: that key stays
        await pilot.press("f5")  # pressed anyway: said in words
        await pilot.pause()
        assert isinstance(app.screen, CatalogScreen)
        assert "Only a manager can import products." in str(app.screen.query_one("#message", Static).render())


async def test_a_managers_catalog_footer_and_palette_show_the_managers_keys(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(120, 24)) as pilot:
        footer, palette = await _catalog_keys_as(pilot, app, "9001", "9999")
        assert "New product" in footer
        assert {"New product", "Import CSV"} <= set(palette)


async def test_leaving_receiving_with_unposted_lines_warns_first(demo, make_app):
    from storepos.models import Product
    from storepos.ui.catalog.receiving import ReceivingScreen

    barcode = Product.select().where(Product.active == True).first().barcode  # noqa: E712
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*list(barcode), "enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReceivingScreen)
        assert "not posted" in str(app.screen.query_one("#message").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReceivingScreen)


async def test_stock_count_footer_names_esc_back_while_the_scan_box_has_the_focus(demo, make_app):
    from storepos.ui.kit.chrome import KeyFooter

    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, StockCountScreen) and isinstance(app.focused, Input)
        footer = str(app.screen.query_one(KeyFooter).render())
        assert "Esc Back" in footer
        await _type(pilot, "KC-00")  # results open: Esc closes them first, and the footer says so
        await pilot.pause(0.5)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StockCountScreen)
        assert "Esc Back" in str(app.screen.query_one(KeyFooter).render())
        await pilot.press("escape")  # the screen's Esc: back home
        await pilot.pause()
        assert not isinstance(app.screen, StockCountScreen)
