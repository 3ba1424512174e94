"""Payment: take payments (any split) until the total is covered; cash shows the change large.

The method list names each method with its key ([c] cash, [k] card, ...: plain text, never
markup); the amount is prefilled with what remains and the first key typed replaces it.
Dismissed with True (complete the sale) or None (back to the cart, payments kept)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Input, OptionList
from textual.widgets.option_list import Option

from storepos.i18n import t
from storepos.money import MoneyError, fmt, from_fen, parse_amount
from storepos.services import checkout
from storepos.services.checkout import NEEDS_REFERENCE, Cart
from storepos.services.core.errors import DomainError
from storepos.services.core.store import get_store, settings_of
from storepos.ui.kit.confirm import Confirm
from storepos.ui.kit.fields import Field, FormField
from storepos.ui.kit.inputs import KitInput, KitOptionList
from storepos.ui.kit.screen import Modal, next_step_binding
from storepos.ui.kit.text import Plain, clean

METHOD_KEYS = {"c": "cash", "k": "card", "w": "wechat", "a": "alipay", "o": "account"}

# A payment's reference, asked the same way wherever a payment is taken (here and for a balance,
# returns.BalanceForm): one field, its placeholder saying for which methods it is needed (the
# services' rule, NEEDS_REFERENCE: WeChat Pay and Alipay; a card's is optional).
REFERENCE = Field("reference", "pay.reference", max_length=64, placeholder="pay.reference_placeholder")


def needs_reference(method: str) -> bool:
    """Whether a payment by *method* is refused without its reference (services' rule)."""
    return method in NEEDS_REFERENCE


def method_label(key: str, method: str) -> Text:
    """"[c] Cash": the key in brackets as plain text (markup would eat "[c]")."""
    return Text(f"[{key}] {t('pay.method.' + method)}")


class PaymentScreen(Modal[bool]):
    BINDINGS = [
        next_step_binding(),
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
            yield Plain("", id="pay-summary")
            with Horizontal(id="pay-row"):
                yield KitOptionList(*[Option(method_label(k, m), id=m) for k, m in METHOD_KEYS.items()],
                                 id="methods", markup=False)
                with Vertical(id="pay-fields"):
                    yield FormField("pay.amount", KitInput(id="amount", max_length=16), name="amount")
                    yield FormField(REFERENCE.label, REFERENCE.build({}), name=REFERENCE.name)
                    yield Plain(t("pay.change"), id="change-label")
                    yield Digits("0.00", id="change")
            yield Plain("", id="pay-list")
            yield Plain(t("pay.methods_hint"), classes="hint")
            yield Plain("", id="message")

    def on_mount(self) -> None:
        self.refresh_pay()
        self.query_one("#methods", OptionList).focus()

    @property
    def amount_input(self) -> KitInput:
        return self.query_one("#amount", KitInput)

    def refresh_pay(self) -> None:
        tot = self.cart.totals(self.vat_rate)
        text = Text()
        text.append(f"{t('pay.total')} {fmt(tot.total)}   ", style="bold")
        text.append(f"{t('pay.paid')} {fmt(tot.paid)}   ")
        text.append(f"{t('pay.remaining')} {fmt(max(tot.remaining, Decimal(0)))}", style="bold reverse")
        self.query_one("#pay-summary", Plain).update(text)
        lines = Text()
        for p in self.cart.payments:
            ref = f" {clean(p.reference)}" if p.reference else ""
            extra = f"  ({t('pay.tendered')} {fmt(p.tendered)}, {t('pay.change')} {fmt(p.change)})" if p.change else ""
            lines.append(f"{t('pay.method.' + p.method)}{ref}  {fmt(p.amount)}{extra}\n")
        if self.cart.options.deposit:
            lines.append(t("pay.deposit_hint"), style="italic")
        self.query_one("#pay-list", Plain).update(lines)
        # What remains, prefilled: the first key typed replaces it (the kit's one rule).
        self.amount_input.prefill(f"{max(tot.remaining, Decimal(0)):.2f}")
        self.query_one("#change", Digits).update(f"{tot.change:.2f}")

    @on(OptionList.OptionSelected, "#methods")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_method(str(event.option.id))

    def action_method(self, method: str) -> None:
        if method == "account" and self.cart.customer_id is None:
            self._ask_customer_for_account()
            return
        self.method = method
        ol = self.query_one("#methods", OptionList)
        ol.highlighted = list(METHOD_KEYS.values()).index(method)
        amount = self.amount_input
        if amount.has_focus and amount.pristine:
            amount.prefill(amount.value)
        amount.focus()
        self.query_one("#change-label", Plain).update(t("pay.tendered") + " → " + t("pay.change")
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
    def _amount_done(self, event: Input.Submitted) -> None:
        event.stop()
        if needs_reference(self.method) and not self.query_one("#reference", Input).value.strip():
            self.query_one("#reference", Input).focus()
            return
        self._take()

    @on(Input.Submitted, "#reference")
    def _reference_done(self, event: Input.Submitted) -> None:
        event.stop()
        self._take()

    def _take(self, confirmed: bool = False) -> None:
        self.clear_errors()
        try:
            amount = parse_amount(self.amount_input.value)
        except MoneyError as exc:
            self.show_error(DomainError(str(exc.args[0]), field="amount"))
            return
        remaining = self.cart.totals(self.vat_rate).remaining
        try:
            if self.method == "cash":
                # Change above the store's bound (a slip of the keys: ¥99,999,999 for ¥56) asks first.
                bound = from_fen(settings_of(get_store(self.cart.store_id)).max_change)
                self.cart.add_payment("cash", min(amount, remaining), tendered=amount, max_change=bound,
                                      confirmed=confirmed)
            else:
                self.cart.add_payment(self.method, amount, reference=self.query_one("#reference", Input).value)
        except DomainError as exc:
            if exc.key == "err.change_confirm" and not confirmed:
                self.show_error(exc)
                self.app.push_screen(Confirm(t("pay.change_confirm", **exc.params)),
                                     lambda yes: self._take(confirmed=True) if yes else self.amount_input.focus())
                return
            self.show_error(exc)
            return
        self._keep()
        self.query_one("#reference", Input).value = ""
        self.refresh_pay()
        if self.cart.totals(self.vat_rate).remaining <= 0:
            self.dismiss(True)
            return
        self.query_one("#methods", OptionList).focus()

    def action_drop(self) -> None:
        if self.cart.payments:
            self.cart.drop_payment(len(self.cart.payments) - 1)
            self._keep()
            self.refresh_pay()

    def _ask_customer_for_account(self) -> None:
        """On account needs a customer: choose one right here (F8's picker), then on account."""
        from storepos.ui.checkout.dialogs import customer_picker

        def done(choice: Any) -> None:
            if choice is None or choice.customer_id is None:
                self.show_error(DomainError("err.account_needs_customer", field="amount"))
                return
            self.cart.customer_id = choice.customer_id
            self.cart.approvals.clear()  # the credit checks are the new customer's
            self._keep()
            customer = checkout.cart_customer(self.actor, choice.customer_id)
            self.say(t("pay.customer_for_account", name=customer.name if customer is not None else ""))
            self.action_method("account")

        self.say(t("pay.account_choose_customer"))
        self.app.push_screen(customer_picker(self.actor.store_id), done)

    def _keep(self) -> None:
        """A payment taken (or dropped) is in the cart's record at once: a crash or a kill after
        it still shows it paid, never inviting a second charge."""
        checkout.save_draft(self.cart, self.app.settings.terminal)

    def action_next_step(self) -> None:
        """F10: what remains is taken (the method and amount shown), or the sale completes."""
        if self.cart.totals(self.vat_rate).remaining > 0:
            self._take()
        else:
            self.action_complete()

    def action_complete(self) -> None:
        tot = self.cart.totals(self.vat_rate)
        if tot.remaining > 0 and not (self.cart.options.deposit or (
                self.cart.options.fulfilment == "deliver"
                and self.cart.options.settle_mode == "deliver_then_settle")):
            self.show_error(DomainError("err.payments_short", field="amount", short=fmt(tot.remaining)))
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(None)
