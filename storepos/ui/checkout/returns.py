"""Returns and void: find a sale by its receipt number, return some units of some lines (stock
back or to defective; refund by the original method or cash), void it with a manager's PIN
while the goods are still in the store, reprint, mark delivered, issue the invoice."""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input

from storepos import clock
from storepos.i18n import pick, t
from storepos.money import MoneyError, fmt, from_fen, parse_amount
from storepos.services import checkout
from storepos.services.checkout import PaymentIn
from storepos.services.core.errors import DomainError
from storepos.services.core.store import get_store
from storepos.ui.checkout.payment import REFERENCE
from storepos.ui.checkout.receipt import ReceiptScreen
from storepos.ui.kit.approval import ManagerApproval
from storepos.ui.kit.fields import Field, FormField
from storepos.ui.kit.form import FormModal
from storepos.ui.kit.inputs import KitInput
from storepos.ui.kit.screen import StoreposScreen
from storepos.ui.kit.table import Column, Table
from storepos.ui.kit.text import Plain, money, number

LINE_COLUMNS = (
    Column("sku", "checkout.col_sku"),
    Column("name", "checkout.col_name"),
    Column("sold", "returns.col_sold", justify="right"),
    Column("left", "returns.col_left", justify="right"),
    Column("back", "returns.col_back", justify="right"),
    Column("defective", "returns.col_defective"),
    Column("total", "checkout.col_total", justify="right"),
)


