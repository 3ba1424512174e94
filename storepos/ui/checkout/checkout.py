"""Checkout (SOP step 5, 成交开票): scan into the cart, the five checks, payment, receipt.

Keyboard first: the scan box has the focus (a scanner's code + Enter lands at once, in order);
Tab moves into the cart lines where + / - change the quantity, q sets it, d sets a discount, Del
removes.  F9 pays, F8 picks the customer, F7 sets delivery and invoice, F5 opens the register.
Esc goes back without losing the cart (it lives on the app and in a draft file, payments
included).

This module is the cart screen and how the app opens it; the steps after it are their own
modules: checks (A–E), payment, receipt, dialogs (quantity, discount, customer, options).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from storepos.i18n import t
from storepos.money import fmt
from storepos.services import checkout, journey, register
from storepos.services.checkout import Cart, ChecksFailed
from storepos.services.core.errors import DomainError
from storepos.services.core.store import get_store, settings_of
from storepos.ui.checkout.checks import ChecksScreen
from storepos.ui.checkout.dialogs import OptionsForm, customer_picker, discount_prompt, qty_prompt
from storepos.ui.checkout.payment import PaymentScreen
from storepos.ui.checkout.receipt import ReceiptScreen
from storepos.ui.kit.chrome import StepRail
from storepos.ui.kit.confirm import Choice
from storepos.ui.kit.pickers import CustomerChoice, ProductPicker
from storepos.ui.kit.prompt import Prompt
from storepos.ui.kit.screen import StoreposScreen, next_step_binding
from storepos.ui.kit.table import Column, Table
from storepos.ui.kit.text import Plain, fit, money, number

__all__ = ["CheckoutScreen", "ChecksScreen", "OptionsForm", "PaymentScreen", "ReceiptScreen", "current_cart",
           "open_checkout", "open_checkout_area"]

CART_COLUMNS = (
    Column("col_no", "checkout.col_no", justify="right"),
    Column("col_sku", "checkout.col_sku"),
    Column("col_name", "checkout.col_name"),
    Column("col_qty", "checkout.col_qty", justify="right"),
    Column("col_price", "checkout.col_price", justify="right"),
    Column("col_disc", "checkout.col_disc", justify="right"),
    Column("col_total", "checkout.col_total", justify="right"),
)
NAME_WIDTH = 26  # at 80 columns; a wider terminal gives the product name the rest


def _name_width(screen_width: int) -> int:
    return max(NAME_WIDTH, screen_width - 54)


def current_cart(app: Any) -> Cart:
    """The terminal's current cart, kept in the database (services/checkout/drafts.py): after a
    restart, a crash or a lock it comes back with its payments; a new one when there is none."""
    cart = checkout.load_draft(app.actor.store_id, app.settings.terminal)
    if cart is None:
        cart = checkout.start_cart(app.actor)
    return cart


def open_checkout(app: Any, cart: Cart | None = None) -> None:
    """Open checkout; with *cart* (e.g. from checkout.start_cart for a quote or visit) it becomes
    the terminal's current cart (the one before is parked when it holds anything, never lost)."""
    if cart is not None:
        checkout.save_draft(cart, app.settings.terminal)
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
        app.notify(exc.message, severity="error", markup=False)
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
        next_step_binding(),
        Binding("escape", "back", "key.back"),
        Binding("f9", "pay", "checkout.key_pay", priority=True),
        Binding("f8", "customer", "checkout.key_customer", priority=True),
        Binding("f7", "options", "checkout.key_options", priority=True),
        Binding("f5", "register", "checkout.key_register", priority=True),
        Binding("f6", "new_sale", "checkout.key_new", priority=True),
        Binding("f11", "parked", "checkout.key_parked", priority=True),
        Binding("plus,equals_sign", "qty(1)", "checkout.key_plus"),
        Binding("minus", "qty(-1)", "checkout.key_minus"),
        Binding("d", "discount", "checkout.key_discount"),
        Binding("q", "set_qty", "checkout.key_qty", show=False),
        Binding("delete", "remove", "checkout.key_remove"),
    ]

    def __init__(self) -> None:
        super().__init__()
        # What was typed into the new-customer form of the customer picker (kept across Esc).
        self.customer_draft: dict[str, Any] = {}

    def compose_body(self) -> ComposeResult:
        with Vertical(id="checkout"):
            yield StepRail("close", id="rail")
            yield Plain("", id="cart-head", lines=False)
            yield ProductPicker(self.actor.store_id, id="picker")
            yield Table(id="cart")
            yield Plain("", id="totals")
            yield Plain("", id="message")

    def on_mount(self) -> None:
        self.cart = current_cart(self.app)
        self.vat_rate = settings_of(get_store(self.actor.store_id)).vat_rate_percent
        self.query_one("#cart", Table).set_columns(CART_COLUMNS)
        self.load_cart()
        self.query_one(ProductPicker).focus_input()
        _gate(self, lambda _approval: None)

    def load_cart(self) -> None:
        self.cart = current_cart(self.app)
        done = checkout.sale_of_cart(self.actor, self.cart)
        if done is not None:  # sold before a restart: never sell it twice
            self._finished(done)
            self.say(t("checkout.sale_exists", no=checkout.label(done)))
            return
        self.refresh_cart()

    # -- display ----------------------------------------------------------------------------

    def refresh_cart(self, select: int | None = None) -> None:
        table = self.query_one("#cart", Table)
        rows = []
        for i, ln in enumerate(self.cart.lines, start=1):
            disc = fmt(ln.discount) if ln.discount else ""
            if ln.discount_percent is not None and ln.discount:
                disc = f"{ln.discount_percent.normalize():f}%"
            name = fit(("🔒" if ln.locked else "") + ln.name, _name_width(self.app.size.width))
            rows.append((str(i), (number(i), ln.sku, name, number(ln.qty), money(ln.unit_price), disc,
                                  money(ln.total))))
        table.sync(rows, keep=str(select + 1) if select is not None else None)
        tot = self.cart.totals(self.vat_rate)
        text = Text(justify="right")
        text.append(t("checkout.items", n=tot.items) + "   ")
        text.append(f"{t('checkout.subtotal')} {fmt(tot.subtotal)}   ")
        if tot.discount:
            text.append(f"{t('checkout.discount')} -{fmt(tot.discount)}   ")
        text.append(f"{t('checkout.total')} {fmt(tot.total)}", style="bold reverse")
        if tot.paid:
            text.append(f"\n{t('pay.paid')} {fmt(tot.paid)}   {t('pay.remaining')} {fmt(tot.remaining)}")
        self.query_one("#totals", Plain).update(text)
        head = []
        if self.cart.customer_id:
            c = checkout.cart_customer(self.actor, self.cart.customer_id)
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
        # Data (the customer's name) is in this line: Plain shows it as typed, never as markup.
        self.query_one("#cart-head", Plain).update("  ·  ".join(head))

    def _changed(self, select: int | None = None) -> None:
        # The screen first, the cart's record right after the frame is drawn (a scan shows at
        # once); payments are kept the moment they are taken (the payment dialog saves itself).
        self.refresh_cart(select)
        self.call_after_refresh(self._keep_draft)

    def _keep_draft(self) -> None:
        if self.is_attached:
            checkout.save_draft(self.cart, self.app.settings.terminal)

    def _line(self) -> int:
        return self.query_one("#cart", Table).cursor_row or 0

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

    def _line_prompt(self, make: Any) -> None:
        """A Prompt on the current line (its apply edits the cart); the cursor stays on it."""
        if not self.cart.lines:
            return
        idx = self._line()

        def done(saved: bool | None) -> None:
            if saved is not None:
                self.say("")
                self._changed(idx)

        self.app.push_screen(make(self.cart, idx), done)

    def action_discount(self) -> None:
        self._line_prompt(discount_prompt)

    def action_set_qty(self) -> None:
        self._line_prompt(qty_prompt)

    def action_customer(self) -> None:
        def done(choice: CustomerChoice | None) -> None:
            if choice is None:
                return
            if self.cart.payments:
                self.show_error(DomainError("err.cart_has_payments"))
                return
            self.cart.customer_id = choice.customer_id
            self.cart.approvals.clear()
            self._changed()

        self.app.push_screen(customer_picker(self.actor.store_id, self.customer_draft), done)

    def action_options(self) -> None:
        def done(saved: bool | None) -> None:
            if saved is not None:
                self._changed()

        self.app.push_screen(OptionsForm(self.cart), done)

    def action_register(self) -> None:
        from storepos.ui.register.register import RegisterScreen

        self.app.push_screen(RegisterScreen())

    def on_resize(self) -> None:
        if hasattr(self, "cart"):
            self.refresh_cart()

    def on_screen_resume(self) -> None:
        if hasattr(self, "cart"):
            self.refresh_cart()

    def action_new_sale(self) -> None:
        """A new sale: straight away when the cart is empty; else ask first (park it, drop it, or
        keep selling it): a cart is never dropped without being asked."""
        if not self.cart.lines and not self.cart.payments:
            self._new_cart()
            return
        tot = self.cart.totals(self.vat_rate)
        answers = [("p", "park", "checkout.choice_park")]
        if not self.cart.payments:  # money taken on it: finish or take the payments off first
            answers.append(("d", "drop", "checkout.choice_drop"))
        question = t("checkout.new_sale_ask", n=len(self.cart.lines), total=fmt(tot.total))
        if self.cart.payments:
            question += "\n" + t("checkout.new_sale_paid", paid=fmt(tot.paid))
        self.app.push_screen(Choice(question, answers), self._new_sale_answer)

    def _new_sale_answer(self, answer: str | None) -> None:
        if answer == "park":
            self.action_park()
        elif answer == "drop":
            try:
                checkout.drop_cart(self.cart, self.app.settings.terminal)
            except DomainError as exc:
                self.show_error(exc)
                return
            self._new_cart()
            self.say(t("checkout.dropped"))

    def action_park(self) -> None:
        """Put the cart aside (the customer steps away) and start a new one; F11 resumes it."""
        try:
            parked = checkout.park_cart(self.cart, self.app.settings.terminal)
        except DomainError as exc:
            self.show_error(exc)
            return
        self._new_cart()
        self.say(t("checkout.parked", label=parked.label))

    def action_parked(self) -> None:
        """The store's parked carts (every terminal): Enter resumes one here."""
        from storepos.ui.checkout.parked import ParkedCartsScreen

        def done(row: Any) -> None:
            if row is None:
                return
            if row.kind == "journey":
                self._take_journey(int(row.key))
                return
            held = bool(self.cart.lines or self.cart.payments)
            try:
                self.cart = checkout.resume_cart(self.actor.store_id, row.key, self.app.settings.terminal)
            except DomainError as exc:
                self.show_error(exc)
                return
            self.refresh_cart(0)
            self.say(t("checkout.resumed_parking") if held else t("checkout.resumed_parked"))
            self.query_one(ProductPicker).focus_input()

        self.app.push_screen(ParkedCartsScreen(), done)

    def _take_journey(self, journey_id: int) -> None:
        """A customer another terminal handed to checkout is served here: the journey comes to
        this terminal and its cart starts (the cart on the counter is parked if it holds anything)."""
        try:
            self.sapp.journey.adopt(journey_id)
        except DomainError as exc:
            self.show_error(exc)
            return
        open_checkout_area(self.app)  # the handed-on lines become this screen's cart (load_cart)

    def _new_cart(self) -> None:
        self.cart = checkout.start_cart(self.actor)
        self._changed(0)
        self.query_one(ProductPicker).focus_input()

    def action_back(self) -> None:
        checkout.save_draft(self.cart, self.app.settings.terminal)
        self.app.pop_screen()

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        """Parking by name (it is also the first answer of F6's question)."""
        return [(t("checkout.key_park"), t("checkout.park_help"), self.action_park)]

    def action_next_step(self) -> None:
        """F10: the sale's next step is the payment (the checks first, as F9)."""
        self.action_pay()

    # -- paying -----------------------------------------------------------------------------

    def action_pay(self) -> None:
        self.clear_errors()
        if not self.cart.lines:
            self.show_error(DomainError("err.cart_empty"))
            return
        if register.current_session(self.actor.store_id, self.actor.terminal) is None:
            self._offer_register()
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

    def _offer_register(self) -> None:
        """The next step needs an open register: offer to open it right here (the float counted and
        typed), then go on to the payment; Esc leaves the cart as it is."""
        def done(opened: Any) -> None:
            if opened is None:
                self.show_error(DomainError("err.no_session", terminal=self.actor.terminal))
                return
            self.say(t("register.opened", amount=fmt(opened.float_amount, fen=True)))
            self.refresh_cart()
            self.action_pay()

        self.app.push_screen(Prompt(t("checkout.open_register_now", terminal=self.actor.terminal), "register.float",
                                    "", lambda v: register.open_session(self.actor, v), name="float_amount",
                                    hint="register.open_hint", max_length=16), done)

    def _on_account(self) -> Decimal:
        return sum((p.amount for p in self.cart.payments if p.method == "account"), Decimal("0.00"))

    def _open_payment(self) -> None:
        self._changed()
        self.app.push_screen(PaymentScreen(self.cart, self.vat_rate),
                             lambda done: self.complete() if done else self._changed())

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

    def _finished(self, sale: Any) -> None:
        self.sapp.journey.reached("receipt", sale_id=sale.id, customer_id=sale.customer_id)
        self._new_cart()
        self.say(t("checkout.completed", no=checkout.label(sale)))
        self.app.push_screen(ReceiptScreen(sale.id))

    def relabel(self) -> None:
        super().relabel()
        self.query_one(StepRail).render_rail()
        self.query_one(ProductPicker).relabel()
        self.query_one("#cart", Table).set_columns(CART_COLUMNS)
        self.refresh_cart()
