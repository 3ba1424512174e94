"""Catalog: browse and search products as you type; managers add and edit them (audited);
units can be moved to the defective location; import/export from here (F5/F6).

The product list is a kit ListScreen (names, SKUs and categories shown exactly as typed); the
cursor stays on the product acted on and every result names it.  The list is one service call
(``catalog.browse``), searched in a worker as you type.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from storepos import clock, private
from storepos.i18n import pick, t
from storepos.services import catalog
from storepos.services.catalog import ProductHit
from storepos.services.core.permissions import can, refusal
from storepos.ui.kit.fields import Field
from storepos.ui.kit.form import FormModal
from storepos.ui.kit.inputs import KitInput
from storepos.ui.kit.lists import Column, ListScreen
from storepos.ui.kit.text import money, number, safe

LIMIT = 200

# The permission each key of the list needs: a key the user may not use is hidden from the footer
# and the palette, and pressing it says who may (the kit's ScreenMixin.NEEDS).
NEEDS = {"add": "catalog.edit", "edit": "catalog.edit", "defective": "stock.defective",
         "import": "catalog.import", "export": "catalog.export"}


def product_name(sku: str, name: str) -> str:
    """A product as results and titles name it: "KC-0001 Coffee machine"."""
    return t("catalog.who", sku=sku, name=name)


@dataclass(frozen=True)
class Saved:
    """A product form's result: the product saved and how to name it."""

    id: int
    name: str
    changed: bool = True