class ReturnsScreen(StoreposScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "key.back"),
        Binding("f9", "make_return", "returns.key_return", priority=True),
        Binding("plus,equals_sign", "units(1)", "checkout.key_plus", show=False),
        Binding("minus", "units(-1)", "checkout.key_minus", show=False),
        Binding("x", "defective", "returns.key_defective", show=False),
        Binding("m", "refund_method", "returns.key_refund", show=False),
        Binding("v", "void", "returns.key_void"),
        Binding("p", "reprint", "returns.key_reprint"),
        Binding("l", "delivered", "returns.key_delivered", show=False),
        Binding("i", "invoice", "returns.key_invoice", show=False),
        Binding("b", "balance", "returns.key_balance"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sale: Any = None
        self.rows: list[dict[str, Any]] = []
        self.back: dict[int, int] = {}
        self.bad: set[int] = set()
        self.refund = "original"
        self.uuid = str(uuidlib.uuid4())

    def compose_body(self) -> ComposeResult:
        with Vertical(id="returns"):
            yield FormField("returns.receipt", KitInput(id="receipt", max_length=20,
                                                        placeholder=t("returns.receipt_hint")), name="receipt")
            yield Plain("", id="sale-info")
            yield Table(id="lines")
            yield Plain("", id="refund-info")
            yield Plain(t("returns.hint"), classes="hint", id="returns-hint")
            yield Plain("", id="message")

    def on_mount(self) -> None:
        self.query_one("#lines", Table).set_columns(LINE_COLUMNS)
        self.query_one("#receipt", Input).focus()

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#lines", Table).set_columns(LINE_COLUMNS)
        self.query_one("#receipt", Input).placeholder = t("returns.receipt_hint")
        self.query_one("#returns-hint", Plain).update(t("returns.hint"))
        self.load()

    @on(Input.Submitted, "#receipt")
    def _find(self, event: Input.Submitted) -> None:
        self.clear_errors()
        try:
            sale = checkout.find_sale(self.actor, event.value)
        except DomainError as exc:
            self.show_error(exc)
            return
        if sale.kind == "return":
            self.say(t("returns.is_return"), error=True)
            return
        self.sale = sale
        self.back, self.bad, self.uuid = {}, set(), str(uuidlib.uuid4())
        self.load()
        self.query_one("#lines", Table).focus()

    def load(self) -> None:
        if self.sale is None:
            return
        self.sale = checkout.sale_for(self.actor, self.sale.id)
        s = self.sale
        store = get_store(self.actor.store_id)
        status = t(f"returns.status_{s.status}")
        status += " · " + t("returns.delivered" if s.delivered else "returns.not_delivered")
        self.query_one("#sale-info", Plain).update(t(
            "returns.sale_info", no=checkout.label(s), date=clock.to_local(s.created_at, store.timezone)
            .strftime("%Y-%m-%d %H:%M"), status=status, total=fmt(s.total, fen=True), paid=fmt(s.paid, fen=True)))
        self.rows = checkout.return_lines_view(s)
        self.query_one("#lines", Table).fill(
            (str(r["id"]), (r["sku"], pick(r["name_zh"], r["name_en"]), number(r["qty"]), number(r["left"]),
                            Text(str(self.back.get(r["id"], 0)), style="bold", justify="right"),
                            "✓" if r["id"] in self.bad else "", money(r["line_total"], fen=True)))
            for r in self.rows)
        self.query_one("#refund-info", Plain).update(
            t("returns.refund_original" if self.refund == "original" else "returns.refund_cash"))

    def _row(self) -> dict[str, Any] | None:
        if not self.rows:
            return None
        return self.rows[min(self.query_one("#lines", Table).cursor_row or 0, len(self.rows) - 1)]

    def action_units(self, delta: int) -> None:
        r = self._row()
        if r is None:
            return
        self.back[r["id"]] = max(0, min(r["left"], self.back.get(r["id"], 0) + delta))
        self.load()

    def action_defective(self) -> None:
        r = self._row()
        if r is not None:
            self.bad ^= {r["id"]}
            self.load()

    def action_refund_method(self) -> None:
        self.refund = "cash" if self.refund == "original" else "original"
        self.load()

    def action_make_return(self) -> None:
        if self.sale is None:
            return
        self.clear_errors()
        try:
            ret = checkout.create_return(self.actor, self.sale.id, self.back, refund=self.refund,
                                         defective=self.bad & set(self.back), uuid=self.uuid)
        except DomainError as exc:
            self.show_error(exc)
            return
        self.back, self.bad, self.uuid = {}, set(), str(uuidlib.uuid4())
        self.load()
        self.say(t("returns.done", no=checkout.label(ret), amount=fmt(-ret.total, fen=True)))
        self.app.push_screen(ReceiptScreen(ret.id))

    def action_void(self) -> None:
        if self.sale is None:
            return
        s = self.sale
        if s.delivered:
            self.show_error(DomainError("err.void_delivered"))
            return

        def done(approval: Any) -> None:
            if approval is None:
                return
            try:
                checkout.void_sale(self.actor, s.id, approval.id)
            except DomainError as exc:
                self.show_error(exc)
                return
            self.load()
            self.say(t("returns.voided", no=checkout.label(s)))

        self.app.push_screen(ManagerApproval("void", t("returns.void_why", no=checkout.label(s),
                                                       total=fmt(s.total, fen=True)),
                                             entity="sale", entity_id=s.id), done)

    def action_reprint(self) -> None:
        if self.sale is None:
            return
        text = checkout.reprint(self.actor, self.sale.id, 40)
        sale = checkout.sale_for(self.actor, self.sale.id)
        checkout.deliver(sale, text, copy_no=sale.reprints)
        self.say(t("checkout.reprinted", n=sale.reprints))

    def _service(self, fn: Any, key: str) -> None:
        if self.sale is None:
            return
        try:
            fn(self.actor, self.sale.id)
        except DomainError as exc:
            self.show_error(exc)
            return
        self.load()
        self.say(t(key))

    def action_delivered(self) -> None:
        self._service(checkout.mark_delivered, "returns.delivered_ok")

    def action_invoice(self) -> None:
        self._service(checkout.issue_invoice, "returns.invoice_ok")

    def action_balance(self) -> None:
        """Take the balance due of a deposit / deliver-then-settle sale (e.g. on delivery)."""
        if self.sale is None:
            return
        if self.sale.balance_due <= 0:
            self.say(t("returns.no_balance"), error=True)
            return

        def done(paid: bool | None) -> None:
            if paid is not None:
                self.load()
                self.say(t("returns.balance_ok", left=fmt(self.sale.balance_due, fen=True)))  # type: ignore[union-attr]

        self.app.push_screen(BalanceForm(self.sale), done)


class BalanceForm(FormModal[bool]):
    """Collect (part of) a sale's balance due: amount (default: all of it), method, reference;
    dismissed with True (taken) or None."""

    METHODS = ("cash", "card", "wechat", "alipay")

    def __init__(self, sale: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sale = sale

    def form_title(self) -> str | Text:
        return t("returns.balance_title", no=checkout.label(self.sale), due=fmt(from_fen(self.sale.balance_due)))

    def intro(self) -> str | Text | None:
        return t("returns.balance_hint")

    def fields(self) -> Sequence[Field]:
        due = from_fen(self.sale.balance_due)
        return [
            Field("amount", "pay.amount", value=f"{due:.2f}", max_length=16),
            Field("method", "returns.balance_method", value="cash",
                  options=[(t(f"pay.method.{m}"), m) for m in self.METHODS]),
            REFERENCE,
        ]

    def save(self, values: dict[str, Any]) -> bool:
        try:
            amount = parse_amount(values.get("amount") or "")
        except MoneyError as exc:
            raise DomainError(str(exc.args[0]), field="amount") from None
        method = str(values.get("method") or "cash")
        checkout.settle_balance(self.actor, self.sale.id,
                                [PaymentIn(method, amount, reference=str(values.get("reference") or ""))])
        return True
