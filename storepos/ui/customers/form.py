"""The customer form: add a customer on the spot (from the customers list or any picker) or edit
one.  A likely duplicate is a warning beside the field: Ctrl+S again adds anyway."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from storepos.i18n import t
from storepos.money import fmt
from storepos.services import customers
from storepos.services.core.permissions import can
from storepos.ui.kit.fields import Field
from storepos.ui.kit.form import FormModal

CONTACT_FIELDS = ("name", "phone", "segment", "address", "notes")


def who(c: Any) -> str:
    """A customer as results and titles name them: "张伟 (C0001)"."""
    return t("customer.who", name=c.name, number=c.number)


def segments() -> list[tuple[str, str]]:
    return [(t(f"customer.segment_{s}"), s) for s in customers.SEGMENTS]


class CustomerForm(FormModal[int]):
    """Add a customer (no *customer*) or edit one; dismissed with its id, or None.

    *prefill*: what was typed in a search (phone digits go to the phone, anything else to the
    name; the first key typed replaces it); *draft*: the opener's dict keeping a new customer
    typed before Esc."""

    HINT_KEY = "customer.form_hint"

    def __init__(self, customer: Any | None = None, *, prefill: str = "",
                 draft: dict[str, Any] | None = None) -> None:
        super().__init__(draft=draft if customer is None else None)
        self.customer = customer
        self.prefill = prefill
        self._confirm: tuple[str, str] | None = None  # (name, phone) the duplicate warning was for

    def form_title(self) -> str | Text:
        if self.customer is not None:
            return t("customer.edit_title_of", who=who(self.customer))
        return t("customer.add_title")

    @property
    def manager(self) -> bool:
        return can(self.actor, "customer.credit")

    def fields(self) -> Sequence[Field]:
        c = self.customer
        name, phone = (c.name, c.phone) if c is not None else ("", "")
        if c is None and self.prefill.strip():
            text = self.prefill.strip()
            if text.replace(" ", "").replace("-", "").isdigit():
                phone = text
            else:
                name = text
        locked = not self.manager
        return [
            Field("name", "customer.name", value=name, max_length=100),
            Field("phone", "customer.phone", value=phone, max_length=30, placeholder="customer.phone_placeholder"),
            Field("segment", "customer.segment", value=c.segment if c is not None else "retail", options=segments()),
            Field("address", "customer.address", value=c.address if c is not None else "", max_length=200),
            Field("notes", "customer.notes", value=c.notes if c is not None else "", max_length=2000),
            Field("credit_limit", "customer.credit_limit",
                  value=fmt(c.credit_limit, fen=True, symbol=False) if c is not None else "0.00",
                  max_length=14, disabled=locked),
            Field("credit_days", "customer.credit_days", value=str(c.credit_days) if c is not None else "0",
                  max_length=4, disabled=locked),
        ]

    def compose_extra(self) -> ComposeResult:
        if not self.manager:
            yield Static(t("customer.credit_managers_only"), classes="hint", id="credit-note", markup=False)

    def save(self, values: dict[str, Any]) -> int:
        data = {k: values.get(k) or "" for k in CONTACT_FIELDS}
        data["segment"] = values.get("segment") or "retail"
        if self.manager:
            data["credit_limit"] = values.get("credit_limit") or "0"
            data["credit_days"] = values.get("credit_days") or "0"
        if self.customer is not None:
            return int(customers.update(self.actor, self.customer.id, data).id)
        key = (str(data["name"]).strip(), str(data["phone"]).strip())
        try:
            c = customers.create(self.actor, data, confirm_duplicate=self._confirm == key)
        except customers.DuplicateWarning:
            self._confirm = key
            raise
        return int(c.id)

    def show_form_error(self, exc: Any) -> None:
        super().show_form_error(exc)
        if isinstance(exc, customers.DuplicateWarning):
            self.say(t("customer.duplicate_confirm"), error=True)
