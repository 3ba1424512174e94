"""Checkout (SOP step 5, 成交开票): scan into the cart, the five checks, payment, receipt.

Keyboard first: the scan box has the focus (a scanner's code + Enter lands at once, in order);
Tab moves into the cart lines where + / - change the quantity, d sets a discount, Del removes.
F9 pays, F8 picks the customer, F7 sets delivery and invoice, F2 opens the register.  Esc goes
back without losing the cart (it lives on the app and in a draft file, payments included).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Digits, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from storepos.i18n import t
from storepos.models import Customer, Sale
from storepos.money import MoneyError, fmt, from_fen, parse_amount
from storepos.services import checkout, journey, register
from storepos.services.checkout import Cart, CheckResult, ChecksFailed
from storepos.services.core.errors import DomainError
from storepos.services.core.numbers import parse_whole
from storepos.services.core.store import get_store, settings_of
from storepos.ui.kit.screen import StoreposModal, StoreposScreen
from storepos.ui.kit.approval import ManagerApproval
from storepos.ui.kit.chrome import StepRail
from storepos.ui.kit.form import FormField
from storepos.ui.kit.pickers import ProductPicker


def _draft_path(app: Any) -> Path:
    return Path(app.settings.home) / "carts" / f"{app.settings.terminal}.json"


def current_cart(app: Any) -> Cart:
    """The terminal's cart: kept on the app; after a restart, the draft file."""
    cart = app.journey.cart
    if cart is None or cart.store_id != app.actor.store_id:
        cart = checkout.load_draft(_draft_path(app))
        if cart is None or cart.store_id != app.actor.store_id:
            cart = checkout.start_cart(app.actor)
        app.journey.cart = cart
    return cart


def open_checkout(app: Any, cart: Cart | None = None) -> None:
    """Open checkout; with *cart* (e.g. from checkout.start_cart for a quote or visit) it replaces
    the terminal's current cart."""
    if cart is not None:
        app.journey.cart = cart
        checkout.save_draft(cart, _draft_path(app))
    for screen in app.screen_stack:
        if isinstance(screen, CheckoutScreen):
            while app.screen is not screen:
                app.pop_screen()
            screen.load_cart()
            return
    app.push_screen(CheckoutScreen())


def open_checkout_area(app: Any) -> None:
    """The checkout area's key: what the journey hands checkout (an accepted quote's locked lines, or
    a visit that ended "buys now": its customer and the products shown) becomes a new cart; else
    the terminal's current cart opens."""
    handoff = app.journey.take("checkout")
    cart = None
    try:
        if handoff is not None:
            cart = checkout.start_cart(app.actor, lines=journey.cart_lines(handoff), customer_id=handoff.customer_id,
                                       quote_id=handoff.quote_id, visit_id=handoff.visit_id, locked=handoff.locked)
    except DomainError as exc:
        app.notify(exc.message, severity="error")
        return
    open_checkout(app, cart)


def _gate(screen: Any, proceed: Any) -> None:
    """THE opening-checklist gate call site (issue 4) before a sale starts."""
    try:
        from storepos.ui.checklist.gate import ensure_gate
    except ImportError:  # the checklist area is not installed
        proceed(None)
        return
    ensure_gate(screen, proceed)


