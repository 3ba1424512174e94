"""Catalog: browse and search products as you type; managers add and edit them (audited);
units can be moved to the defective location; import/export from here (F5/F6)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Checkbox, DataTable, Input, Select, Static

from storepos import clock
from storepos.i18n import pick, t
from storepos.money import fmt
from storepos.services import catalog
from storepos.services.catalog import ProductHit
from storepos.services.core.errors import DomainError
from storepos.services.core.permissions import can
from storepos.ui.kit.screen import StoreposModal, StoreposScreen
from storepos.ui.kit.form import FormField


class ProductForm(StoreposModal):
    """Add (product_id None) or edit a product; dismissed with True when saved."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel"), Binding("ctrl+s", "save", "key.save")]

    def __init__(self, product_id: int | None = None) -> None:
        super().__init__()
        self.product_id = product_id

    def compose(self) -> ComposeResult:
        v: dict[str, Any] = {}
        if self.product_id is not None:
            v = catalog.product_view(catalog.get_product(self.actor.store_id, self.product_id))
        cats = [(f"{c.code} · {pick(c.name_zh, c.name_en)}", c.code) for c in catalog.categories(self.actor.store_id)]
        with Vertical(classes="modal-box", id="product-form"):
            yield Static(t("catalog.edit_title" if v else "catalog.add_title"), classes="title")
            with VerticalScroll(id="product-fields"):
                yield FormField("catalog.sku", Input(v.get("sku", ""), id="sku", max_length=40), name="sku")
                yield FormField("catalog.barcode", Input(v.get("barcode", ""), id="barcode", max_length=40),
                                name="barcode")
                yield FormField("catalog.extra_barcodes",
                                Input("|".join(v.get("extra_barcodes", [])), id="extra_barcodes"),
                                name="extra_barcodes")
                yield FormField("catalog.name_zh", Input(v.get("name_zh", ""), id="name_zh", max_length=200),
                                name="name_zh")
                yield FormField("catalog.name_en", Input(v.get("name_en", ""), id="name_en", max_length=200),
                                name="name_en")
                yield FormField("catalog.category", Select(cats, value=v.get("category") or Select.BLANK,
                                                           id="category", prompt=t("catalog.no_category")),
                                name="category")
                yield FormField("catalog.unit", Input(v.get("unit", "个"), id="unit", max_length=10), name="unit")
                yield FormField("catalog.price", Input(v.get("price", ""), id="price", max_length=16), name="price")
                yield FormField("catalog.floor_price", Input(v.get("floor_price", ""), id="floor_price",
                                                             max_length=16), name="floor_price")
                yield FormField("catalog.active", Checkbox(t("catalog.active_on"), v.get("active", True),
                                                           id="active"), name="active")
            yield Static("", id="message")
            yield Static(t("catalog.form_hint"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#sku", Input).focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        idx = inputs.index(event.input)
        if idx + 1 < len(inputs):
            inputs[idx + 1].focus()
        else:
            self.action_save()

    def data(self) -> dict[str, Any]:
        cat = self.query_one("#category", Select).value
        out: dict[str, Any] = {k: self.query_one(f"#{k}", Input).value for k in
                               ("sku", "barcode", "extra_barcodes", "name_zh", "name_en", "unit", "price",
                                "floor_price")}
        out["category"] = cat if isinstance(cat, str) else ""
        out["active"] = self.query_one("#active", Checkbox).value
        return out

    def action_save(self) -> None:
        self.clear_errors()
        try:
            if self.product_id is None:
                catalog.create_product(self.actor, self.data())
            else:
                catalog.update_product(self.actor, self.product_id, self.data())
        except DomainError as exc:
            self.show_error(exc)
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class DefectiveForm(StoreposModal):
    """Move units of one product to the defective location (不合格品库) with a reason."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel")]

    def __init__(self, hit: ProductHit) -> None:
        super().__init__()
        self.hit = hit

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="defective-form"):
            yield Static(t("catalog.defective_title"), classes="title")
            yield Static(t("catalog.defective_what", sku=self.hit.sku, name=self.hit.name, stock=self.hit.stock,
                           defective=self.hit.defective), classes="hint")
            yield FormField("catalog.qty", Input("1", id="qty", type="integer", max_length=7), name="qty")
            yield FormField("catalog.reason", Input(id="reason", max_length=200), name="reason")
            yield Static("", id="message")

    def on_mount(self) -> None:
        self.query_one("#qty", Input).focus()

    @on(Input.Submitted, "#qty")
    def _qty(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    def _save(self) -> None:
        self.clear_errors()
        try:
            catalog.move_to_defective(self.actor, self.hit.id, self.query_one("#qty", Input).value,
                                      self.query_one("#reason", Input).value)
        except DomainError as exc:
            self.show_error(exc)
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class CatalogScreen(StoreposScreen):
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("f7", "add", "catalog.key_add"),
        Binding("f8", "edit", "key.edit"),
        Binding("f9", "defective", "catalog.key_defective"),
        Binding("f5", "import", "catalog.key_import"),
        Binding("f6", "export", "catalog.key_export"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._hits: list[ProductHit] = []

    def compose_body(self) -> ComposeResult:
        yield Static(t("catalog.title"), classes="title", id="catalog-title")
        yield Input(placeholder=t("catalog.search_placeholder"), id="catalog-search")
        yield DataTable(id="catalog-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="message")

    def on_mount(self) -> None:
        self._columns()
        self.load("")
        self.query_one("#catalog-search", Input).focus()

    def _columns(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column(t("catalog.sku"), key="sku")
        table.add_column(t("catalog.name"), key="name", width=20)
        table.add_column(t("catalog.unit"), key="unit")
        table.add_column(Text(t("catalog.price"), justify="right"), key="price")
        table.add_column(Text(t("catalog.stock"), justify="right"), key="stock")
        table.add_column(Text(t("catalog.defective"), justify="right"), key="defective")
        table.add_column(t("catalog.status"), key="status")

    @on(Input.Changed, "#catalog-search")
    def _changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(exclusive=True, thread=True, group="catalog-search")
    def _search(self, text: str) -> None:
        hits = catalog.browse(self.actor.store_id, text, limit=200)
        self.app.call_from_thread(self._apply, text, hits)

    def _apply(self, text: str, hits: list[ProductHit]) -> None:
        if self.query_one("#catalog-search", Input).value != text:
            return
        self.show_hits(hits)
        if text.strip() and not hits:
            self.say(t("picker.no_match", query=text), error=True)
        else:
            self.say("")

    def load(self, text: str) -> None:
        self.show_hits(catalog.browse(self.actor.store_id, text, limit=200))

    def show_hits(self, hits: list[ProductHit]) -> None:
        self._hits = hits
        table = self.query_one(DataTable)
        table.clear()
        for h in hits:
            table.add_row(h.sku, h.name, h.unit, Text(fmt(h.price), justify="right"),
                          Text(str(h.stock), justify="right"), Text(str(h.defective or ""), justify="right"),
                          t("catalog.active_on") if h.active else t("catalog.inactive"), key=str(h.id))

    def key_down(self) -> None:
        if self.query_one("#catalog-search", Input).has_focus and self._hits:
            self.query_one(DataTable).focus()

    @on(Input.Submitted, "#catalog-search")
    def _submitted(self) -> None:
        if self._hits:
            self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_edit()

    def current(self) -> ProductHit | None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        if not self._hits or row is None or row >= len(self._hits):
            return None
        return self._hits[row]

    def _refresh(self, saved: Any = True) -> None:
        if saved:
            self.say(t("catalog.saved"))
        self.load(self.query_one("#catalog-search", Input).value)

    def _allowed(self, action: str) -> bool:
        if can(self.actor, action):
            return True
        self.say(t("err.permission_denied", action=action), error=True)
        return False

    def action_back(self) -> None:
        search = self.query_one("#catalog-search", Input)
        if search.value:
            search.value = ""
            search.focus()
        else:
            self.app.pop_screen()

    def action_add(self) -> None:
        if self._allowed("catalog.edit"):
            self.app.push_screen(ProductForm(), self._refresh)

    def action_edit(self) -> None:
        hit = self.current()
        if hit is not None and self._allowed("catalog.edit"):
            self.app.push_screen(ProductForm(hit.id), self._refresh)

    def action_defective(self) -> None:
        hit = self.current()
        if hit is not None and self._allowed("stock.defective"):
            self.app.push_screen(DefectiveForm(hit), self._refresh)

    def action_import(self) -> None:
        if self._allowed("catalog.import"):
            from storepos.ui.catalog.products_import import ImportScreen

            self.app.push_screen(ImportScreen(), lambda _: self._refresh(False))

    def action_export(self) -> None:
        if not self._allowed("catalog.export"):
            return
        folder = self.sapp.settings.home / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"products-{clock.now():%Y%m%d-%H%M%S}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            n = catalog.export_products(self.actor.store_id, fh)
        self.say(t("catalog.exported", count=n, path=str(path)))

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        return [(t("catalog.key_add"), "", self.action_add), (t("catalog.key_import"), "", self.action_import),
                (t("catalog.key_export"), "", self.action_export)]

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#catalog-title", Static).update(t("catalog.title"))
        self._columns()
        self.show_hits(self._hits)
