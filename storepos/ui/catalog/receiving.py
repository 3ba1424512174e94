"""Receiving goods (入库): scan each item (a repeat scan adds one), set quantity, batch and
expiry of a line (F3), then post all lines in one go (Ctrl+S)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from storepos.i18n import t
from storepos.services import catalog
from storepos.services.catalog import ProductHit
from storepos.services.core.errors import DomainError
from storepos.ui.kit.screen import StoreposModal, StoreposScreen
from storepos.ui.kit.form import FormField
from storepos.ui.kit.pickers import ProductPicker


@dataclass
class Line:
    product: ProductHit
    qty: int = 1
    batch: str = ""
    expiry: str = ""

    def data(self) -> dict[str, Any]:
        return {"product_id": self.product.id, "qty": self.qty, "batch": self.batch, "expiry": self.expiry}


class LineForm(StoreposModal):
    """Quantity, batch code and expiry date of one received line; dismissed with the Line."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel")]

    def __init__(self, line: Line) -> None:
        super().__init__()
        self.line = line

    def compose(self) -> ComposeResult:
        ln = self.line
        with Vertical(classes="modal-box", id="line-form"):
            yield Static(f"{ln.product.sku} · {ln.product.name}", classes="title")
            yield FormField("receive.qty", Input(str(ln.qty), id="qty", type="integer", max_length=7), name="qty")
            yield FormField("receive.batch", Input(ln.batch, id="batch", max_length=40), name="batch")
            yield FormField("receive.expiry", Input(ln.expiry, id="expiry", placeholder="YYYY-MM-DD",
                                                    max_length=10), name="expiry")
            yield Static("", id="message")
            yield Static(t("receive.line_hint"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#qty", Input).focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        order = ["qty", "batch", "expiry"]
        idx = order.index(event.input.id or "")
        if idx < 2:
            self.query_one(f"#{order[idx + 1]}", Input).focus()
        else:
            self.save()

    def save(self) -> None:
        self.clear_errors()
        data = {"product_id": self.line.product.id, "qty": self.query_one("#qty", Input).value or "",
                "batch": self.query_one("#batch", Input).value, "expiry": self.query_one("#expiry", Input).value}
        try:
            clean = catalog.parse_receive_line(self.actor, data)
        except DomainError as exc:
            self.show_error(exc)
            return
        self.dismiss(Line(self.line.product, clean.qty, clean.batch,
                          clean.expiry.isoformat() if clean.expiry else ""))

    def action_cancel(self) -> None:
        self.dismiss(None)


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
        yield Static(t("receive.title"), classes="title", id="receive-title")
        yield FormField("receive.ref", Input(id="ref", max_length=120, placeholder=t("receive.ref_placeholder")),
                        name="ref")
        yield ProductPicker(self.actor.store_id, id="receive-picker")
        yield DataTable(id="receive-lines", cursor_type="row", zebra_stripes=True)
        yield Static("", id="message")

    def on_mount(self) -> None:
        self._columns()
        self.query_one(ProductPicker).focus_input()

    def _columns(self) -> None:
        table = self.query_one("#receive-lines", DataTable)
        table.clear(columns=True)
        table.add_column(t("catalog.sku"), key="sku")
        table.add_column(t("catalog.name"), key="name", width=26)
        table.add_column(Text(t("receive.qty"), justify="right"), key="qty")
        table.add_column(t("receive.batch"), key="batch")
        table.add_column(t("receive.expiry"), key="expiry")
        self._show()

    def _show(self) -> None:
        table = self.query_one("#receive-lines", DataTable)
        row = table.cursor_row
        table.clear()
        for i, ln in enumerate(self.lines):
            table.add_row(ln.product.sku, ln.product.name, Text(str(ln.qty), justify="right"), ln.batch,
                          ln.expiry, key=str(i))
        if self.lines:
            table.move_cursor(row=min(row or 0, len(self.lines) - 1))

    @on(Input.Submitted, "#ref")
    def _ref_done(self) -> None:
        self.query_one(ProductPicker).focus_input()

    @on(ProductPicker.Picked)
    def _picked(self, event: ProductPicker.Picked) -> None:
        hit = event.product
        for i, ln in enumerate(self.lines):
            if ln.product.id == hit.id and not ln.batch and not ln.expiry:
                ln.qty += 1
                self._show()
                self.query_one("#receive-lines", DataTable).move_cursor(row=i)
                break
        else:
            self.lines.append(Line(hit))
            self._show()
            self.query_one("#receive-lines", DataTable).move_cursor(row=len(self.lines) - 1)
        units = sum(ln.qty for ln in self.lines)
        self.say(t("receive.scanned", name=hit.name, lines=len(self.lines), units=units))

    def _current(self) -> int | None:
        row = self.query_one("#receive-lines", DataTable).cursor_row
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
                self._show()
            self.query_one(ProductPicker).focus_input()

        self.app.push_screen(LineForm(self.lines[idx]), done)

    def action_remove_line(self) -> None:
        idx = self._current()
        if idx is not None:
            del self.lines[idx]
            self._show()

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
                self.query_one("#receive-lines", DataTable).move_cursor(row=int(line) - 1)
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