class CheckoutScreen(StoreposScreen):
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("f9", "pay", "checkout.key_pay", priority=True),
        Binding("f8", "customer", "checkout.key_customer", priority=True),
        Binding("f7", "options", "checkout.key_options", priority=True),
        Binding("f5", "register", "checkout.key_register", priority=True),
        Binding("f6", "new_sale", "checkout.key_new", priority=True),
        Binding("plus,equals_sign", "qty(1)", "checkout.key_plus"),
        Binding("minus", "qty(-1)", "checkout.key_minus"),
        Binding("d", "discount", "checkout.key_discount"),
        Binding("q", "set_qty", "checkout.key_qty", show=False),
        Binding("delete", "remove", "checkout.key_remove"),
    ]

    def compose_body(self) -> ComposeResult:
        with Vertical(id="checkout"):
            yield StepRail("close", id="rail")
            yield Static("", id="cart-head")
            yield ProductPicker(self.actor.store_id, id="picker")
            yield DataTable(id="cart", cursor_type="row", zebra_stripes=True)
            yield Static("", id="totals")
            yield Static("", id="message")

    def on_mount(self) -> None:
        self.cart = current_cart(self.app)
        self.vat_rate = settings_of(get_store(self.actor.store_id)).vat_rate_percent
        table = self.query_one("#cart", DataTable)
        for key in ("col_no", "col_sku", "col_name", "col_qty", "col_price", "col_disc", "col_total"):
            table.add_column(t(f"checkout.{key}"), key=key)
        self.load_cart()
        self.query_one(ProductPicker).focus_input()
        _gate(self, lambda _approval: None)

    def load_cart(self) -> None:
        self.cart = current_cart(self.app)
        done = Sale.get_or_none(Sale.cart_uuid == self.cart.uuid)
        if done is not None:  # sold before a restart: never sell it twice
            self._finished(done)
            self.say(t("checkout.sale_exists", no=checkout.label(done)))
            return
        self.refresh_cart()

    # -- display ----------------------------------------------------------------------------

    def refresh_cart(self, select: int | None = None) -> None:
        table = self.query_one("#cart", DataTable)
        row = table.cursor_row if select is None else select
        table.clear()
        for i, ln in enumerate(self.cart.lines, start=1):
            disc = fmt(ln.discount) if ln.discount else ""
            if ln.discount_percent is not None and ln.discount:
                disc = f"{ln.discount_percent.normalize():f}%"
            lock = "🔒" if ln.locked else ""
            name = lock + ln.name
            if cell_len(name) > 26:
                name = set_cell_size(name, 25) + "…"
            table.add_row(str(i), ln.sku, name, Text(str(ln.qty), justify="right"),
                          Text(fmt(ln.unit_price), justify="right"), Text(disc, justify="right"),
                          Text(fmt(ln.total), justify="right"), key=str(i))
        if self.cart.lines:
            table.move_cursor(row=max(0, min(row or 0, len(self.cart.lines) - 1)))
        tot = self.cart.totals(self.vat_rate)
        text = Text(justify="right")
        text.append(t("checkout.items", n=tot.items) + "   ")
        text.append(f"{t('checkout.subtotal')} {fmt(tot.subtotal)}   ")
        if tot.discount:
            text.append(f"{t('checkout.discount')} -{fmt(tot.discount)}   ")
        text.append(f"{t('checkout.total')} {fmt(tot.total)}", style="bold reverse")
        if tot.paid:
            text.append(f"\n{t('pay.paid')} {fmt(tot.paid)}   {t('pay.remaining')} {fmt(tot.remaining)}")
        self.query_one("#totals", Static).update(text)
        head = []
        if self.cart.customer_id:
            c = Customer.get_or_none(Customer.id == self.cart.customer_id)
            if c is not None:
                head.append(t("checkout.customer", name=c.name, number=c.number))
        else:
            head.append(t("checkout.no_customer"))
        if self.cart.quote_id:
            head.append(t("checkout.from_quote", id=self.cart.quote_id))
        if self.cart.visit_id:
            head.append(t("checkout.from_visit", id=self.cart.visit_id))
        if register.current_session(self.actor.store_id, self.actor.terminal) is None:
            head.append(t("checkout.no_session"))
        self.query_one("#cart-head", Static).update("  ·  ".join(head))

    def _changed(self, select: int | None = None) -> None:
        checkout.save_draft(self.cart, _draft_path(self.app))
        self.refresh_cart(select)

    def _line(self) -> int:
        return self.query_one("#cart", DataTable).cursor_row or 0

    # -- cart editing -----------------------------------------------------------------------

    @on(ProductPicker.Picked)
    def _picked(self, event: ProductPicker.Picked) -> None:
        try:
            idx = self.cart.add_hit(event.product)
        except DomainError as exc:
            self.show_error(exc)
            return
        self.say(t("checkout.added", name=event.product.name))
        self._changed(idx)

    def _edit(self, fn: Any) -> None:
        try:
            fn()
        except DomainError as exc:
            self.show_error(exc)
            return
        self.say("")
        self._changed(self._line())

    def action_qty(self, delta: int) -> None:
        if self.cart.lines:
            self._edit(lambda: self.cart.change_qty(self._line(), delta))

    def action_remove(self) -> None:
        if self.cart.lines:
            self._edit(lambda: self.cart.remove(self._line()))

    def action_discount(self) -> None:
        if not self.cart.lines:
            return
        idx = self._line()
        line = self.cart.lines[idx]

        def done(value: str | None) -> None:
            if value is not None:
                self._edit(lambda: self.cart.set_discount(idx, value))

        self.app.push_screen(AskValue(t("checkout.discount_title", name=line.name), "checkout.discount_label",
                                      "discount", t("checkout.discount_hint"),
                                      lambda v: Cart(store_id=0, lines=[type(line)(**{**line.__dict__})]).set_discount(0, v)),
                             done)

    def action_set_qty(self) -> None:
        if not self.cart.lines:
            return
        idx = self._line()
        line = self.cart.lines[idx]

        def check(v: str) -> None:
            parse_whole(v, field="qty", minimum=1)

        def done(value: str | None) -> None:
            if value is not None:
                self._edit(lambda: self.cart.set_qty(idx, parse_whole(value, field="qty")))

        self.app.push_screen(AskValue(t("checkout.qty_title", name=line.name), "checkout.qty_label", "qty",
                                      "", check, str(line.qty)), done)

    def action_customer(self) -> None:
        def done(result: Any) -> None:
            if result is None:
                return
            if self.cart.payments:
                self.show_error(DomainError("err.cart_has_payments"))
                return
            self.cart.customer_id = result or None
            self.cart.approvals.clear()
            self._changed()

        self.app.push_screen(CustomerPick(self.actor.store_id), done)

    def action_options(self) -> None:
        def done(saved: Any) -> None:
            if saved:
                self._changed()

        self.app.push_screen(OptionsForm(self.cart), done)

    def action_register(self) -> None:
        from storepos.ui.register.register import RegisterScreen

        self.app.push_screen(RegisterScreen())

    def on_screen_resume(self) -> None:
        if hasattr(self, "cart"):
            self.refresh_cart()

    def action_new_sale(self) -> None:
        if self.cart.payments:
            self.show_error(DomainError("err.cart_has_payments"))
            return
        self._new_cart()

    def _new_cart(self) -> None:
        self.cart = checkout.start_cart(self.actor)
        self.sapp.journey.cart = self.cart
        self._changed(0)
        self.query_one(ProductPicker).focus_input()

    def action_back(self) -> None:
        checkout.save_draft(self.cart, _draft_path(self.app))
        self.app.pop_screen()

    # -- paying -----------------------------------------------------------------------------

    def action_pay(self) -> None:
        self.clear_errors()
        if not self.cart.lines:
            self.show_error(DomainError("err.cart_empty"))
            return
        if register.current_session(self.actor.store_id, self.actor.terminal) is None:
            self.show_error(DomainError("err.no_session", terminal=self.actor.terminal))
            return
        results = checkout.run_checks(self.actor, self.cart, on_account=self._on_account())
        if any(not r.ok for r in results):
            # Esc on the checks goes on to the payments when an on-account payment is what fails
            # (credit checks C/D): the salesperson can take it off there, without a manager.
            self.app.push_screen(ChecksScreen(self.cart, self._on_account()),
                                 lambda ok: self._open_payment() if ok or self._on_account() > 0
                                 else self._changed())
            return
        self._open_payment()

    def _on_account(self) -> Decimal:
        return sum((p.amount for p in self.cart.payments if p.method == "account"), Decimal("0.00"))

    def _open_payment(self) -> None:
        self._changed()
        self.app.push_screen(PaymentScreen(self.cart, self.vat_rate),
                             lambda r: self.complete() if r == "complete" else self._changed())

    def complete(self) -> None:
        try:
            sale = checkout.complete_sale(self.actor, self.cart)
        except ChecksFailed:
            self._changed()
            self.app.push_screen(ChecksScreen(self.cart, self._on_account()),
                                 lambda ok: self.complete() if ok else self._changed())
            return
        except DomainError as exc:
            self._changed()
            self.show_error(exc)
            return
        self._finished(sale)

    def _finished(self, sale: Sale) -> None:
        self._new_cart()
        self.say(t("checkout.completed", no=checkout.label(sale)))
        self.app.push_screen(ReceiptScreen(sale.id))

    def relabel(self) -> None:
        super().relabel()
        self.query_one(StepRail).render_rail()
        self.refresh_cart()


