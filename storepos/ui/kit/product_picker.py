"""Scan or search a product: one input for a scanner (code + Enter) and search-as-you-type.

Enter with an exact barcode/SKU picks it at once, synchronously, so a scanner's back-to-back
codes all land, in order.  Otherwise the search results (Chinese or English fragments, SKU) show
below; Enter picks the highlighted one, ↓ moves into the list.  Posts ProductPicker.Picked.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from storepos.i18n import t
from storepos.money import fmt
from storepos.services import catalog
from storepos.services.catalog import ProductHit


class ScanInput(Input):
    """An Input that takes Enter in order with the characters around it.

    A scanner sends "code\\r" bursts.  Input's Enter binding runs only after the key event has
    bubbled to the app, by which time the next code's characters are already in the box; here
    Enter is handled in the Input's own key queue: the text so far is taken and the box emptied
    at once, so the next code starts clean."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            value = self.value
            with self.prevent(Input.Changed):  # the results shown still belong to *value*
                self.value = ""
            self.post_message(self.Submitted(self, value))
            return
        await super()._on_key(event)


class ProductPicker(Vertical):
    DEFAULT_CSS = """
    ProductPicker { height: auto; }
    ProductPicker #picker-results { height: auto; max-height: 10; display: none; }
    ProductPicker.-open #picker-results { display: block; }
    ProductPicker #picker-note { height: auto; color: $text-muted; padding-left: 1; }
    ProductPicker #picker-note.-error { color: $error; }
    """
    BINDINGS = [Binding("escape", "close", "key.close_results", show=False)]

    @dataclass
    class Picked(Message):
        picker: ProductPicker
        product: ProductHit

        @property
        def control(self) -> ProductPicker:
            return self.picker

    def __init__(self, store_id: int, *, placeholder_key: str = "picker.placeholder",
                 include_inactive: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store_id = store_id
        self.placeholder_key = placeholder_key
        self.include_inactive = include_inactive
        self._hits: list[ProductHit] = []

    def compose(self) -> ComposeResult:
        yield ScanInput(placeholder=t(self.placeholder_key), id="picker-input")
        yield DataTable(id="picker-results", cursor_type="row", show_header=True)
        yield Static("", id="picker-note")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(t("picker.col_sku"), key="sku")
        table.add_column(t("picker.col_name"), key="name")
        table.add_column(t("picker.col_price"), key="price")
        table.add_column(t("picker.col_stock"), key="stock")

    @property
    def input(self) -> Input:
        return self.query_one("#picker-input", Input)

    def focus_input(self) -> None:
        self.input.focus()

    def note(self, text: str, *, error: bool = False) -> None:
        note = self.query_one("#picker-note", Static)
        note.update(Text(text))
        note.set_class(error, "-error")

    @on(Input.Changed, "#picker-input")
    def _changed(self, event: Input.Changed) -> None:
        text = event.value
        if not text.strip():
            self._show([])
            return
        self._search(text)

    @work(exclusive=True, thread=True, group="product-search")
    def _search(self, text: str) -> None:
        hits = catalog.search(self.store_id, text, limit=30, include_inactive=self.include_inactive)
        self.app.call_from_thread(self._apply, text, hits)

    def _apply(self, text: str, hits: list[ProductHit]) -> None:
        if self.input.value != text:
            return  # typed on since; a newer search is running
        self._show(hits)
        if not hits:
            self.note(t("picker.no_match", query=text), error=True)
        else:
            self.note(t("picker.hint"))

    def _show(self, hits: list[ProductHit]) -> None:
        self._hits = hits
        table = self.query_one(DataTable)
        table.clear()
        for h in hits:
            name = h.name if h.active else f"{h.name} ({t('picker.inactive')})"
            table.add_row(h.sku, name, fmt(h.price), str(h.stock), key=str(h.id))
        self.set_class(bool(hits), "-open")
        if not hits:
            self.note("")

    @on(Input.Submitted, "#picker-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            return
        exact = catalog.find_by_code(self.store_id, text, include_inactive=self.include_inactive)
        if exact is not None:
            self._pick(exact, clear=False)  # ScanInput already emptied the box for the next code
            return
        if not self.input.value:
            with self.input.prevent(Input.Changed):
                self.input.value = event.value  # not a code: give the typed text back
        hits = self._hits if self._hits else catalog.search(
            self.store_id, text, limit=30, include_inactive=self.include_inactive)
        if len(hits) == 1 or (hits and self.has_class("-open")):
            table = self.query_one(DataTable)
            row = table.cursor_row if table.cursor_row is not None and table.cursor_row < len(hits) else 0
            self._pick(hits[row])
        else:
            self._show(hits)
            if not hits:
                self.note(t("picker.no_match", query=text), error=True)

    def key_down(self) -> None:
        if self._hits and self.input.has_focus:
            self.query_one(DataTable).focus()

    @on(DataTable.RowSelected, "#picker-results")
    def _row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        idx = event.cursor_row
        if 0 <= idx < len(self._hits):
            self._pick(self._hits[idx])

    def _pick(self, hit: ProductHit, *, clear: bool = True) -> None:
        if clear:
            self.input.value = ""
        self._show([])
        self.note("")
        self.post_message(self.Picked(self, hit))
        self.input.focus()

    def action_close(self) -> None:
        if self.has_class("-open"):
            self._show([])
            self.input.focus()
        else:
            self.screen.action_back() if hasattr(self.screen, "action_back") else self.app.pop_screen()  # type: ignore[attr-defined]
