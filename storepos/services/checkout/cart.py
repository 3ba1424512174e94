"""The cart: pure maths, no database.  Money is Decimal yuan here, rounded half-up once per line.

A cart carries the UUID made when it starts; the sale row is UNIQUE on it, so paying twice, a
retry or a restart never makes two sales.  Payments taken so far and manager approvals ride on the
cart too, so Esc (or a crash, with the draft file) never loses them.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from storepos.i18n import pick
from storepos.money import CENT, MoneyError, fmt, parse_amount, round_cents
from storepos.services.core.dates import check_window, parse_date
from storepos.services.core.errors import DomainError

ZERO = Decimal("0.00")
METHODS = ("cash", "card", "wechat", "alipay", "account")
NEEDS_REFERENCE = ("wechat", "alipay")
MAX_QTY = 9999
# The store's defaults (StoreSettings.max_change, delivery_days_ahead): a caller that does not pass
# its store's bound still gets one.
DEFAULT_MAX_CHANGE = Decimal("1000.00")
DEFAULT_DELIVERY_DAYS = 730


def _dec(value: Any) -> Decimal:
    if isinstance(value, float):
        raise TypeError("money must not be float")
    return Decimal(str(value)) if not isinstance(value, Decimal) else value


@dataclass
class CartLine:
    product_id: int
    sku: str
    name_zh: str
    name_en: str
    unit_price: Decimal
    floor_price: Decimal = ZERO
    unit: str = ""
    qty: int = 1
    discount_amount: Decimal = ZERO  # fixed discount on the line (when no percent)
    discount_percent: Decimal | None = None  # percent discount, recomputed when qty changes
    locked: bool = False  # from a quote: price, quantity and discount fixed

    def __post_init__(self) -> None:
        self.unit_price = _dec(self.unit_price)
        self.floor_price = _dec(self.floor_price)
        self.discount_amount = _dec(self.discount_amount)
        if self.discount_percent is not None:
            self.discount_percent = _dec(self.discount_percent)

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)

    @property
    def gross(self) -> Decimal:
        return round_cents(self.unit_price * self.qty)

    @property
    def discount(self) -> Decimal:
        """The line's discount in yuan, rounded half-up once, never more than the line."""
        if self.discount_percent is not None:
            value = round_cents(self.gross * self.discount_percent / 100)
        else:
            value = self.discount_amount
        return min(max(value, ZERO), self.gross)

    @property
    def total(self) -> Decimal:
        return self.gross - self.discount

    @property
    def effective_percent(self) -> Decimal:
        """The discount as a percent of the line (two decimals, for the authority check)."""
        if not self.gross:
            return ZERO
        return (self.discount * 100 / self.gross).quantize(CENT)


@dataclass
class PaymentIn:
    method: str
    amount: Decimal  # applied to the sale
    tendered: Decimal = ZERO  # cash handed over (cash only)
    reference: str = ""
    change_confirmed: bool = False  # the cashier confirmed change above the store's bound

    def __post_init__(self) -> None:
        self.amount = _dec(self.amount)
        self.tendered = _dec(self.tendered)
        if self.method == "cash" and self.tendered < self.amount:
            self.tendered = self.amount

    @property
    def change(self) -> Decimal:
        return self.tendered - self.amount if self.method == "cash" else ZERO


@dataclass
class SaleOptions:
    fulfilment: str = "take"  # take (goods leave now) | deliver (on delivery_date)
    settle_mode: str | None = None  # settle_then_deliver | deliver_then_settle; None: store's
    deposit: bool = False  # take part now, balance due on delivery
    delivery_date: dt.date | None = None
    invoice_title: str = ""
    invoice_tax_no: str = ""
    invoice_kind: str = ""  # "" | ordinary | special


@dataclass
class Totals:
    subtotal: Decimal
    discount: Decimal
    total: Decimal
    vat: Decimal
    paid: Decimal
    remaining: Decimal
    change: Decimal
    items: int