class ProductForm(FormModal[Saved]):
    """Add (product_id None) or edit a product; dismissed with the product saved."""

    HINT_KEY = "catalog.form_hint"

    def __init__(self, product_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.product_id = product_id
        self.view: dict[str, Any] = {}

    def form_title(self) -> str | Text:
        if self.product_id is None:
            return t("catalog.add_title")
        v = self.current()
        return t("catalog.edit_title_of", name=product_name(v["sku"], pick(v["name_zh"], v["name_en"])))

    def current(self) -> dict[str, Any]:
        if self.product_id is not None and not self.view:
            self.view = catalog.product_view(catalog.get_product(self.actor.store_id, self.product_id))
        return self.view

    def fields(self) -> Sequence[Field]:
        v = self.current()
        # "No category" is an option of its own (value ""): Select.BLANK is False in this Textual
        # and a Select refuses it as a value.
        cats: list[tuple[Any, Any]] = [(t("catalog.no_category"), "")]
        # A category by its name in the user's language (its code when it has none).
        cats += [(pick(c.name_zh, c.name_en) or c.code, c.code) for c in catalog.categories(self.actor.store_id)]
        return [
            Field("sku", "catalog.sku", value=v.get("sku", ""), max_length=40),
            Field("barcode", "catalog.barcode", value=v.get("barcode", ""), max_length=40),
            Field("extra_barcodes", "catalog.extra_barcodes", value="|".join(v.get("extra_barcodes", []))),
            Field("name_zh", "catalog.name_zh", value=v.get("name_zh", ""), max_length=200),
            Field("name_en", "catalog.name_en", value=v.get("name_en", ""), max_length=200),
            Field("category", "catalog.category", value=v.get("category") or "", options=cats),
            Field("unit", "catalog.unit", value=v.get("unit", "个"), max_length=10),
            Field("price", "catalog.price", value=v.get("price", ""), max_length=16),
            Field("floor_price", "catalog.floor_price", value=v.get("floor_price", ""), max_length=16),
            Field("active", "catalog.active", value=v.get("active", True), check="catalog.active_on"),
        ]

    def save(self, values: dict[str, Any]) -> Saved:
        data = {k: values.get(k) or "" for k in ("sku", "barcode", "extra_barcodes", "name_zh", "name_en",
                                                 "category", "unit", "price", "floor_price")}
        data["active"] = bool(values.get("active"))
        changed = True
        if self.product_id is None:
            pid = catalog.create_product(self.actor, data)
        else:
            changed = catalog.update_product(self.actor, self.product_id, data)
            pid = self.product_id
        v = catalog.product_view(catalog.get_product(self.actor.store_id, pid))
        return Saved(pid, product_name(v["sku"], pick(v["name_zh"], v["name_en"])), changed)


class DefectiveForm(FormModal[Saved]):
    """Move units of one product to the defective location (不合格品库) with a reason."""

    def __init__(self, hit: ProductHit, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.hit = hit

    def form_title(self) -> str | Text:
        return t("catalog.defective_title")

    def intro(self) -> str | Text | None:
        h = self.hit
        return t("catalog.defective_what", sku=h.sku, name=h.name, stock=h.stock, defective=h.defective)

    def fields(self) -> Sequence[Field]:
        return [
            Field("qty", "catalog.qty", value="1", max_length=7),
            Field("reason", "catalog.reason", max_length=200),
        ]

    def save(self, values: dict[str, Any]) -> Saved:
        catalog.move_to_defective(self.actor, self.hit.id, values.get("qty") or "", values.get("reason") or "")
        return Saved(self.hit.id, product_name(self.hit.sku, self.hit.name))


class CatalogScreen(ListScreen[ProductHit]):
    TITLE_KEY = "catalog.title"
    EMPTY_KEY = "catalog.none"
    COLUMNS = (
        Column("sku", "catalog.sku"),
        Column("name", "catalog.name", width=20),
        Column("unit", "catalog.unit"),
        Column("price", "catalog.price", justify="right"),
        Column("stock", "catalog.stock", justify="right"),
        Column("defective", "catalog.defective", justify="right"),
        Column("status", "catalog.status"),
    )
    NEEDS = NEEDS
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
        self._found: list[ProductHit] | None = None  # the search worker's rows, shown by the next reload
        self.drafts: dict[Any, dict[str, Any]] = {}

    # -- the list ------------------------------------------------------------------------------

    def compose_above(self) -> ComposeResult:
        yield KitInput(placeholder=t("catalog.search_placeholder"), id="catalog-search")

    @property
    def search_box(self) -> Input:
        return self.query_one("#catalog-search", Input)

    @property
    def _hits(self) -> list[ProductHit]:
        return self.rows

    def columns(self) -> Sequence[Column]:
        # The product name takes the width the other columns leave (20 at 80 columns).
        width = max(20, self.app.size.width - 60)
        return tuple(replace(c, width=width) if c.key == "name" else c for c in self.COLUMNS)

    def load_rows(self) -> Sequence[ProductHit]:
        found, self._found = self._found, None
        if found is not None:
            return found
        text = self.search_box.value if self.query("#catalog-search") else ""
        return catalog.browse(self.actor.store_id, text, limit=LIMIT)

    def row_key(self, row: ProductHit) -> str:
        return str(row.id)

    def row_name(self, row: ProductHit) -> str:
        return product_name(row.sku, row.name)

    def row_cells(self, row: ProductHit) -> Sequence[object]:
        status = safe(t("catalog.active_on")) if row.active else safe(t("catalog.inactive"), style="dim")
        return (row.sku, row.name, row.unit, money(row.price), number(row.stock), number(row.defective or ""),
                status)

    def open_row(self, row: ProductHit) -> None:
        if can(self.actor, NEEDS["edit"]):
            self.action_edit()

    def on_mount(self) -> None:
        # (ListScreen.on_mount fills the list and focuses the table after this: the search box
        # gets the focus once that is done.)
        self.call_after_refresh(self.search_box.focus)

    # -- search as you type --------------------------------------------------------------------

    @on(Input.Changed, "#catalog-search")
    def _changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(exclusive=True, thread=True, group="catalog-search")
    def _search(self, text: str) -> None:
        hits = catalog.browse(self.actor.store_id, text, limit=LIMIT)
        self.app.call_from_thread(self._apply, text, hits)

    def _apply(self, text: str, hits: list[ProductHit]) -> None:
        if not self.is_attached or self.search_box.value != text:
            return
        self._found = hits
        self.reload()
        if text.strip() and not hits:
            self.say(t("picker.no_match", query=text), error=True)
        else:
            self.say("")

    def key_down(self) -> None:
        if self.search_box.has_focus and self.rows:
            self.table.focus()

    @on(Input.Submitted, "#catalog-search")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.rows:
            self.table.focus()

    # -- actions -------------------------------------------------------------------------------

    def _allowed(self, action: str) -> bool:
        if can(self.actor, action):
            return True
        self.say(refusal(action).message, error=True)
        return False

    def _after(self, done: str) -> Any:
        def callback(result: Saved | None) -> None:
            if result is None:
                return
            self.reload(keep=str(result.id))
            self.say(t(done if result.changed else "catalog.unchanged", name=result.name))

        return callback

    def action_back(self) -> None:
        if self.search_box.value:
            self.search_box.value = ""
            self.search_box.focus()
        else:
            self.app.pop_screen()

    def action_add(self) -> None:
        if self._allowed("catalog.edit"):
            self.app.push_screen(ProductForm(draft=self.drafts.setdefault("new", {})), self._after("catalog.added"))

    def action_edit(self) -> None:
        hit = self.current
        if hit is None:
            self.say(t("list.no_row"), error=True)
            return
        if self._allowed("catalog.edit"):
            self.app.push_screen(ProductForm(hit.id, draft=self.drafts.setdefault(hit.id, {})),
                                 self._after("catalog.saved_who"))

    def action_defective(self) -> None:
        hit = self.current
        if hit is None:
            self.say(t("list.no_row"), error=True)
            return
        if self._allowed("stock.defective"):
            self.app.push_screen(DefectiveForm(hit), self._after("catalog.defective_done"))

    def action_import(self) -> None:
        if self._allowed("catalog.import"):
            from storepos.ui.catalog.products_import import ImportScreen

            self.app.push_screen(ImportScreen())

    def action_export(self) -> None:
        if not self._allowed("catalog.export"):
            return
        folder = private.make_dir(self.sapp.settings.files_home / "exports")
        path = folder / f"products-{clock.now():%Y%m%d-%H%M%S}.csv"
        with private.open_file(path, "w", encoding="utf-8-sig", newline="") as fh:  # 0600
            n = catalog.export_products(self.actor.store_id, fh)
        self.say(t("catalog.exported", count=n, path=str(path)))

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        return [(t("catalog.key_add"), "", self.action_add), (t("catalog.key_import"), "", self.action_import),
                (t("catalog.key_export"), "", self.action_export)]

    def relabel(self) -> None:
        self.search_box.placeholder = t("catalog.search_placeholder")
        super().relabel()
