"""ListScreen: the base of every list in the app.

A list declares its columns, where its rows come from (one service call), the key and cells of a
row, what Enter opens and how a row is named; the base owns the rest, the same in every list:

- the table (data shown exactly as typed), its title, an empty state, a message line, a hint;
- refresh when the screen comes back (after a form or a page it opened);
- the cursor stays on the row acted on (found again by its key after the reload), never jumping
  back to the first row;
- an action on a row (a person, a sale) asks for confirmation naming it when it is not undone at
  once, and its result names it ("PIN reset for Lily Chen (1002)").

    class StaffScreen(ListScreen[StaffRow]):
        TITLE_KEY = "staff.title"
        COLUMNS = (Column("code", "staff.code"), Column("name", "staff.name"), ...)
        def load_rows(self): return staff.list_staff(self.actor.store_id)
        def row_key(self, row): return str(row.id)
        def row_cells(self, row): return (row.code, row.name, ...)
        def row_name(self, row): return f"{row.name} ({row.code})"
        def action_unlock(self):
            self.act(lambda row: staff.unlock(self.actor, row.id), done="staff.unlocked")
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from storepos.i18n import t
from storepos.services.core.errors import DomainError
from storepos.ui.kit.confirm import Confirm
from storepos.ui.kit.screen import StoreposScreen
from storepos.ui.kit.table import Column, Table
from storepos.ui.kit.text import safe

R = TypeVar("R")

__all__ = ["Column", "ListScreen"]


class ListScreen(StoreposScreen, Generic[R]):
    """See the module doc.  Subclasses set TITLE_KEY, COLUMNS (and EMPTY_KEY, HINT_KEY) and
    implement load_rows, row_key, row_cells; open_row and row_name when they need them."""

    TITLE_KEY: ClassVar[str] = ""
    EMPTY_KEY: ClassVar[str] = "list.empty"
    HINT_KEY: ClassVar[str] = ""
    COLUMNS: ClassVar[Sequence[Column]] = ()
    BINDINGS = [Binding("escape", "back", "key.back")]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows: list[R] = []
        self._by_key: dict[str, R] = {}

    # -- what a list declares ------------------------------------------------------------------

    def load_rows(self) -> Sequence[R]:  # pragma: no cover - overridden
        raise NotImplementedError

    def row_key(self, row: R) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def row_cells(self, row: R) -> Sequence[object]:  # pragma: no cover - overridden
        raise NotImplementedError

    def open_row(self, row: R) -> None:
        """Enter on a row; nothing by default."""

    def row_name(self, row: R) -> str:
        """How a row is named in confirmations and results."""
        return str(self.row_key(row))

    def title_text(self) -> str:
        return t(self.TITLE_KEY)

    def columns(self) -> Sequence[Column]:
        return self.COLUMNS

    def compose_above(self) -> ComposeResult:
        """Widgets between the title and the table (a filter, a search box)."""
        yield from ()

    def compose_below(self) -> ComposeResult:
        """Widgets between the table and the message line (a detail of the highlighted row)."""
        yield from ()

    def row_highlighted(self, row: R | None) -> None:
        """The cursor moved to *row* (None: the list is empty)."""

    # -- layout --------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="list-body"):
            yield Static(safe(self.title_text()), classes="title", id="list-title")
            yield from self.compose_above()
            yield Table(id="list-table")
            yield Static("", classes="hint list-empty", id="list-empty", markup=False)
            yield from self.compose_below()
            yield Static("", id="message")
            if self.HINT_KEY:
                yield Static(t(self.HINT_KEY), classes="hint", id="list-hint")

    @property
    def table(self) -> Table:
        return self.query_one("#list-table", Table)

    def on_mount(self) -> None:
        self.table.set_columns(self.columns())
        self.reload()
        self._just_mounted = True
        self.table.focus()

    def on_screen_resume(self) -> None:
        # Back from a form or a page this list opened (not the first showing: on_mount loaded it,
        # and a second fill would keep auto-sized columns as wide as their labels).
        if getattr(self, "_just_mounted", False):
            self._just_mounted = False
            return
        if self.query("#list-table") and getattr(self.app, "actor", True) is not None:
            self.reload()

    # -- rows ----------------------------------------------------------------------------------

    def reload(self, *, keep: str | None = None) -> None:
        """Read the rows again; the cursor stays on *keep* (default: the row it is on)."""
        self.rows = list(self.load_rows())
        self._by_key = {self.row_key(r): r for r in self.rows}
        self.table.fill(((self.row_key(r), self.row_cells(r)) for r in self.rows), keep=keep)
        empty = self.query_one("#list-empty", Static)
        empty.update(t(self.EMPTY_KEY) if not self.rows else "")
        empty.display = not self.rows
        self.row_highlighted(self.current)

    @property
    def current(self) -> R | None:
        key = self.table.current_key
        return self._by_key.get(key) if key is not None else None

    @on(DataTable.RowHighlighted, "#list-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.row_highlighted(self.current)

    @on(DataTable.RowSelected, "#list-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.current
        if row is not None:
            self.open_row(row)

    # -- acting on a row -----------------------------------------------------------------------

    def act(self, fn: Callable[[R], Any], *, done: str, confirm: str = "", row: R | None = None,
            **params: Any) -> None:
        """Run *fn* on the highlighted row (or *row*): after a confirmation naming the row when
        *confirm* (an i18n key) is given; then reload keeping the cursor on it and say *done*
        (an i18n key; ``{name}`` is the row's name).  A DomainError shows in the message line."""
        target = row if row is not None else self.current
        if target is None:
            self.say(t("list.no_row"), error=True)
            return
        name = self.row_name(target)
        key = self.row_key(target)

        def run(ok: bool | None = True) -> None:
            if not ok:
                self.say(t("list.not_done", name=name))
                return
            try:
                fn(target)
            except DomainError as exc:
                self.say(exc.message, error=True)
                return
            self.reload(keep=key)
            self.say(t(done, name=name, **params))

        if confirm:
            self.app.push_screen(Confirm(t(confirm, name=name, **params)), run)
        else:
            run()

    def after_form(self, done: str, *, key: str | None = None) -> Callable[[Any], None]:
        """A callback for push_screen(form, ...): on a result, reload keeping the cursor on *key*
        (or the row the result names, when it is a key) and say *done* naming the row."""

        def callback(result: Any) -> None:
            if result is None:
                return
            target = key if key is not None else (str(result) if isinstance(result, (int, str)) else None)
            self.reload(keep=target)
            row = self._by_key.get(target) if target is not None else None
            self.say(t(done, name=self.row_name(row) if row is not None else ""))

        return callback

    def action_back(self) -> None:
        self.app.pop_screen()

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#list-title", Static).update(safe(self.title_text()))
        if self.HINT_KEY:
            self.query_one("#list-hint", Static).update(t(self.HINT_KEY))
        self.table.set_columns(self.columns())
        self.reload()
