"""The catalog area on the kit, as a manager meets it at 80x24 with real keys: a new product (F7)
and a product with no category can be saved, names/SKUs/categories show exactly as typed (no
MarkupError), a prefilled quantity gives way to the first key, a CSV row with markup is shown as
text, and the list loads through one service call."""

from __future__ import annotations

from support import login, type_text
from textual.widgets import Static

from storepos.models import Category, Product, Store
from storepos.services import catalog
from storepos.ui.catalog.catalog import CatalogScreen, DefectiveForm, ProductForm
from storepos.ui.catalog.products_import import ImportScreen
from storepos.ui.catalog.receiving import LineForm, ReceivingScreen
from storepos.ui.catalog.stock_count import StockCountScreen


def _message(app) -> str:
    return str(app.screen.query_one("#message", Static).render())


def _row_text(screen: CatalogScreen) -> list[str]:
    table = screen.table
    return [str(c) for c in table.get_row_at(table.cursor_row)]


async def _catalog(pilot, app) -> CatalogScreen:
    await login(pilot, "9001", "9999")
    await pilot.press("p")
    await pilot.pause()
    assert isinstance(app.screen, CatalogScreen)
    return app.screen


async def _search(pilot, app, text: str) -> None:
    await type_text(pilot, text)
    await pilot.pause(0.2)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_f7_new_product_saves_and_the_cursor_lands_on_it(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _catalog(pilot, app)
        await pilot.press("f7")  # crashed: InvalidSelectValueError (Select.BLANK is False)
        await pilot.pause()
        assert isinstance(app.screen, ProductForm)
        await type_text(pilot, "AA-0001")
        await pilot.press("enter", "enter", "enter")  # barcode, more barcodes: none
        await type_text(pilot, "新品")
        await pilot.press("enter")
        await type_text(pilot, "[red]x [/b]")
        await pilot.press("enter", "enter", "enter")  # category: none; unit: the prefilled 个
        await type_text(pilot, "12.50")
        await pilot.press("enter", "enter", "enter")  # floor price: the price; on sale; saves
        await pilot.pause()
        assert app.screen is screen, _message(app)
        assert screen.current is not None and screen.current.sku == "AA-0001"
        assert "AA-0001 [red]x [/b]" in _message(app)
        assert _row_text(screen)[:2] == ["AA-0001", "[red]x [/b]"]
    p = Product.get(Product.sku == "AA-0001")
    assert (p.name_zh, p.name_en, p.category_id, p.unit, p.price, p.floor_price) == \
        ("新品", "[red]x [/b]", None, "个", 1250, 1250)


async def test_editing_a_product_without_category(demo, make_app, manager_actor):
    pid = catalog.create_product(manager_actor, {"sku": "NOCAT-1", "name_zh": "无类别商品", "price": "5"})
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _catalog(pilot, app)
        await _search(pilot, app, "NOCAT-1")
        await pilot.press("down", "f8")  # crashed as F7 did: the blank category
        await pilot.pause()
        assert isinstance(app.screen, ProductForm)
        assert "NOCAT-1" in str(app.screen.query_one("#form-title", Static).render())
        app.screen.widget("price").focus()
        await pilot.pause()
        await type_text(pilot, "7")  # the prefilled price gives way to the first key
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen, _message(app)
        assert screen.current.id == pid
        assert "NOCAT-1" in _message(app)
    p = Product.get_by_id(pid)
    assert (p.price, p.floor_price, p.category_id) == (700, 500, None)


async def test_markup_in_names_skus_and_categories_shows_as_typed(demo, make_app, manager_actor):
    store = Store.get()
    Category.create(store=store, code="x[b]", name_zh="[/bold]类", name_en="[/bold]cat")
    pid = catalog.create_product(manager_actor, {"sku": "MK-1", "name_zh": "[/bold]x", "name_en": "[/bold]x",
                                                 "category": "x[b]", "price": "3"})
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _catalog(pilot, app)  # crashed: MarkupError
        await _search(pilot, app, "MK-1")
        await pilot.press("down")
        assert screen.current.id == pid
        assert _row_text(screen)[:2] == ["MK-1", "[/bold]x"]
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ProductForm)
        assert "MK-1 [/bold]x" in str(app.screen.query_one("#form-title", Static).render())
        assert app.screen.widget("category").value == "x[b]"
        await pilot.press("escape", "f9")
        await pilot.pause()
        assert isinstance(app.screen, DefectiveForm)
        assert "[/bold]x" in str(app.screen.query_one("#form-intro", Static).render())
        await pilot.press("escape", "escape", "escape")
        await pilot.pause()
        await pilot.press("k")  # the stock count shows the name as typed too
        await pilot.pause()
        assert isinstance(app.screen, StockCountScreen)
        await type_text(pilot, "MK-1")
        await pilot.press("enter")
        await pilot.pause()
        assert "[/bold]x" in str(app.screen.query_one("#count-product", Static).render())


async def test_receiving_prefilled_quantity_is_replaced_by_the_first_key(demo, make_app):
    p = Product.get(Product.sku == "KC-0002")
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "9001", "9999")
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReceivingScreen)
        await type_text(pilot, p.barcode)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, LineForm)
        await type_text(pilot, "5")  # over the prefilled 1: 5, not 15
        await pilot.press("enter")
        await type_text(pilot, "B[/b]1")
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert app.screen is screen, _message(app)
        assert [(ln.qty, ln.batch) for ln in screen.lines] == [(5, "B[/b]1")]
        table = screen.table
        assert [str(c) for c in table.get_row_at(0)][2:4] == ["5", "B[/b]1"]
        assert "KC-0002" in _message(app)


async def test_import_rows_with_markup_are_shown_as_text(demo, make_app, tmp_path):
    path = tmp_path / "markup.csv"
    path.write_text("sku,name_zh,price\n[/bold]x,名字,1\nMK-2,[red]名,abc[/b]\n", encoding="utf-8")
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await _catalog(pilot, app)
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        await type_text(pilot, str(path))
        await pilot.press("enter")
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.table
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert [r[:2] for r in rows] == [["2", "[/bold]x"], ["3", "MK-2"]]
        assert "[/bold]x" in rows[0][2] and "abc[/b]" in rows[1][2]
        assert "2 row(s) rejected" in _message(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CatalogScreen)
    assert not Product.select().where(Product.sku == "MK-2").exists()


async def test_the_list_loads_through_one_service_call(demo, make_app, monkeypatch):
    calls: list[str] = []
    browse = catalog.browse

    def counted(store_id, query="", **kw):
        calls.append(query)
        return browse(store_id, query, **kw)

    monkeypatch.setattr(catalog, "browse", counted)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _catalog(pilot, app)
        assert len(screen.rows) == 200
        assert calls == [""]  # one query for the whole list, not one per row nor a second on showing
        await pilot.press("f8")  # a form and back: the list is read again, once
        await pilot.pause()
        assert isinstance(app.screen, ProductForm)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert calls == ["", ""]


async def test_saving_an_unchanged_product_says_nothing_changed(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _catalog(pilot, app)
        first = screen.current
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen and screen.current.id == first.id
        assert _message(app) == f"Nothing changed: {first.sku} {first.name}."
