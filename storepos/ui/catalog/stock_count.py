"""Stock count (盘点): scan a product, type the quantity on the shelf, Enter.  The difference to
the book stock is recorded as a count move; above the store's threshold a manager's PIN."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from storepos.i18n import t
from storepos.services import catalog
from storepos.services.catalog import CountCheck, ProductHit
from storepos.services.core.errors import DomainError
from storepos.ui.kit.approval import ManagerApproval
from storepos.ui.kit.fields import FormField
from storepos.ui.kit.inputs import KitInput
from storepos.ui.kit.pickers import ProductPicker
from storepos.ui.kit.screen import StoreposScreen
from storepos.ui.kit.table import Column, Table
from storepos.ui.kit.text import Plain, number

COLUMNS = (
    Column("sku", "catalog.sku"),
    Column("name", "catalog.name", width=24),
    Column("book", "count.book", justify="right"),
    Column("counted", "count.counted", justify="right"),
    Column("diff", "count.diff", justify="right"),
)



def _sized(columns: tuple[Column, ...], screen_width: int) -> tuple[Column, ...]:
    """The product name takes the width the other columns leave (24 at 80 columns)."""
    width = max(24, screen_width - 56)
    return tuple(replace(c, width=width) if c.key == "name" else c for c in columns)


class CountInput(KitInput):
    """The quantity on the shelf: a whole number, so letters typed by mistake do not go in (digits
    of any width do: a Chinese IME types full-width ones; the service reads them)."""

    def insert_text_at_cursor(self, text: str) -> None:
        text = "".join(ch for ch in text if _digit(ch))
        if text:
            super().insert_text_at_cursor(text)

    def replace(self, text: str, start: int, end: int) -> None:
        digits = "".join(ch for ch in text if _digit(ch))
        if text and not digits:
            return  # a letter typed over a selection: nothing happens (Backspace still deletes)
        super().replace(digits, start, end)


def _digit(ch: str) -> bool:
    return unicodedata.category(ch) == "Nd"


class StockCountScreen(StoreposScreen):
    BINDINGS = [Binding("escape", "back", "key.back")]

    def __init__(self) -> None:
        super().__init__()
        self.product: ProductHit | None = None
        self.done: list[CountCheck] = []

    def compose_body(self) -> ComposeResult:
        yield Plain(t("count.title"), classes="title", id="count-title")
        yield ProductPicker(self.actor.store_id, id="count-picker")
        yield Plain(t("count.pick_first"), id="count-product", classes="hint")
        yield FormField("count.counted", CountInput(id="counted", max_length=8), name="counted")
        yield FormField("count.note", KitInput(id="note", max_length=200), name="note")
        yield Table(id="count-done")
        yield Plain("", id="message")

    def on_mount(self) -> None:
        self._columns()
        self.query_one(ProductPicker).focus_input()

    def _columns(self) -> None:
        table = self.query_one("#count-done", Table)
        table.set_columns(_sized(COLUMNS, self.app.size.width))
        # Newest first; names shown exactly as typed.  The cursor goes to the count just recorded.
        n = len(self.done)
        table.fill(((str(n - i), (c.sku, c.name, number(c.stock), number(c.counted),
                                  Text(f"{c.diff:+d}", justify="right", style="bold red" if c.diff else "")))
                    for i, c in enumerate(self.done)), keep=str(n) if n else None)

    @on(ProductPicker.Picked)
    def _picked(self, event: ProductPicker.Picked) -> None:
        self.product = event.product
        self.clear_errors()
        self.query_one("#count-product", Static).update(
            t("count.product", sku=event.product.sku, name=event.product.name, stock=event.product.stock,
              unit=event.product.unit))
        counted = self.query_one("#counted", KitInput)
        counted.prefill("")
        counted.focus()

    @on(Input.Submitted, "#counted")
    def _counted(self) -> None:
        self.query_one("#note", Input).focus()

    @on(Input.Submitted, "#note")
    def _note(self) -> None:
        self.submit()

    def submit(self) -> None:
        self.clear_errors()
        if self.product is None:
            self.say(t("count.pick_first"), error=True)
            self.query_one(ProductPicker).focus_input()
            return
        counted = self.query_one("#counted", Input).value
        try:
            check = catalog.check_count(self.actor, self.product.id, counted)
        except DomainError as exc:
            self.show_error(exc)
            return
        if not check.needs_approval:
            self._record(None)
            return
        why = t("count.why", diff=f"{check.diff:+d}", stock=check.stock, counted=check.counted,
                limit=self._limit())

        def approved(approval: object) -> None:
            if approval is None:
                self.say(t("count.not_approved"), error=True)
                self.query_one("#counted", Input).focus()
                return
            self._record(approval.id)  # type: ignore[attr-defined]

        self.app.push_screen(ManagerApproval("stock_count", why, entity="product", entity_id=check.product_id,
                                             detail={"counted": check.counted, "diff": check.diff,
                                                     "stock": check.stock}), approved)

    def _limit(self) -> int:
        from storepos.services.core.store import get_store, settings_of

        return settings_of(get_store(self.actor.store_id)).count_approval_threshold

    def _record(self, approval_id: int | None) -> None:
        assert self.product is not None
        try:
            result = catalog.record_count(self.actor, self.product.id, self.query_one("#counted", Input).value,
                                          approval_id=approval_id, note=self.query_one("#note", Input).value)
        except DomainError as exc:
            self.show_error(exc)
            return
        self.done.insert(0, result)
        self._columns()
        self.product = None
        self.query_one("#counted", Input).value = ""
        self.query_one("#note", Input).value = ""
        self.query_one("#count-product", Static).update(t("count.pick_first"))
        self.say(t("count.recorded", name=result.name, diff=f"{result.diff:+d}", stock=result.counted))
        self.query_one(ProductPicker).focus_input()

    def action_back(self) -> None:
        self.app.pop_screen()

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#count-title", Static).update(t("count.title"))
        self._columns()