class AskValue(StoreposModal):
    """One value (discount, quantity): validated by *check* before it is returned."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel")]

    def __init__(self, title: str, label_key: str, name: str, hint: str, check: Any, value: str = "") -> None:
        super().__init__()
        self.title_text, self.label_key, self.field_name = title, label_key, name
        self.hint, self.check, self.value = hint, check, value

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Static(self.title_text, classes="title")
            yield FormField(self.label_key, Input(self.value, id="value", max_length=20), name=self.field_name)
            yield Static(self.hint, classes="hint")
            yield Static("", id="message")

    def on_mount(self) -> None:
        self.query_one("#value", Input).focus()

    @on(Input.Submitted)
    def _done(self, event: Input.Submitted) -> None:
        self.clear_errors()
        try:
            self.check(event.value)
        except DomainError as exc:
            self.show_error(exc if exc.field else DomainError(exc.key, field=self.field_name, **exc.params))
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CustomerPick(StoreposModal):
    BINDINGS = [Binding("escape", "cancel", "key.cancel"), Binding("delete", "clear", "key.clear_customer", show=False)]

    def __init__(self, store_id: int) -> None:
        super().__init__()
        self.store_id = store_id
        self.rows: list[Customer] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="customer-box"):
            yield Static(t("checkout.customer_title"), classes="title")
            yield FormField("checkout.customer_search", Input(id="q", max_length=40), name="q")
            yield DataTable(id="customers", cursor_type="row")
            yield Static(t("checkout.customer_hint"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#customers", DataTable).add_columns("No.", "", "", "")
        self._search("")
        self.query_one("#q", Input).focus()

    @on(Input.Changed, "#q")
    def _changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    def _search(self, text: str) -> None:
        from storepos.services.checkout import customer_credit
        from storepos.services.core.store import business_date

        self.rows = checkout.find_customers(self.store_id, text)
        table = self.query_one("#customers", DataTable)
        table.clear()
        today = business_date(get_store(self.store_id))
        for c in self.rows:
            credit = customer_credit(c, today)
            table.add_row(c.number, c.name, c.phone, t("checkout.customer_credit", owed=fmt(credit.owed, fen=True),
                                                      limit=fmt(c.credit_limit, fen=True), days=c.credit_days))

    @on(Input.Submitted, "#q")
    def _pick_first(self) -> None:
        table = self.query_one("#customers", DataTable)
        if self.rows:
            self.dismiss(self.rows[table.cursor_row or 0].id)

    @on(DataTable.RowSelected)
    def _pick(self, event: DataTable.RowSelected) -> None:
        self.dismiss(self.rows[event.cursor_row].id)

    def key_down(self) -> None:
        if self.query_one("#q", Input).has_focus:
            self.query_one("#customers", DataTable).focus()

    def action_clear(self) -> None:
        self.dismiss(0)

    def action_cancel(self) -> None:
        self.dismiss(None)


class OptionsForm(StoreposModal):
    """Fulfilment (take now / deliver on a date), mode, deposit and the invoice request."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel"), Binding("ctrl+s", "save", "key.save", priority=True)]

    def __init__(self, cart: Cart) -> None:
        super().__init__()
        self.cart = cart

    def compose(self) -> ComposeResult:
        o = self.cart.options
        policy = settings_of(get_store(self.cart.store_id))
        from storepos.services.core import sop

        modes = [(e.label, e.code) for e in sop.entries("checkout_checks", "fulfilment_modes")]
        with VerticalScroll(classes="modal-box", id="options-box"):
            yield Static(t("checkout.options_title"), classes="title")
            yield FormField("checkout.fulfilment", Select(
                [(t("checkout.fulfil_take"), "take"), (t("checkout.fulfil_deliver"), "deliver")],
                value=o.fulfilment, allow_blank=False, id="fulfilment"), name="fulfilment")
            yield FormField("checkout.delivery_date", Input(o.delivery_date.isoformat() if o.delivery_date else "",
                                                            placeholder="YYYY-MM-DD", id="delivery_date"),
                            name="delivery_date")
            yield FormField("checkout.settle_mode", Select(modes, value=o.settle_mode or policy.fulfilment_mode,
                                                           allow_blank=False, id="settle_mode"), name="settle_mode")
            yield FormField("checkout.deposit", Select(
                [(t("checkout.deposit_no"), "no"), (t("checkout.deposit_yes"), "yes")],
                value="yes" if o.deposit else "no", allow_blank=False, id="deposit"), name="deposit")
            yield FormField("checkout.invoice_kind", Select(
                [(t("checkout.invoice_none"), "none"), (t("checkout.invoice_ordinary"), "ordinary"),
                 (t("checkout.invoice_special"), "special")], value=o.invoice_kind or "none",
                allow_blank=False, id="invoice_kind"), name="invoice_kind")
            yield FormField("checkout.invoice_title", Input(o.invoice_title, id="invoice_title", max_length=200),
                            name="invoice_title")
            yield FormField("checkout.invoice_tax_no", Input(o.invoice_tax_no, id="invoice_tax_no", max_length=40),
                            name="invoice_tax_no")
            yield Static(t("checkout.options_hint"), classes="hint")
            yield Static("", id="message")

    def on_mount(self) -> None:
        self.query_one("#fulfilment", Select).focus()

    def action_save(self) -> None:
        import datetime as dt

        self.clear_errors()
        o = self.cart.options
        raw = self.query_one("#delivery_date", Input).value.strip()
        try:
            day = dt.date.fromisoformat(raw) if raw else None
        except ValueError:
            self.show_error(DomainError("err.bad_date", field="delivery_date"))
            return
        fulfilment = str(self.query_one("#fulfilment", Select).value)
        if fulfilment == "deliver" and day is None:
            self.show_error(DomainError("err.delivery_date_required", field="delivery_date"))
            return
        kind = str(self.query_one("#invoice_kind", Select).value)
        title = self.query_one("#invoice_title", Input).value.strip()
        if kind != "none" and not title:
            self.show_error(DomainError("err.invoice_title_required", field="invoice_title"))
            return
        o.fulfilment, o.delivery_date = fulfilment, day if fulfilment == "deliver" else None
        o.settle_mode = str(self.query_one("#settle_mode", Select).value)
        o.deposit = self.query_one("#deposit", Select).value == "yes" and fulfilment == "deliver"
        o.invoice_kind = "" if kind == "none" else kind
        o.invoice_title, o.invoice_tax_no = title, self.query_one("#invoice_tax_no", Input).value.strip()
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class ChecksScreen(StoreposModal):
    """The five checks, failed ones marked, with the manager override (recorded as an Approval)."""

    BINDINGS = [Binding("escape", "cancel", "key.back"), Binding("m", "override", "checkout.override"),
                Binding("enter", "go_on", "key.confirm", priority=True)]

    def __init__(self, cart: Cart, on_account: Decimal) -> None:
        super().__init__()
        self.cart = cart
        self.on_account = on_account
        self.results: list[CheckResult] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="checks-box"):
            yield Static(t("checkout.checks_title"), classes="title")
            yield DataTable(id="checks", cursor_type="row")
            yield Static("", id="check-detail")
            yield Static(t("checkout.checks_hint"), classes="hint")
            yield Static("", id="message")

    def on_mount(self) -> None:
        table = self.query_one("#checks", DataTable)
        table.add_columns("", "", "", "")
        self.load()
        table.focus()

    def load(self) -> None:
        self.results = checkout.run_checks(self.actor, self.cart, on_account=self.on_account)
        table = self.query_one("#checks", DataTable)
        table.clear()
        first_bad = None
        for i, r in enumerate(self.results):
            if not r.applies:
                status = Text(t("checkout.check_na"), style="dim")
            elif r.overridden:
                status = Text(t("checkout.check_override"), style="bold yellow")
            elif r.ok:
                status = Text(t("checkout.check_ok"), style="bold green")
            else:
                status = Text(t("checkout.check_fail"), style="bold red")
                first_bad = i if first_bad is None else first_bad
            over = t("checkout.over_by", amount=r.over_by) if r.over_by and not r.passed else ""
            table.add_row(r.letter, r.label, status, over)
        if first_bad is not None:
            table.move_cursor(row=first_bad)
        self._detail()

    @on(DataTable.RowHighlighted)
    def _detail(self, *_: Any) -> None:
        r = self._current()
        if r is not None:
            self.query_one("#check-detail", Static).update(f"{r.letter}. {r.message}")

    def _current(self) -> CheckResult | None:
        row = self.query_one("#checks", DataTable).cursor_row or 0
        return self.results[row] if 0 <= row < len(self.results) else None

    def action_override(self) -> None:
        r = self._current()
        if r is None or r.ok:
            r = next((x for x in self.results if not x.ok), None)
        if r is None:
            return
        kind = "price_floor" if r.key == "check.authority_floor" else r.approval_kind

        def done(approval: Any) -> None:
            if approval is not None:
                self.cart.approvals[r.code] = approval.id
                self.load()

        self.app.push_screen(ManagerApproval(kind, f"{r.letter}. {r.label}: {r.message}", entity="cart",
                                             entity_id=self.cart.uuid, detail={"check": r.code}), done)

    def action_go_on(self) -> None:
        if all(r.ok for r in self.results):
            self.dismiss(True)
        else:
            self.say(t("err.checks_failed", letters=", ".join(r.letter for r in self.results if not r.ok)),
                     error=True)

    def action_cancel(self) -> None:
        self.dismiss(False)


