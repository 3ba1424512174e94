"""A DataTable whose cells are data, never markup, and whose cursor stays on the row it was on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rich.text import Text
from textual.widgets import DataTable

from storepos.i18n import t
from storepos.ui.kit.text import safe


@dataclass(frozen=True)
class Column:
    """A column: *key* names it, *label* is an i18n key, *width* None sizes it to its content,
    *justify* "right" for money and counts."""

    key: str
    label: str
    width: int | None = None
    justify: Literal["left", "right", "center"] = "left"


class Table(DataTable):  # type: ignore[type-arg]
    """DataTable with safe cells (strings shown exactly as typed) and rows kept by key."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(*args, **kwargs)
        self._columns_spec: tuple[Column, ...] = ()
        self.row_keys: list[str] = []

    def set_columns(self, columns: Sequence[Column]) -> None:
        """(Re)declare the columns in the current language; rows are cleared."""
        self._columns_spec = tuple(columns)
        self.clear(columns=True)
        for c in self._columns_spec:
            label = Text(t(c.label) if c.label else "", justify=c.justify)
            self.add_column(label, key=c.key, width=c.width)
        self.row_keys = []

    def cell(self, value: object, index: int) -> Any:
        justify = self._columns_spec[index].justify if index < len(self._columns_spec) else None
        if isinstance(value, Text):
            if justify == "right" and value.justify is None:
                value = value.copy()
                value.justify = "right"
            return value
        return safe(value, justify=justify if justify != "left" else None)

    def fill(self, rows: Iterable[tuple[str, Sequence[object]]], *, keep: str | None = None) -> None:
        """Replace the rows with (key, cells) pairs; the cursor goes back to the row *keep* (by
        default the row it was on), else stays at the same position."""
        keep = keep if keep is not None else self.current_key
        index = self.cursor_row or 0
        # Auto-sized columns are measured again from the new rows (clear() keeps old widths).
        self.clear(columns=True)
        for c in self._columns_spec:
            self.add_column(Text(t(c.label) if c.label else "", justify=c.justify), key=c.key, width=c.width)
        self.row_keys = []
        for key, cells in rows:
            self.add_row(*(self.cell(v, i) for i, v in enumerate(cells)), key=key)
            self.row_keys.append(key)
        # The widths are measured on idle; a refill of the same size repaints nothing, leaving the
        # rows drawn at the labels' widths until the cursor passes: drop the row caches once measured.
        self.call_after_refresh(self._repaint)
        if not self.row_keys:
            return
        target = self.row_keys.index(keep) if keep in self.row_keys else min(index, len(self.row_keys) - 1)
        self.move_cursor(row=target, animate=False)

    def _repaint(self) -> None:
        if self.is_attached:
            self.notify_style_update()  # clears DataTable's render caches
            self.refresh(layout=True)

    @property
    def current_key(self) -> str | None:
        row = self.cursor_row
        if row is None or not 0 <= row < len(self.row_keys):
            return None
        return self.row_keys[row]
