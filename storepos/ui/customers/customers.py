"""Customers: find one (phone, name fragment, number), add one on the spot, a customer's page
(contact, address, segment, notes, credit terms for managers, history)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Input, Select, Static

from storepos import clock
from storepos.i18n import t
from storepos.money import fmt
from storepos.services import customers
from storepos.services.core.errors import DomainError
from storepos.services.core.permissions import can
from storepos.ui.kit.screen import StoreposModal, StoreposScreen
from storepos.ui.kit.form import FormField


def _segments() -> list[tuple[str, str]]:
    return [(t(f"customer.segment_{s}"), s) for s in customers.SEGMENTS]


class CustomerSearch(Vertical):
    """A search box over customers with the results below; Enter picks (posts Picked)."""

    DEFAULT_CSS = """
    CustomerSearch { height: auto; }
    CustomerSearch #cust-results { height: auto; max-height: 12; }
    CustomerSearch #cust-note { height: auto; color: $text-muted; padding-left: 1; }
    """

    @dataclass
    class Picked(Message):
        customer_id: int

    def __init__(self, store_id: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store_id = store_id
        self._ids: list[int] = []

    def compose(self) -> ComposeResult:
        yield Input(placeholder=t("customer.search_placeholder"), id="cust-query")
        yield DataTable(id="cust-results", cursor_type="row")
        yield Static(t("customer.search_hint"), id="cust-note")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, width in (("number", 6), ("name", 24), ("phone", 13), ("segment", 6)):
            table.add_column(t(f"customer.{key}"), width=width)
        self.query_one("#cust-query", Input).focus()

    @on(Input.Changed, "#cust-query")
    def _changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(exclusive=True, thread=True, group="customer-search")
    def _search(self, text: str) -> None:
        rows = customers.find(self.store_id, text)
        self.app.call_from_thread(self._apply, text, rows)

    def _apply(self, text: str, rows: list[Any]) -> None:
        if self.query_one("#cust-query", Input).value != text:
            return
        self.show(rows, text)

    def show(self, rows: list[Any], text: str) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self._ids = [c.id for c in rows]
        for c in rows:
            table.add_row(c.number, c.name, c.phone, t(f"customer.segment_{c.segment}"), key=str(c.id))
        note = self.query_one("#cust-note", Static)
        if text.strip() and not rows:
            note.update(t("customer.no_match", query=text.strip()))
        else:
            note.update(t("customer.search_hint"))

    @on(Input.Submitted, "#cust-query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self._ids:
            rows = customers.find(self.store_id, event.value)
            self.show(rows, event.value)
        if len(self._ids) >= 1:
            table = self.query_one(DataTable)
            row = table.cursor_row if table.cursor_row is not None and table.cursor_row < len(self._ids) else 0
            self.post_message(self.Picked(self._ids[row]))

    def key_down(self) -> None:
        if self._ids and self.query_one("#cust-query", Input).has_focus:
            self.query_one(DataTable).focus()

    @on(DataTable.RowSelected, "#cust-results")
    def _row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self._ids):
            self.post_message(self.Picked(self._ids[event.cursor_row]))


class CustomerPicker(StoreposModal):
    """Find or add a customer; dismissed with the customer's id, or None."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel"), Binding("ctrl+n", "new", "customer.key_new")]

    def __init__(self, *, draft: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.draft = draft if draft is not None else {}  # the opener's new-customer draft

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="cust-picker"):
            yield Static(t("customer.pick_title"), classes="title")
            yield CustomerSearch(self.actor.store_id)
            yield Static(t("customer.pick_hint"), classes="hint")

    @on(CustomerSearch.Picked)
    def _picked(self, event: CustomerSearch.Picked) -> None:
        self.dismiss(event.customer_id)

    def action_new(self) -> None:
        query = self.query_one("#cust-query", Input).value.strip()
        self.app.push_screen(CustomerForm(prefill=query, draft=self.draft), self._created)

    def _created(self, customer_id: Any) -> None:
        if customer_id:
            self.dismiss(customer_id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CustomerForm(StoreposModal):
    """Add a customer (or edit one); dismissed with its id, or None.  A likely duplicate is a
    warning: Ctrl+S again creates anyway."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel"), Binding("ctrl+s", "save", "key.save")]

    def __init__(self, customer: Any | None = None, *, prefill: str = "",
                 draft: dict[str, Any] | None = None) -> None:
        """*draft*: a dict the opener keeps (per visit / screen) so Esc does not lose what was
        typed for a new customer: it is filled on Esc, used when the form opens again, emptied
        on save."""
        super().__init__()
        self.customer = customer
        self.prefill = prefill
        self.draft = draft if draft is not None else {}
        self._confirm: tuple[str, str] | None = None  # (name, phone) the warning was shown for

    def compose(self) -> ComposeResult:
        c = self.customer
        name, phone = (c.name, c.phone) if c else ("", "")
        if c is None and self.prefill:
            digits = self.prefill.replace(" ", "").replace("-", "")
            if digits.isdigit():
                phone = self.prefill
            else:
                name = self.prefill
        d = self.draft if c is None else {}
        name, phone = d.get("name", name), d.get("phone", phone)
        manager = can(self.actor, "customer.credit")
        with VerticalScroll(classes="modal-box", id="cust-form"):
            yield Static(t("customer.edit_title" if c else "customer.add_title"), classes="title")
            yield FormField("customer.name", Input(name, id="name", max_length=100), name="name")
            yield FormField("customer.phone", Input(phone, id="phone", max_length=30,
                                                    placeholder=t("customer.phone_placeholder")), name="phone")
            yield FormField("customer.segment", Select(_segments(), value=c.segment if c else d.get("segment", "retail"),
                                                       allow_blank=False, id="segment"), name="segment")
            yield FormField("customer.address", Input(c.address if c else d.get("address", ""), id="address", max_length=200),
                            name="address")
            yield FormField("customer.notes", Input(c.notes if c else d.get("notes", ""), id="notes", max_length=2000),
                            name="notes")
            limit = fmt(c.credit_limit, fen=True, symbol=False) if c else d.get("credit_limit", "0.00")
            yield FormField("customer.credit_limit", Input(limit, id="credit_limit", disabled=not manager),
                            name="credit_limit")
            yield FormField("customer.credit_days", Input(str(c.credit_days) if c else d.get("credit_days", "0"), id="credit_days",
                                                          type="integer", disabled=not manager), name="credit_days")
            if not manager:
                yield Static(t("customer.credit_managers_only"), classes="hint", id="credit-note")
            yield Static("", id="message")
            yield Static(t("customer.form_hint"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        inputs = [i for i in self.query(Input) if not i.disabled]
        idx = inputs.index(event.input)
        if idx + 1 < len(inputs):
            inputs[idx + 1].focus()
        else:
            self.action_save()

    def _data(self) -> dict[str, Any]:
        data = {k: self.query_one(f"#{k}", Input).value for k in ("name", "phone", "address", "notes")}
        data["segment"] = self.query_one("#segment", Select).value
        if can(self.actor, "customer.credit"):
            data["credit_limit"] = self.query_one("#credit_limit", Input).value
            data["credit_days"] = self.query_one("#credit_days", Input).value or "0"
        return data

    def action_save(self) -> None:
        self.clear_errors()
        data = self._data()
        try:
            if self.customer is None:
                key = (data["name"].strip(), data["phone"].strip())
                c = customers.create(self.actor, data, confirm_duplicate=self._confirm == key)
            else:
                c = customers.update(self.actor, self.customer.id, data)
        except customers.DuplicateWarning as exc:
            self._confirm = (data["name"].strip(), data["phone"].strip())
            self.show_error(exc)
            self.say(t("customer.duplicate_confirm"), error=True)
            return
        except DomainError as exc:
            self.show_error(exc)
            return
        self.draft.clear()
        self.dismiss(c.id)

    def action_cancel(self) -> None:
        if self.customer is None:  # keep what was typed for the next Ctrl+N here
            self.draft.clear()
            data = self._data()
            if any(str(data.get(k) or "").strip() for k in ("name", "phone", "address", "notes")):
                self.draft.update(data)
        self.dismiss(None)


class CustomerScreen(StoreposScreen):
    """A customer's page: contact, address, segment, notes, credit terms and history."""

    BINDINGS = [Binding("escape", "app.pop_screen", "key.back"), Binding("e", "edit", "key.edit")]

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="cust-page"):
            yield Static("", classes="title", id="cust-title")
            with Horizontal(id="cust-cols"):
                yield Static("", id="cust-contact")
                yield Static("", id="cust-credit")
            yield Static(t("customer.history"), classes="section-title", id="cust-history-title")
            yield DataTable(id="cust-history", cursor_type="row")
            yield Static("", id="message")

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        c = customers.get(self.actor.store_id, self.customer_id)
        self.query_one("#cust-title", Static).update(f"{c.number}  {c.name}")
        self.query_one("#cust-contact", Static).update("\n".join([
            f"{t('customer.phone')}: {c.phone}",
            f"{t('customer.address')}: {c.address or '—'}",
            f"{t('customer.segment')}: {t('customer.segment_' + c.segment)}",
            f"{t('customer.notes')}: {c.notes or '—'}",
        ]))
        self.query_one("#cust-credit", Static).update("\n".join([
            f"{t('customer.credit_limit')}: {fmt(c.credit_limit, fen=True)}",
            f"{t('customer.credit_days')}: {c.credit_days}",
            t("customer.credit_managers_only") if not can(self.actor, "customer.credit") else "",
        ]))
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for key, width in (("when", 16), ("kind", 6), ("what", 44)):
            table.add_column(t(f"customer.col_{key}"), width=width)
        tz = self.sapp.store.timezone if self.sapp.store else "Asia/Shanghai"
        rows = customers.history(self.actor.store_id, self.customer_id)
        for r in rows:
            table.add_row(clock.to_local(r.at, tz).strftime("%Y-%m-%d %H:%M"), t(f"customer.kind_{r.kind}"),
                          r.summary)
        if not rows:
            self.say(t("customer.no_history"))

    def action_edit(self) -> None:
        c = customers.get(self.actor.store_id, self.customer_id)
        self.app.push_screen(CustomerForm(c), lambda r: self.load() if r else None)


class CustomersScreen(StoreposScreen):
    """The customers area: search, open a customer's page, add one."""

    BINDINGS = [Binding("escape", "app.pop_screen", "key.back"), Binding("ctrl+n", "new", "customer.key_new")]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.new_draft: dict[str, Any] = {}  # a new customer typed before Esc (kept on this screen)

    def compose_body(self) -> ComposeResult:
        yield Static(t("customer.title"), classes="title")
        yield CustomerSearch(self.actor.store_id)
        yield Static("", id="message")

    @on(CustomerSearch.Picked)
    def _picked(self, event: CustomerSearch.Picked) -> None:
        self.app.push_screen(CustomerScreen(event.customer_id))

    def action_new(self) -> None:
        query = self.query_one("#cust-query", Input).value.strip()
        self.app.push_screen(CustomerForm(prefill=query, draft=self.new_draft),
                             lambda cid: self.app.push_screen(CustomerScreen(cid)) if cid else None)
