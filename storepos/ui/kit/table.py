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
    *justify* "right" for money and counts.  *grow* (a weight; with a *width*, the width it has at
    80 columns) takes a share of the room a wider terminal gives: names and notes widen at 120x40."""

    key: str
    label: str
    width: int | None = None
    justify: Literal["left", "right", "center"] = "left"
    grow: int = 0


class Table(DataTable):  # type: ignore[type-arg]
    """DataTable with safe cells (strings shown exactly as typed) and rows kept by key."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(*args, **kwargs)
        self._columns_spec: tuple[Column, ...] = ()
        self.row_keys: list[str] = []
        self._rows: list[tuple[str, Sequence[object]]] = []
        self._laid_out_for = 0

    def set_columns(self, columns: Sequence[Column]) -> None:
        """(Re)declare the columns in the current language; rows are cleared."""
        self._columns_spec = tuple(columns)
        self.clear(columns=True)
        self._add_columns()
        self.row_keys = []
        self._rows = []

    def widths(self) -> list[int | None]:
        """Each column's width at the table's present size: the declared widths, with the room
        left over shared among the growing columns by weight (only when every column declares a
        width: an auto-sized one's width is known only once its cells are measured)."""
        spec = self._columns_spec
        declared = [c.width for c in spec]
        growers = [i for i, c in enumerate(spec) if c.grow]
        room = self.size.width if self.is_attached else 0
        if not growers or room <= 0 or any(w is None for w in declared):
            return declared
        pad = 2 * self.cell_padding
        used = sum((w or 0) + pad for w in declared)
        scrollbar = 2 if len(self._rows) + 1 > self.size.height else 0  # rows below the fold: a bar
        spare = room - used - scrollbar
        if spare <= 0:
            return declared
        weights = sum(spec[i].grow for i in growers)
        out = list(declared)
        given = 0
        for n, i in enumerate(growers):
            share = spare - given if n == len(growers) - 1 else spare * spec[i].grow // weights
            out[i] = (declared[i] or 0) + share
            given += share
        return out

    def _add_columns(self) -> None:
        self._laid_out_for = self.size.width if self.is_attached else 0
        for c, width in zip(self._columns_spec, self.widths()):
            self.add_column(Text(t(c.label) if c.label else "", justify=c.justify), key=c.key, width=width)

    def on_resize(self) -> None:
        # Growing columns follow the terminal: lay the table out again, the cursor kept.
        if any(c.grow for c in self._columns_spec) and self.size.width != self._laid_out_for:
            self.fill(list(self._rows))

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
        self._rows = rows = list(rows)
        self._add_columns()
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

    def sync(self, rows: Iterable[tuple[str, Sequence[object]]], *, keep: str | None = None) -> None:
        """Show *rows* changing only what changed: rows added at the end are appended and a row
        whose cells changed is redrawn in place (a scan at the counter: one row, not the whole
        cart); any other change (rows removed or reordered) fills the table again.  The cursor
        goes to *keep* as in :meth:`fill`."""
        rows = list(rows)
        old = self._rows
        keys = [k for k, _ in rows]
        if not old or len(rows) < len(old) or keys[:len(old)] != [k for k, _ in old] or \
                any(c.grow for c in self._columns_spec):
            self.fill(rows, keep=keep)
            return
        for (key, cells), (_, before) in zip(rows, old):
            if tuple(cells) != tuple(before):
                for i, (value, was) in enumerate(zip(cells, before)):
                    if value != was:
                        self.update_cell(key, self._columns_spec[i].key, self.cell(value, i), update_width=True)
        for key, cells in rows[len(old):]:
            self.add_row(*(self.cell(v, i) for i, v in enumerate(cells)), key=key)
            self.row_keys.append(key)
        self._rows = rows
        target = keep if keep is not None else self.current_key
        if target in self.row_keys:
            self.move_cursor(row=self.row_keys.index(target), animate=False)

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
