"""Checkout's small dialogs, all on the kit: the quantity and the discount of a line (Prompt),
the customer of the sale (the kit's CustomerPicker, with the credit standing) and the
fulfilment/invoice options (a FormModal)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storepos.i18n import t
from storepos.money import fmt
from storepos.services import checkout
from storepos.services.checkout import Cart, CartLine
from storepos.services.core import sop
from storepos.services.core.numbers import parse_whole
from storepos.services.core.store import business_date, get_store, settings_of
from storepos.ui.kit.fields import Field
from storepos.ui.kit.form import FormModal
from storepos.ui.kit.pickers import CustomerPicker
from storepos.ui.kit.prompt import Prompt


def qty_prompt(cart: Cart, index: int) -> Prompt[bool]:
    """The quantity of line *index*, prefilled (the first key typed replaces it)."""
    line = cart.lines[index]
    return Prompt(t("checkout.qty_title", name=line.name), "checkout.qty_label", str(line.qty),
                  lambda v: cart.set_qty(index, parse_whole(v, field="qty")), name="qty", max_length=6)


def discount_text(line: CartLine) -> str:
    """A line's discount as it is typed: '10%', '25.50', or '' for none."""
    if line.discount_percent is not None:
        return f"{line.discount_percent.normalize():f}%"
    return f"{line.discount_amount:.2f}" if line.discount_amount else ""


def discount_prompt(cart: Cart, index: int) -> Prompt[bool]:
    """The discount of line *index* ('10%' or '25.50'), its current one prefilled."""
    line = cart.lines[index]
    return Prompt(t("checkout.discount_title", name=line.name), "checkout.discount_label", discount_text(line),
                  lambda v: cart.set_discount(index, v), name="discount", max_length=20,
                  hint="checkout.discount_hint")


def customer_picker(store_id: int, draft: dict[str, Any] | None = None) -> CustomerPicker:
    """The kit's customer picker: everyone when the box is empty, each with what they owe against
    their credit limit; Delete chooses no customer."""
    today = business_date(get_store(store_id))

    def credit(c: Any) -> str:
        owed = checkout.customer_credit(c, today).owed
        return t("checkout.customer_credit", owed=fmt(owed, fen=True), limit=fmt(c.credit_limit, fen=True),
                 days=c.credit_days)

    # No segment column: at 80 columns the credit standing matters more here.
    return CustomerPicker(draft=draft, allow_none=True, search=checkout.find_customers, segment=False,
                          detail=("checkout.col_credit", credit), title_key="checkout.customer_title",
                          hint_key="checkout.customer_hint")


class OptionsForm(FormModal[bool]):
    """Fulfilment (take now / deliver on a date), settle mode, deposit and the invoice request,
    written into the cart; dismissed with True (saved) or None."""

    TITLE_KEY = "checkout.options_title"

    def __init__(self, cart: Cart, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cart = cart

    def fields(self) -> Sequence[Field]:
        o = self.cart.options
        policy = settings_of(get_store(self.cart.store_id))
        modes = [(e.label, e.code) for e in sop.entries("checkout_checks", "fulfilment_modes")]
        return [
            Field("fulfilment", "checkout.fulfilment", value=o.fulfilment,
                  options=[(t("checkout.fulfil_take"), "take"), (t("checkout.fulfil_deliver"), "deliver")]),
            Field("delivery_date", "checkout.delivery_date",
                  value=o.delivery_date.isoformat() if o.delivery_date else "", max_length=16,
                  placeholder="checkout.date_placeholder"),
            Field("settle_mode", "checkout.settle_mode", value=o.settle_mode or policy.fulfilment_mode,
                  options=modes),
            Field("deposit", "checkout.deposit", value="yes" if o.deposit else "no",
                  options=[(t("checkout.deposit_no"), "no"), (t("checkout.deposit_yes"), "yes")]),
            Field("invoice_kind", "checkout.invoice_kind", value=o.invoice_kind or "none",
                  options=[(t("checkout.invoice_none"), "none"), (t("checkout.invoice_ordinary"), "ordinary"),
                           (t("checkout.invoice_special"), "special")]),
            Field("invoice_title", "checkout.invoice_title", value=o.invoice_title, max_length=200),
            Field("invoice_tax_no", "checkout.invoice_tax_no", value=o.invoice_tax_no, max_length=40),
        ]

    def save(self, values: dict[str, Any]) -> bool:
        store = get_store(self.cart.store_id)
        self.cart.set_options(
            today=business_date(store), days_ahead=settings_of(store).delivery_days_ahead,
            fulfilment=str(values.get("fulfilment") or "take"), delivery_date=values.get("delivery_date") or "",
            settle_mode=values.get("settle_mode") or None, deposit=values.get("deposit") == "yes",
            invoice_kind=str(values.get("invoice_kind") or ""), invoice_title=values.get("invoice_title") or "",
            invoice_tax_no=values.get("invoice_tax_no") or "")
        return True