METHOD_KEYS = {"c": "cash", "k": "card", "w": "wechat", "a": "alipay", "o": "account"}


class PaymentScreen(StoreposModal):
    """Take payments (any split) until the total is covered; cash shows the change large."""

    BINDINGS = [
        Binding("escape", "cancel", "key.back"),
        Binding("f9", "complete", "pay.complete", priority=True),
        Binding("c", "method('cash')", "pay.method.cash", show=False),
        Binding("k", "method('card')", "pay.method.card", show=False),
        Binding("w", "method('wechat')", "pay.method.wechat", show=False),
        Binding("a", "method('alipay')", "pay.method.alipay", show=False),
        Binding("o", "method('account')", "pay.method.account", show=False),
        Binding("delete", "drop", "key.drop_payment", show=False),
    ]

    def __init__(self, cart: Cart, vat_rate: int) -> None:
        super().__init__()
        self.cart = cart
        self.vat_rate = vat_rate
        self.method = "cash"

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="pay-box"):
            yield Static("", id="pay-summary")
            with Horizontal(id="pay-row"):
                yield OptionList(*[Option(f"[{k}] {t('pay.method.' + m)}", id=m) for k, m in METHOD_KEYS.items()],
                                 id="methods")
                with Vertical(id="pay-fields"):
                    yield FormField("pay.amount", Input(id="amount", max_length=16), name="amount")
                    yield FormField("pay.reference", Input(id="reference", max_length=64), name="reference")
                    yield Static(t("pay.change"), id="change-label")
                    yield Digits("0.00", id="change")
            yield Static("", id="pay-list")
            yield Static(t("pay.methods_hint"), classes="hint")
            yield Static("", id="message")

    def on_mount(self) -> None:
        self.refresh_pay()
        self.query_one("#methods", OptionList).focus()

    def refresh_pay(self) -> None:
        tot = self.cart.totals(self.vat_rate)
        text = Text()
        text.append(f"{t('pay.total')} {fmt(tot.total)}   ", style="bold")
        text.append(f"{t('pay.paid')} {fmt(tot.paid)}   ")
        text.append(f"{t('pay.remaining')} {fmt(max(tot.remaining, Decimal(0)))}", style="bold reverse")
        self.query_one("#pay-summary", Static).update(text)
        lines = Text()
        for p in self.cart.payments:
            ref = f" {p.reference}" if p.reference else ""
            extra = f"  ({t('pay.tendered')} {fmt(p.tendered)}, {t('pay.change')} {fmt(p.change)})" if p.change else ""
            lines.append(f"{t('pay.method.' + p.method)}{ref}  {fmt(p.amount)}{extra}\n")
        if self.cart.options.deposit:
            lines.append(t("pay.deposit_hint"), style="italic")
        self.query_one("#pay-list", Static).update(lines)
        amount = self.query_one("#amount", Input)
        amount.value = f"{max(tot.remaining, Decimal(0)):.2f}"
        self.query_one("#change", Digits).update(f"{tot.change:.2f}")

    @on(OptionList.OptionSelected, "#methods")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_method(str(event.option.id))

    def action_method(self, method: str) -> None:
        self.method = method
        ol = self.query_one("#methods", OptionList)
        ol.highlighted = list(METHOD_KEYS.values()).index(method)
        amount = self.query_one("#amount", Input)
        amount.focus()
        self.call_after_refresh(amount.select_all)  # typing replaces the prefilled remainder
        self.query_one("#change-label", Static).update(t("pay.tendered") + " → " + t("pay.change")
                                                      if method == "cash" else t("pay.change"))

    @on(Input.Changed, "#amount")
    def _live_change(self, event: Input.Changed) -> None:
        if self.method != "cash":
            return
        tot = self.cart.totals(self.vat_rate)
        try:
            given = parse_amount(event.value)
        except MoneyError:
            return
        change = tot.change + max(given - max(tot.remaining, Decimal(0)), Decimal(0))
        self.query_one("#change", Digits).update(f"{change:.2f}")

    @on(Input.Submitted, "#amount")
    def _amount_done(self) -> None:
        if self.method in ("wechat", "alipay", "card") and not self.query_one("#reference", Input).value.strip() \
                and self.method != "card":
            self.query_one("#reference", Input).focus()
            return
        self._take()

    @on(Input.Submitted, "#reference")
    def _reference_done(self) -> None:
        self._take()

    def _take(self) -> None:
        self.clear_errors()
        amount_input = self.query_one("#amount", Input)
        try:
            amount = parse_amount(amount_input.value)
        except MoneyError as exc:
            self.show_error(DomainError(str(exc.args[0]), field="amount"))
            return
        remaining = self.cart.totals(self.vat_rate).remaining
        try:
            if self.method == "cash":
                self.cart.add_payment("cash", min(amount, remaining), tendered=amount)
            else:
                self.cart.add_payment(self.method, amount, reference=self.query_one("#reference", Input).value)
        except DomainError as exc:
            self.show_error(exc)
            return
        self.query_one("#reference", Input).value = ""
        self.refresh_pay()
        if self.cart.totals(self.vat_rate).remaining <= 0:
            self.dismiss("complete")
            return
        self.query_one("#methods", OptionList).focus()

    def action_drop(self) -> None:
        if self.cart.payments:
            self.cart.drop_payment(len(self.cart.payments) - 1)
            self.refresh_pay()

    def action_complete(self) -> None:
        tot = self.cart.totals(self.vat_rate)
        if tot.remaining > 0 and not (self.cart.options.deposit or (
                self.cart.options.fulfilment == "deliver"
                and self.cart.options.settle_mode == "deliver_then_settle")):
            self.show_error(DomainError("err.payments_short", field="amount", short=fmt(tot.remaining)))
            return
        self.dismiss("complete")

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReceiptScreen(StoreposModal):
    """The receipt as printed (saved and sent to the print command on show); change shown large."""

    BINDINGS = [Binding("escape,enter", "close", "key.close"), Binding("r", "reprint", "returns.key_reprint"),
                Binding("w", "width", "key.width")]

    def __init__(self, sale_id: int, *, deliver: bool = True) -> None:
        super().__init__()
        self.sale_id = sale_id
        self.width = 40
        self.deliver = deliver

    def compose(self) -> ComposeResult:
        sale = Sale.get_by_id(self.sale_id)
        change = sum(p.change for p in sale.payments)
        with Vertical(classes="modal-box", id="receipt-box"):
            yield Static(t("checkout.receipt_title", no=checkout.label(sale)), classes="title")
            if change:
                with Horizontal(id="receipt-change"):
                    yield Static(t("pay.change"), id="receipt-change-label")
                    yield Digits(f"{from_fen(change):.2f}", id="change-large")
            with VerticalScroll(id="receipt-scroll"):
                yield Static("", id="receipt-text")
            yield Static(t("checkout.receipt_hint"), classes="hint")
            yield Static("", id="message")

    def on_mount(self) -> None:
        sale = Sale.get_by_id(self.sale_id)
        text = checkout.render(sale, self.width)
        self.query_one("#receipt-text", Static).update(Text(text))
        if self.deliver:
            self._send(sale, text)

    def _send(self, sale: Sale, text: str, copy_no: int = 0) -> None:
        result = checkout.deliver(sale, text, copy_no=copy_no)
        if result.error:
            self.say(t("checkout.print_failed", path=str(result.path), error=result.error), error=True)
        elif result.path is not None:
            self.say(t("checkout.printed", path=str(result.path)))

    def action_width(self) -> None:
        self.width = 80 if self.width == 40 else 40
        self.query_one("#receipt-text", Static).update(Text(checkout.render(Sale.get_by_id(self.sale_id), self.width)))

    def action_reprint(self) -> None:
        text = checkout.reprint(self.actor, self.sale_id, self.width)
        sale = Sale.get_by_id(self.sale_id)
        self.query_one("#receipt-text", Static).update(Text(text))
        self._send(sale, text, sale.reprints)
        self.notify(t("checkout.reprinted", n=sale.reprints))

    def action_close(self) -> None:
        self.dismiss(None)