@dataclass
class Cart:
    store_id: int
    uuid: str = field(default_factory=lambda: str(uuidlib.uuid4()))
    lines: list[CartLine] = field(default_factory=list)
    customer_id: int | None = None
    quote_id: int | None = None
    visit_id: int | None = None
    locked: bool = False
    plan: list[tuple[int, int, Decimal, Decimal]] | None = None  # the quote's lines, for check A
    payments: list[PaymentIn] = field(default_factory=list)
    approvals: dict[str, int] = field(default_factory=dict)  # check code -> Approval id
    options: SaleOptions = field(default_factory=SaleOptions)

    # -- editing ---------------------------------------------------------------------------

    def _guard(self, index: int | None = None) -> None:
        if self.payments:
            raise DomainError("err.cart_has_payments")
        if index is not None:
            if not 0 <= index < len(self.lines):
                raise DomainError("err.cart_no_line")
            if self.lines[index].locked:
                raise DomainError("err.cart_line_locked")
        elif self.locked:
            raise DomainError("err.cart_locked")

    def add(self, product_id: int, sku: str, name_zh: str, name_en: str, unit_price: Decimal,
            floor_price: Decimal = ZERO, unit: str = "", qty: int = 1) -> int:
        """Add *qty* of a product (scanning it again adds to its line).  Returns the line index."""
        self._guard()
        for i, line in enumerate(self.lines):
            if line.product_id == product_id and not line.locked:
                self.set_qty(i, line.qty + qty)
                return i
        self.lines.append(CartLine(product_id, sku, name_zh, name_en, unit_price, floor_price, unit, 1))
        idx = len(self.lines) - 1
        if qty != 1:
            self.set_qty(idx, qty)
        self.approvals.clear()
        return idx

    def add_hit(self, hit: Any, qty: int = 1) -> int:
        """Add a catalog.ProductHit."""
        return self.add(hit.id, hit.sku, hit.name_zh, hit.name_en, hit.price, hit.floor_price, hit.unit, qty)

    def set_qty(self, index: int, qty: int) -> None:
        """Set line *index* to *qty* units (1 to MAX_QTY).  Raises DomainError for a bad quantity,
        a locked line, or once payments are taken."""
        self._guard(index)
        if not isinstance(qty, int) or qty < 1:
            raise DomainError("err.qty_min", field="qty")
        if qty > MAX_QTY:
            raise DomainError("err.too_large", field="qty", limit=MAX_QTY)
        self.lines[index].qty = qty
        self.approvals.clear()

    def change_qty(self, index: int, delta: int) -> None:
        """Add *delta* units to line *index* (never below 1); DomainError as set_qty."""
        line = self.lines[index] if 0 <= index < len(self.lines) else None
        if line is None:
            raise DomainError("err.cart_no_line")
        self.set_qty(index, max(1, line.qty + delta))

    def set_discount(self, index: int, text: str) -> None:
        """'10%' (percent of the line) or '25.50' (yuan off the line); '' or '0' clears it."""
        self._guard(index)
        line = self.lines[index]
        raw = (text or "").strip().replace("％", "%")
        if raw in ("", "0", "0%"):
            line.discount_percent, line.discount_amount = None, ZERO
        elif raw.endswith("%"):
            try:
                pct = parse_amount(raw[:-1])
            except MoneyError as exc:
                raise DomainError(str(exc.args[0]), field="discount") from None
            if pct > 100:
                raise DomainError("err.discount_too_large", field="discount")
            line.discount_percent, line.discount_amount = pct, ZERO
        else:
            try:
                amount = parse_amount(raw)
            except MoneyError as exc:
                raise DomainError(str(exc.args[0]), field="discount") from None
            if amount > line.gross:
                raise DomainError("err.discount_too_large", field="discount")
            line.discount_percent, line.discount_amount = None, amount
        self.approvals.clear()

    def remove(self, index: int) -> None:
        """Remove line *index*.  Raises DomainError in a locked cart or once payments are taken."""
        self._guard(index)
        if self.locked:
            raise DomainError("err.cart_locked")
        del self.lines[index]
        self.approvals.clear()

    # -- fulfilment and invoice ---------------------------------------------------------------

    def set_options(self, *, fulfilment: str = "take", delivery_date: Any = "", settle_mode: str | None = None,
                    deposit: bool = False, invoice_kind: str = "", invoice_title: str = "",
                    invoice_tax_no: str = "", today: dt.date | None = None,
                    days_ahead: int = DEFAULT_DELIVERY_DAYS) -> SaleOptions:
        """Fulfilment (take now / deliver on *delivery_date*, a date or 'YYYY-MM-DD', full-width
        digits too), settle mode, deposit (only with delivery) and the invoice request
        (*invoice_kind* '' / 'none', ordinary or special; a title with any kind).  A delivery date
        lies from *today* (the store's business date) to *days_ahead* days after it.  Raises
        DomainError beside the field."""
        if fulfilment not in ("take", "deliver"):
            raise DomainError("err.not_allowed_value", field="fulfilment")
        day = delivery_date if isinstance(delivery_date, dt.date) else None
        raw = "" if day is not None else str(delivery_date or "").strip()
        if raw:
            day = parse_date(raw, "delivery_date")
        if fulfilment == "deliver" and day is None:
            raise DomainError("err.delivery_date_required", field="delivery_date")
        if fulfilment == "deliver" and day is not None and today is not None:
            check_window(day, "delivery_date", today=today, days_ahead=days_ahead)
        kind = "" if invoice_kind in ("", "none", None) else str(invoice_kind)
        if kind not in ("", "ordinary", "special"):
            raise DomainError("err.not_allowed_value", field="invoice_kind")
        title = str(invoice_title or "").strip()
        if kind and not title:
            raise DomainError("err.invoice_title_required", field="invoice_title")
        o = self.options
        o.fulfilment, o.delivery_date = fulfilment, day if fulfilment == "deliver" else None
        o.settle_mode = settle_mode or None
        o.deposit = bool(deposit) and fulfilment == "deliver"
        o.invoice_kind, o.invoice_title = kind, title
        o.invoice_tax_no = str(invoice_tax_no or "").strip()
        return o

    # -- money ------------------------------------------------------------------------------

    def totals(self, vat_rate_percent: int = 0) -> Totals:
        """Subtotal, discount, total (VAT contained at *vat_rate_percent*), paid so far, what
        remains, change given and the number of items."""
        subtotal = sum((ln.gross for ln in self.lines), ZERO)
        discount = sum((ln.discount for ln in self.lines), ZERO)
        total = subtotal - discount
        paid = sum((p.amount for p in self.payments), ZERO)
        change = sum((p.change for p in self.payments), ZERO)
        return Totals(subtotal, discount, total, vat_contained(total, vat_rate_percent), paid,
                      total - paid, change, sum(ln.qty for ln in self.lines))

    def add_payment(self, method: str, amount: Decimal, *, tendered: Decimal | None = None,
                    reference: str = "", vat_rate_percent: int = 0,
                    max_change: Decimal | None = DEFAULT_MAX_CHANGE, confirmed: bool = False) -> PaymentIn:
        """Take a payment towards what remains.  Cash may be more than remains (the excess is
        change); any other method at most what remains.  Change above *max_change* (the store's
        bound) raises DomainError err.change_confirm (naming the change) unless *confirmed*."""
        if method not in METHODS:
            raise DomainError("err.not_allowed_value", field="method")
        amount = _dec(amount)
        remaining = self.totals(vat_rate_percent).remaining
        if amount <= 0:
            raise DomainError("err.payment_positive", field="amount")
        if remaining <= 0:
            raise DomainError("err.nothing_to_pay", field="amount")
        reference = (reference or "").strip()
        if method in NEEDS_REFERENCE and not reference:
            raise DomainError("err.reference_required", field="reference")
        if method == "account" and self.customer_id is None:
            raise DomainError("err.account_needs_customer", field="method")
        if method == "cash":
            given = _dec(tendered) if tendered is not None else amount
            given = max(given, amount)
            applied = min(amount, remaining)
            change = given - applied
            if max_change is not None and change > max_change and not confirmed:
                raise DomainError("err.change_confirm", field="amount", change=fmt(change), tendered=fmt(given),
                                  limit=fmt(max_change))
            pay = PaymentIn("cash", applied, given, reference, change_confirmed=bool(confirmed))
        else:
            if amount > remaining:
                raise DomainError("err.overpaid", field="amount", remaining=f"{remaining:.2f}")
            pay = PaymentIn(method, amount, ZERO, reference)
        self.payments.append(pay)
        return pay

    def drop_payment(self, index: int) -> None:
        """Take back payment *index* (an index out of range does nothing)."""
        if 0 <= index < len(self.payments):
            del self.payments[index]

    # -- draft file -------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The cart as JSON-ready data (Decimals and dates as text), for the draft file."""
        data = asdict(self)
        return _jsonable(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Cart:
        """The cart back from to_dict's data.  Raises TypeError, ValueError, KeyError or
        decimal.InvalidOperation on data that is not such a cart."""
        data = dict(data)
        lines = [CartLine(**{**ln, "discount_percent": ln.get("discount_percent")}) for ln in data.pop("lines", [])]
        payments = [PaymentIn(**p) for p in data.pop("payments", [])]
        opts = dict(data.pop("options", {}) or {})
        if opts.get("delivery_date"):
            opts["delivery_date"] = dt.date.fromisoformat(opts["delivery_date"])
        plan = data.pop("plan", None)
        if plan is not None:
            plan = [(int(a), int(b), Decimal(c), Decimal(d)) for a, b, c, d in plan]
        approvals = {str(k): int(v) for k, v in (data.pop("approvals", {}) or {}).items()}
        return cls(lines=lines, payments=payments, options=SaleOptions(**opts), plan=plan,
                   approvals=approvals, **data)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def plan_of(lines: list[CartLine]) -> list[tuple[int, int, Decimal, Decimal]]:
    """What check A compares a sale with: (product id, qty, unit price, discount) per line."""
    return [(ln.product_id, ln.qty, ln.unit_price, ln.discount) for ln in lines]


def vat_contained(total: Decimal, rate_percent: int) -> Decimal:
    """The VAT inside a tax-inclusive amount: total × r / (100 + r), rounded half-up."""
    if not rate_percent:
        return ZERO
    return round_cents(total * rate_percent / (100 + rate_percent))


def cash_for(tendered: Decimal, remaining: Decimal) -> tuple[Decimal, Decimal]:
    """(amount applied, change) when *tendered* cash is handed over for *remaining*."""
    applied = min(tendered, remaining)
    return applied, tendered - applied
