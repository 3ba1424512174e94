"""Receiving goods (入库): scan each item (a repeat scan adds one), set quantity, batch and
expiry of a line (F3), then post all lines in one go (Ctrl+S)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from storepos.i18n import t
from storepos.services import catalog
from storepos.services.catalog import ProductHit
from storepos.services.core.errors import DomainError
from storepos.ui.kit.fields import Field, FormField
from storepos.ui.kit.form import FormModal
from storepos.ui.kit.inputs import KitInput
from storepos.ui.kit.pickers import ProductPicker
from storepos.ui.kit.screen import StoreposScreen
from storepos.ui.kit.table import Column, Table
from storepos.ui.kit.text import Plain, number

COLUMNS = (
    Column("sku", "catalog.sku"),
    Column("name", "catalog.name", width=26),
    Column("qty", "receive.qty", justify="right"),
    Column("batch", "receive.batch"),
    Column("expiry", "receive.expiry"),
)



def _sized(columns: tuple[Column, ...], screen_width: int) -> tuple[Column, ...]:
    """The product name takes the width the other columns leave (26 at 80 columns)."""
    width = max(26, screen_width - 54)
    return tuple(replace(c, width=width) if c.key == "name" else c for c in columns)


@dataclass
class Line:
    product: ProductHit
    qty: int = 1
    batch: str = ""
    expiry: str = ""

    def data(self) -> dict[str, Any]:
        return {"product_id": self.product.id, "qty": self.qty, "batch": self.batch, "expiry": self.expiry}


class LineForm(FormModal[Line]):
    """Quantity, batch code and expiry date of one received line; dismissed with the Line.  The
    prefilled quantity is replaced by the first key typed."""

    HINT_KEY = "receive.line_hint"

    def __init__(self, line: Line, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.line = line

    def form_title(self) -> str | Text:
        return t("catalog.who", sku=self.line.product.sku, name=self.line.product.name)

    def fields(self) -> list[Field]:
        ln = self.line
        return [
            Field("qty", "receive.qty", value=str(ln.qty), max_length=7),
            Field("batch", "receive.batch", value=ln.batch, max_length=40),
            Field("expiry", "receive.expiry", value=ln.expiry, placeholder="receive.expiry_placeholder",
                  max_length=10),
        ]

    def save(self, values: dict[str, Any]) -> Line:
        data = {"product_id": self.line.product.id, "qty": values.get("qty") or "",
                "batch": values.get("batch") or "", "expiry": values.get("expiry") or ""}
        clean = catalog.parse_receive_line(self.actor, data)
        return Line(self.line.product, clean.qty, clean.batch, clean.expiry.isoformat() if clean.expiry else "")


class ReceivingScreen(StoreposScreen):
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("f7", "edit_line", "receive.key_line"),
        Binding("f8", "remove_line", "receive.key_remove"),
        Binding("ctrl+s", "post", "receive.key_post"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[Line] = []

    def compose_body(self) -> ComposeResult:
        yield Plain(t("receive.title"), classes="title", id="receive-title")
        yield FormField("receive.ref", KitInput(id="ref", max_length=120, placeholder=t("receive.ref_placeholder")),
                        name="ref")
        yield ProductPicker(self.actor.store_id, id="receive-picker")
        yield Table(id="receive-lines")
        yield Plain("", id="message")

    @property
    def table(self) -> Table:
        return self.query_one("#receive-lines", Table)

    def on_mount(self) -> None:
        self._columns()
        self.query_one(ProductPicker).focus_input()

    def _columns(self) -> None:
        self.table.set_columns(_sized(COLUMNS, self.app.size.width))
        self._show()

    def _show(self, row: int | None = None) -> None:
        """The lines (names shown exactly as typed); the cursor on line *row* (default: where it was)."""
        keep = str(row) if row is not None else None
        self.table.fill(((str(i), (ln.product.sku, ln.product.name, number(ln.qty), ln.batch, ln.expiry))
                         for i, ln in enumerate(self.lines)), keep=keep)

    @on(Input.Submitted, "#ref")
    def _ref_done(self) -> None:
        self.query_one(ProductPicker).focus_input()

    @on(ProductPicker.Picked)
    def _picked(self, event: ProductPicker.Picked) -> None:
        hit = event.product
        for i, ln in enumerate(self.lines):
            if ln.product.id == hit.id and not ln.batch and not ln.expiry:
                ln.qty += 1
                self._show(i)
                break
        else:
            self.lines.append(Line(hit))
            self._show(len(self.lines) - 1)
        units = sum(ln.qty for ln in self.lines)
        self.say(t("receive.scanned", name=hit.name, lines=len(self.lines), units=units))

    def _current(self) -> int | None:
        row = self.table.cursor_row
        return row if self.lines and row is not None and row < len(self.lines) else None

    @on(DataTable.RowSelected, "#receive-lines")
    def _row(self) -> None:
        self.action_edit_line()

    def action_edit_line(self) -> None:
        idx = self._current()
        if idx is None:
            return

        def done(line: Line | None) -> None:
            if line is not None:
                self.lines[idx] = line
                self._show(idx)
                self.say(t("receive.line_saved", name=t("catalog.who", sku=line.product.sku,
                                                         name=line.product.name), qty=line.qty))
            self.query_one(ProductPicker).focus_input()

        self.app.push_screen(LineForm(self.lines[idx]), done)

    def action_remove_line(self) -> None:
        idx = self._current()
        if idx is None:
            self.say(t("list.no_row"), error=True)
            return
        gone = self.lines.pop(idx)
        self._show(min(idx, len(self.lines) - 1) if self.lines else None)
        self.say(t("receive.removed", name=t("catalog.who", sku=gone.product.sku, name=gone.product.name)))

    def action_post(self) -> None:
        self.clear_errors()
        if not self.lines:
            self.say(t("err.receive_empty"), error=True)
            return
        try:
            results = catalog.receive(self.actor, [ln.data() for ln in self.lines],
                                      self.query_one("#ref", Input).value)
        except DomainError as exc:
            line = exc.params.get("line")
            if line:
                self.table.move_cursor(row=int(line) - 1)
                self.say(t("receive.line_error", line=line, message=exc.message), error=True)
            else:
                self.show_error(exc)
            return
        units = sum(r.qty for r in results)
        self.lines = []
        self._show()
        self.query_one("#ref", Input).value = ""
        self.say(t("receive.posted", lines=len(results), units=units))
        self.query_one(ProductPicker).focus_input()

    def action_back(self) -> None:
        # Unposted lines are not thrown away on one key: the first Esc warns, a second one leaves.
        if self.lines and not getattr(self, "_warned_leave", False):
            self._warned_leave = True
            self.say(t("receive.leave_unposted", lines=len(self.lines)), error=True)
            return
        self.app.pop_screen()

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#receive-title", Static).update(t("receive.title"))
        self._columns()
