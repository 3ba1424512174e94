"""The one product picker and the one customer picker of the app.

**ProductPicker** (a widget): one input for a barcode scanner (code + Enter) and for search as you
type.  Enter with an exact barcode/SKU picks it at once, synchronously, so a scanner's
back-to-back codes all land, in order.  Otherwise the search results (Chinese or English
fragments, SKU) show below; Enter picks the highlighted one, ↓ moves into the list.  Posts
``ProductPicker.Picked``.

**CustomerPicker** (a modal): find a customer by phone digits, a name fragment or the number,
Ctrl+N adds one (the opener's draft keeps what was typed); Delete chooses "no customer" where the
opener allows it.  Dismissed with a :class:`CustomerChoice`, or None when cancelled.

Both search in a worker thread, after a short pause in typing (a scanner's burst starts no
search), and never on the UI thread; their headers are translated and their cells are data.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from storepos.i18n import t
from storepos.services import catalog, customers
from storepos.ui.kit.inputs import KitInput
from storepos.ui.kit.screen import Modal
from storepos.ui.kit.table import Column, Table
from storepos.ui.kit.text import money, number, safe

# Typing pauses this long before a search runs: a person types slower, a scanner much faster.
SEARCH_DELAY = 0.12


def _deliver(widget: Any, fn: Callable[..., Any], *args: Any) -> None:
    """Hand a worker's result to the UI thread; nothing if the app is closing meanwhile."""
    try:
        widget.app.call_from_thread(fn, *args)
    except RuntimeError:
        pass


class ScanInput(KitInput):
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


PRODUCT_COLUMNS = (
    Column("sku", "picker.col_sku"),
    Column("name", "picker.col_name"),
    Column("price", "picker.col_price", justify="right"),
    Column("stock", "picker.col_stock", justify="right"),
)


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
        product: Any  # catalog.ProductHit

        @property
        def control(self) -> ProductPicker:
            return self.picker

    def __init__(self, store_id: int, *, placeholder_key: str = "picker.placeholder",
                 include_inactive: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store_id = store_id
        self.placeholder_key = placeholder_key
        self.include_inactive = include_inactive
        self._hits: list[Any] = []
        self._pending: Any = None  # the timer of the search after a pause in typing

    def compose(self) -> ComposeResult:
        yield ScanInput(placeholder=t(self.placeholder_key), id="picker-input")
        yield Table(id="picker-results", zebra_stripes=False)
        yield Static("", id="picker-note", markup=False)

    def on_mount(self) -> None:
        self.query_one(Table).set_columns(PRODUCT_COLUMNS)

    def relabel(self) -> None:
        self.input.placeholder = t(self.placeholder_key)
        self.query_one(Table).set_columns(PRODUCT_COLUMNS)
        self._show(self._hits)

    @property
    def input(self) -> Input:
        return self.query_one("#picker-input", Input)

    def focus_input(self) -> None:
        self.input.focus()

    def note(self, text: str, *, error: bool = False) -> None:
        note = self.query_one("#picker-note", Static)
        note.update(safe(text))
        note.set_class(error, "-error")

    @on(Input.Changed, "#picker-input")
    def _changed(self, event: Input.Changed) -> None:
        text = event.value
        if self._pending is not None:
            self._pending.stop()  # typed on (or a scanner's burst): no search for the key before
            self._pending = None
        if not text.strip():
            self._show([])
            return
        # One timer per pause in typing, not a search worker per key: a scanner's 13 digits and
        # Enter start no search at all (Enter finds the code at once).
        self._pending = self.set_timer(SEARCH_DELAY, lambda: self._search(text))

    @work(exclusive=True, thread=True, group="product-search")
    def _search(self, text: str) -> None:
        self._pending = None
        worker = get_current_worker()
        if worker.is_cancelled:
            return  # typed on (or a scanner's burst): a newer search replaces this one
        hits = catalog.search(self.store_id, text, limit=30, include_inactive=self.include_inactive)
        if not worker.is_cancelled:
            _deliver(self, self._apply, text, hits)

    def _apply(self, text: str, hits: list[Any]) -> None:
        if not self.is_mounted or self.input.value != text:
            return  # typed on since; a newer search is running
        self._show(hits)
        if not hits:
            self.note(t("picker.no_match", query=text), error=True)
        else:
            self.note(t("picker.hint"))

    def _show(self, hits: list[Any]) -> None:
        self._hits = hits
        rows = []
        for h in hits:
            name = h.name if h.active else f"{h.name} ({t('picker.inactive')})"
            rows.append((str(h.id), (h.sku, name, money(h.price), number(h.stock))))
        self.query_one(Table).fill(rows)
        was_open = self.has_class("-open")
        self.set_class(bool(hits), "-open")
        if was_open != bool(hits):
            self.refresh_bindings()  # Esc closes the results, or is the screen's again (the footer says which)
        if not hits:
            self.note("")

    @on(Input.Submitted, "#picker-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._pending is not None:
            self._pending.stop()  # Enter answers now: the search the pause would have run is not needed
            self._pending = None
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
        hits = self._hits if self._hits and self.has_class("-open") else catalog.search(
            self.store_id, text, limit=30, include_inactive=self.include_inactive)
        if len(hits) == 1 or (hits and self.has_class("-open")):
            table = self.query_one(Table)
            row = table.cursor_row if table.cursor_row is not None and table.cursor_row < len(hits) else 0
            self._pick(hits[row])
        else:
            self._show(hits)
            if not hits:
                self.note(t("picker.no_match", query=text), error=True)

    def key_down(self) -> None:
        if self._hits and self.input.has_focus:
            self.query_one(Table).focus()

    @on(DataTable.RowSelected, "#picker-results")
    def _row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        idx = event.cursor_row
        if 0 <= idx < len(self._hits):
            self._pick(self._hits[idx])

    def _pick(self, hit: Any, *, clear: bool = True) -> None:
        if clear:
            self.input.value = ""
        self._show([])
        self.note("")
        self.post_message(self.Picked(self, hit))
        self.input.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Esc is the picker's only while its results are open; else the screen's own Esc (Back)
        # shows in the footer and runs.
        if action == "close":
            return self.has_class("-open")
        return True

    def action_close(self) -> None:
        if self.has_class("-open"):
            self._show([])
            self.input.focus()
        else:
            back = getattr(self.screen, "action_back", None)
            back() if back is not None else self.app.pop_screen()


# -- customers ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class CustomerChoice:
    """What the customer picker chose: a customer, or (customer_id None) "no customer"."""

    customer_id: int | None


CUSTOMER_COLUMNS = (
    Column("number", "customer.number"),
    Column("name", "customer.name"),
    Column("phone", "customer.phone"),
    Column("segment", "customer.segment"),
)


class CustomerSearch(Vertical):
    """A search box over customers with the results below; Enter picks (posts Picked).

    *search(store_id, text)* gives the rows (default: the customers area's search, nothing for an
    empty box); *detail(customer)* adds a last column (e.g. checkout's credit standing);
    *segment=False* drops the segment column (room for the detail at 80 columns)."""

    DEFAULT_CSS = """
    CustomerSearch { height: auto; }
    CustomerSearch #cust-results { height: auto; max-height: 12; }
    CustomerSearch #cust-note { height: auto; color: $text-muted; padding-left: 1; }
    """

    @dataclass
    class Picked(Message):
        customer_id: int

    def __init__(self, store_id: int, *, search: Callable[[int, str], Sequence[Any]] | None = None,
                 detail: tuple[str, Callable[[Any], Any]] | None = None, segment: bool = True,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.store_id = store_id
        self.search_fn = search or (lambda store, text: customers.find(store, text))
        self.detail = detail
        self.segment = segment
        self._ids: list[int] = []
        self._shown_for: str | None = None  # the text the rows shown were found for

    def compose(self) -> ComposeResult:
        yield KitInput(placeholder=t("customer.search_placeholder"), id="cust-query")
        yield Table(id="cust-results", zebra_stripes=False)
        yield Static(t("customer.search_hint"), id="cust-note", markup=False)

    def _columns(self) -> tuple[Column, ...]:
        cols = CUSTOMER_COLUMNS if self.segment else tuple(c for c in CUSTOMER_COLUMNS if c.key != "segment")
        if self.detail is not None:
            cols += (Column("detail", self.detail[0]),)
        return cols

    def on_mount(self) -> None:
        self.query_one(Table).set_columns(self._columns())
        self.query_one("#cust-query", Input).focus()
        self._search("")

    def relabel(self) -> None:
        self.query_one("#cust-query", Input).placeholder = t("customer.search_placeholder")
        self.query_one(Table).set_columns(self._columns())
        self._search(self.query_one("#cust-query", Input).value)

    @property
    def query_text(self) -> str:
        return self.query_one("#cust-query", Input).value

    @on(Input.Changed, "#cust-query")
    def _changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(exclusive=True, thread=True, group="customer-search")
    def _search(self, text: str) -> None:
        time.sleep(SEARCH_DELAY)
        worker = get_current_worker()
        if worker.is_cancelled:
            return
        rows = list(self.search_fn(self.store_id, text))
        extra = [self.detail[1](c) for c in rows] if self.detail is not None else []
        if not worker.is_cancelled:
            _deliver(self, self._apply, text, rows, extra)

    def _apply(self, text: str, rows: list[Any], extra: list[Any]) -> None:
        if not self.is_mounted or self.query_text != text:
            return
        self.show(rows, text, extra)

    def show(self, rows: list[Any], text: str, extra: list[Any] | None = None) -> None:
        self._ids = [c.id for c in rows]
        cells = []
        for i, c in enumerate(rows):
            row: tuple[Any, ...] = (c.number, c.name, c.phone)
            if self.segment:
                row += (t(f"customer.segment_{c.segment}"),)
            if self.detail is not None:
                row += (extra[i] if extra else self.detail[1](c),)
            cells.append((str(c.id), row))
        self.query_one(Table).fill(cells)
        self._shown_for = text
        note = self.query_one("#cust-note", Static)
        if text.strip() and not rows:
            note.update(safe(t("customer.no_match", query=text.strip())))
        else:
            note.update(t("customer.search_hint"))

    @on(Input.Submitted, "#cust-query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        # Enter typed before the search for this text is back (a scanner, a fast hand): search now,
        # so it never picks from the results of what the box held before.
        if self._shown_for != event.value:
            rows = list(self.search_fn(self.store_id, event.value))
            self.show(rows, event.value)
        if self._ids:
            table = self.query_one(Table)
            row = table.cursor_row if table.cursor_row is not None and table.cursor_row < len(self._ids) else 0
            self.post_message(self.Picked(self._ids[row]))

    def key_down(self) -> None:
        if self._ids and self.query_one("#cust-query", Input).has_focus:
            self.query_one(Table).focus()

    @on(DataTable.RowSelected, "#cust-results")
    def _row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self._ids):
            self.post_message(self.Picked(self._ids[event.cursor_row]))


class CustomerPicker(Modal[CustomerChoice]):
    """Find or add a customer; dismissed with a CustomerChoice, or None (cancelled).

    *draft*: the opener's new-customer draft (kept across Esc); *allow_none*: Delete chooses "no
    customer"; *search*/*detail*: see CustomerSearch."""

    BINDINGS = [
        Binding("escape", "cancel", "key.cancel"),
        Binding("ctrl+n", "new", "customer.key_new"),
        # Priority: the search box would take Delete for itself (delete the character on the right)
        Binding("delete", "no_customer", "key.clear_customer", show=False, priority=True),
    ]

    def __init__(self, *, draft: dict[str, Any] | None = None, allow_none: bool = False,
                 search: Callable[[int, str], Sequence[Any]] | None = None,
                 detail: tuple[str, Callable[[Any], Any]] | None = None, title_key: str = "customer.pick_title",
                 hint_key: str = "customer.pick_hint", segment: bool = True) -> None:
        super().__init__()
        self.segment = segment
        self.draft = draft if draft is not None else {}
        self.allow_none = allow_none
        self.search, self.detail = search, detail
        self.title_key, self.hint_key = title_key, hint_key

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="cust-picker"):
            yield Static(t(self.title_key), classes="title", markup=False)
            yield CustomerSearch(self.actor.store_id, search=self.search, detail=self.detail, segment=self.segment)
            yield Static(t(self.hint_key), classes="hint picker-hint", markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "no_customer":
            return self.allow_none
        return True

    @on(CustomerSearch.Picked)
    def _picked(self, event: CustomerSearch.Picked) -> None:
        self.dismiss(CustomerChoice(event.customer_id))

    def action_new(self) -> None:
        # The customers area's form (imported here, when asked for: the kit sits below the areas).
        from storepos.ui.customers.customers import CustomerForm

        query = self.query_one(CustomerSearch).query_text.strip()
        self.app.push_screen(CustomerForm(prefill=query, draft=self.draft), self._created)

    def _created(self, customer_id: Any) -> None:
        if customer_id:
            self.dismiss(CustomerChoice(int(customer_id)))

    def action_no_customer(self) -> None:
        """Delete chooses "no customer"; in a search box with text right of the cursor it deletes
        that character as usual."""
        focused = self.focused
        if isinstance(focused, Input) and focused.cursor_position < len(focused.value):
            focused.action_delete_right()
            return
        self.dismiss(CustomerChoice(None))
