"""Quoting and negotiation (SOP step 4, 报价与谈判).

A quote moves draft → given → accepted → converted, or ends expired / cancelled.  Editing a
quote that was given makes the next revision (back to draft until given again); the given one
stays as a QuoteRevision snapshot, so the customer's earlier offers remain readable and a diff
shows what changed.

Price authority: a line (or the whole quote) that comes out further below list price than the
actor's discount authority, or below the product's floor price, is a *violation*; a manager's
approval (services.approvals.grant, then :func:`attach_approval`) covers it down to the total it
was approved at.  A quote with an uncovered violation cannot be given.

Money: fen in the database, Decimal in Python; a line total is rounded half-up once per line.
Checkout calls :func:`lines_for_checkout` (prices locked to the quote) and, inside its sale
transaction, :func:`mark_converted` (once only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import BaseModel, Field

from storepos import clock
from storepos.db import database, transactional
from storepos.i18n import pick, t
from storepos.models import Approval, Customer, Product, Quote, QuoteLine, QuoteRevision, Staff, Store
from storepos.models.quote import OPEN_STATUSES
from storepos.money import MoneyError, fmt, from_fen, parse_amount, to_fen
from storepos.services.core import approvals, audit
from storepos.services import visits
from storepos.services import home as home_service
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound, parse
from storepos.services.core.numbers import WholeNumber
from storepos.services.core.permissions import require
from storepos.services.core.store import business_date, get_store, settings_of

EDITABLE = ("draft", "given")  # a given quote becomes the next revision when edited
MAX_QTY = 9999


# -- inputs ---------------------------------------------------------------------------------

class QtyInput(BaseModel):
    qty: WholeNumber = Field(ge=1, le=MAX_QTY)


class DiscountPctInput(BaseModel):
    discount_pct: int = Field(ge=0, le=100)


class NotesInput(BaseModel):
    notes: str = Field("", max_length=1000)


# -- reading --------------------------------------------------------------------------------

def get(actor_or_store: Actor | int, quote_id: int) -> Quote:
    """The quote *quote_id* of the actor's store.  Raises NotFound."""
    store_id = actor_or_store.store_id if isinstance(actor_or_store, Actor) else actor_or_store
    quote = Quote.get_or_none(Quote.id == quote_id, Quote.store == store_id)
    if quote is None:
        raise NotFound("err.quote_not_found")
    return quote


def lines_of(quote_id: int) -> list[QuoteLine]:
    return list(QuoteLine.select().where(QuoteLine.quote == quote_id).order_by(QuoteLine.position))


def line_name(line: QuoteLine | dict[str, Any]) -> str:
    if isinstance(line, dict):
        return pick(line.get("name_zh"), line.get("name_en"))
    return pick(line.name_zh, line.name_en)


def customer_label(quote: Quote) -> str:
    if quote.customer_id is None:
        return t("quote.walk_in")
    c = Customer.get_by_id(quote.customer_id)
    return f"{c.name} {c.phone}".strip()


def today_of(store_id: int) -> dt.date:
    return business_date(get_store(store_id))


def days_left(quote: Quote, today: dt.date) -> int:
    return (quote.valid_until - today).days


# -- sums -----------------------------------------------------------------------------------

def line_total_fen(unit_price: int, qty: int, discount_pct: int) -> int:
    """unit price × qty less the line discount, rounded half-up to the fen once."""
    amount = Decimal(unit_price) * qty * (Decimal(100) - discount_pct) / Decimal(100)
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _percent_off(list_amount: int, amount: int) -> Decimal:
    if list_amount <= 0 or amount >= list_amount:
        return Decimal(0)
    return (Decimal(list_amount - amount) * 100 / Decimal(list_amount)).quantize(Decimal("0.01"))


def _recalc(quote: Quote) -> None:
    rows = lines_of(quote.id)
    quote.subtotal = sum(r.total for r in rows)
    quote.list_total = sum(r.list_price * r.qty for r in rows)
    if quote.discount > quote.subtotal:
        quote.discount = quote.subtotal
    quote.total = quote.subtotal - quote.discount
    quote.updated_at = clock.now()
    quote.save()


def _snapshot_line(line: QuoteLine) -> dict[str, Any]:
    return {"product_id": line.product_id, "sku": line.sku, "name_zh": line.name_zh,
            "name_en": line.name_en, "unit": line.unit, "qty": line.qty, "list_price": line.list_price,
            "unit_price": line.unit_price, "discount_pct": line.discount_pct, "total": line.total,
            "approval_id": line.approval_id}


def _view(quote: Quote) -> dict[str, Any]:
    return {"status": quote.status, "revision": quote.revision, "total": quote.total,
            "discount": quote.discount, "valid_until": str(quote.valid_until)}


# -- authority ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Violation:
    """Something the actor may not offer without a manager: kind is an approvals kind."""

    kind: str  # "discount" | "price_floor"
    line_id: int | None  # None: the whole quote
    sku: str
    name: str
    total: int  # fen, the amount to be approved
    percent_off: Decimal
    floor_total: int

    @property
    def why(self) -> str:
        what = self.name if self.line_id is not None else t("quote.whole_quote")
        if self.kind == "price_floor":
            return t("quote.why_floor", what=what, total=fmt(self.total, fen=True),
                     floor=fmt(self.floor_total, fen=True))
        return t("quote.why_discount", what=what, percent=f"{self.percent_off:g}",
                 total=fmt(self.total, fen=True))

    @property
    def detail(self) -> dict[str, Any]:
        return {"line_id": self.line_id, "sku": self.sku, "total": self.total,
                "percent_off": str(self.percent_off), "floor_total": self.floor_total}


def violations(quote_id: int, authority: int) -> list[Violation]:
    """What on the quote goes beyond *authority* (percent) or below floor and is not yet covered
    by a manager's approval (approved at a total at or below today's)."""
    quote = Quote.get_by_id(quote_id)
    out: list[Violation] = []
    floor_sum = 0
    for line in lines_of(quote_id):
        floor_total = line.floor_price * line.qty
        floor_sum += floor_total
        off = _percent_off(line.list_price * line.qty, line.total)
        below_floor = line.total < floor_total
        if not below_floor and off <= authority:
            continue
        if line.approved_total is not None and line.total >= line.approved_total:
            continue
        out.append(Violation("price_floor" if below_floor else "discount", line.id, line.sku,
                             line_name(line), line.total, off, floor_total))
    if quote.discount > 0:
        off = _percent_off(quote.list_total, quote.total)
        below_floor = quote.total < floor_sum
        covered = quote.approved_total is not None and quote.total >= quote.approved_total
        if (below_floor or off > authority) and not covered:
            out.append(Violation("price_floor" if below_floor else "discount", None, "", "",
                                 quote.total, off, floor_sum))
    return out


@transactional
def attach_approval(actor: Actor, quote_id: int, approval_id: int, *, line_id: int | None = None) -> None:
    """Let a manager's approval (granted for this quote) cover a line, or the whole quote when
    *line_id* is None, down to its present total.  Raises DomainError when the approval is not
    one for this quote."""
    require(actor, "quote.use")
    quote = get(actor, quote_id)
    approval = Approval.get_or_none(Approval.id == approval_id, Approval.store == actor.store_id)
    if approval is None or approval.kind not in ("discount", "price_floor") or approval.entity != "quote" \
            or approval.entity_id != str(quote.id):
        raise DomainError("err.quote_bad_approval")
    if line_id is None:
        Quote.update(approval=approval.id, approved_total=quote.total).where(Quote.id == quote.id).execute()
        covered = quote.total
    else:
        line = QuoteLine.get_or_none(QuoteLine.id == line_id, QuoteLine.quote == quote.id)
        if line is None:
            raise NotFound("err.quote_line_not_found")
        QuoteLine.update(approval=approval.id, approved_total=line.total).where(QuoteLine.id == line.id).execute()
        covered = line.total
    audit.record(actor, "quote.approval", "quote", quote.id,
                 after={"approval": approval.id, "kind": approval.kind, "line": line_id, "total": covered})


# -- writing --------------------------------------------------------------------------------

def _next_number(store_id: int, day: dt.date) -> str:
    prefix = f"Q{day:%Y%m%d}-"
    last = (Quote.select(Quote.number)
            .where(Quote.store == store_id, Quote.number >= prefix, Quote.number < prefix + "\uffff")
            .order_by(Quote.number.desc()).first())
    seq = int(last.number.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:03d}"


# The needs a quote may show the customer.  Budget and the free-text notes stay internal: they
# are on the visit (and its customer's history), never on the printed quote.
CUSTOMER_NEEDS = ("spec", "quantity", "delivery_time", "use")


def _needs_text(needs: dict[str, Any] | None) -> str:
    """A visit's customer-facing needs (CUSTOMER_NEEDS) as one line of quote notes,
    labelled from fixtures/sop/needs.toml."""
    from storepos.services.core import sop

    if not needs:
        return ""
    labels = {e.code: e.label for e in sop.entries("needs", "fields")}
    parts = []
    for code in CUSTOMER_NEEDS:
        value = needs.get(code)
        if value in (None, "", []):
            continue
        parts.append(f"{labels.get(code, code)}: {value}")
    return "; ".join(parts)


@transactional
def create(actor: Actor, *, customer_id: int | None = None, visit_id: int | None = None,
           notes: str = "", gate_approval_id: int | None = None) -> Quote:
    """A new draft quote (numbered Q<date>-<seq>), valid for the store's default days.

    With *visit_id* the visit's customer, needs (as notes) and products shown come along, and the
    visit points at the quote.  *gate_approval_id*: the manager's opening-checklist gate approval
    given to start it (issue 4), pointed at the new quote.  Raises NotFound for a customer or visit of another store."""
    require(actor, "quote.use")
    store = get_store(actor.store_id)
    today = business_date(store)
    product_ids: list[int] = []
    if visit_id is not None:
        carried = visits.carry_forward(visit_id)
        if carried["store_id"] != store.id:
            raise NotFound("err.visit_not_found")
        customer_id = customer_id or carried.get("customer_id")
        product_ids = list(carried.get("product_ids") or [])
        notes = "\n".join(x for x in (notes, _needs_text(carried.get("needs"))) if x)
    if customer_id is not None and Customer.get_or_none(
            Customer.id == customer_id, Customer.store == store.id) is None:
        raise NotFound("err.quote_customer_not_found")
    notes = parse(NotesInput, {"notes": notes[:1000]}).notes
    now = clock.now()
    quote = Quote.create(
        store=store.id, number=_next_number(store.id, today), customer=customer_id, staff=actor.staff_id,
        visit_id=visit_id, status="draft",
        valid_until=today + dt.timedelta(days=settings_of(store).quote_valid_days), notes=notes,
        created_at=now, updated_at=now)
    audit.record(actor, "quote.create", "quote", quote.id,
                 after={"number": quote.number, "customer": customer_id, "visit": visit_id})
    for pid in product_ids:
        product = Product.get_or_none(Product.id == pid, Product.store == store.id)
        if product is not None and product.active:
            _add_line(actor, quote, product, 1)
    if visit_id is not None:
        visits.link_quote(actor, visit_id, quote.id)
    if gate_approval_id is not None:
        approvals.attach(gate_approval_id, "quote", quote.id)
    _recalc(quote)
    return quote


def _editable(actor: Actor, quote: Quote) -> Quote:
    """The quote ready for a change: a given one becomes the next revision (draft again)."""
    require(actor, "quote.use")
    if quote.status not in EDITABLE:
        raise DomainError("err.quote_not_editable", status=t(f"quote.status.{quote.status}"))
    if quote.status == "given":
        before = _view(quote)
        store = get_store(quote.store_id)
        quote.revision += 1
        quote.status = "draft"
        # A new offer: its validity runs from today again.
        quote.valid_until = max(quote.valid_until, business_date(store) + dt.timedelta(
            days=settings_of(store).quote_valid_days))
        quote.save()
        audit.record(actor, "quote.revise", "quote", quote.id, before=before, after=_view(quote))
    return quote


def _add_line(actor: Actor, quote: Quote, product: Product, qty: int) -> QuoteLine:
    existing = QuoteLine.get_or_none(QuoteLine.quote == quote.id, QuoteLine.product == product.id)
    if existing is not None:
        existing.qty = min(MAX_QTY, existing.qty + qty)
        existing.total = line_total_fen(existing.unit_price, existing.qty, existing.discount_pct)
        existing.save()
        audit.record(actor, "quote.line_change", "quote", quote.id,
                     after={"line": existing.id, "qty": existing.qty})
        return existing
    last = QuoteLine.select(QuoteLine.position).where(QuoteLine.quote == quote.id).order_by(
        QuoteLine.position.desc()).first()
    line = QuoteLine.create(
        quote=quote.id, position=(last.position + 1) if last else 1, product=product.id, sku=product.sku,
        name_zh=product.name_zh, name_en=product.name_en, unit=product.unit, qty=qty,
        list_price=product.price, floor_price=product.floor_price, unit_price=product.price,
        discount_pct=0, total=line_total_fen(product.price, qty, 0))
    audit.record(actor, "quote.line_add", "quote", quote.id,
                 after={"line": line.id, "sku": product.sku, "qty": qty, "unit_price": product.price})
    return line


@transactional
def add_line(actor: Actor, quote_id: int, product_id: int, qty: int = 1) -> QuoteLine:
    """Add *qty* of a product at its list price (the same product again adds to its line)."""
    quote = _editable(actor, get(actor, quote_id))
    qty = parse(QtyInput, {"qty": qty}).qty
    product = Product.get_or_none(Product.id == product_id, Product.store == actor.store_id)
    if product is None:
        raise NotFound("err.quote_product_not_found")
    if not product.active:
        raise DomainError("err.quote_product_inactive", sku=product.sku)
    line = _add_line(actor, quote, product, qty)
    _recalc(quote)
    return line


def _line_for(actor: Actor, line_id: int) -> tuple[Quote, QuoteLine]:
    line = QuoteLine.get_or_none(QuoteLine.id == line_id)
    if line is None:
        raise NotFound("err.quote_line_not_found")
    quote = _editable(actor, get(actor, line.quote_id))
    return quote, line


def _change_line(actor: Actor, line_id: int, **changes: Any) -> QuoteLine:
    quote, line = _line_for(actor, line_id)
    before = {k: getattr(line, k) for k in changes}
    for k, v in changes.items():
        setattr(line, k, v)
    line.total = line_total_fen(line.unit_price, line.qty, line.discount_pct)
    line.save()
    audit.record(actor, "quote.line_change", "quote", quote.id, before={"line": line.id, **before},
                 after={"line": line.id, **changes, "total": line.total})
    _recalc(quote)
    return line


@transactional
def set_qty(actor: Actor, line_id: int, qty: Any) -> QuoteLine:
    """Set a line's quantity (1–9999).  Raises DomainError(field='qty')."""
    return _change_line(actor, line_id, qty=parse(QtyInput, {"qty": qty}).qty)


@transactional
def change_qty(actor: Actor, line_id: int, delta: int) -> QuoteLine:
    """+1 / -1 on a line's quantity (never below 1: remove the line instead)."""
    line = QuoteLine.get_or_none(QuoteLine.id == line_id)
    if line is None:
        raise NotFound("err.quote_line_not_found")
    return _change_line(actor, line_id, qty=max(1, min(MAX_QTY, line.qty + delta)))


@transactional
def set_line_discount(actor: Actor, line_id: int, percent: Any) -> QuoteLine:
    """Set a line's discount in whole percent (0–100).  Beyond the actor's authority the line
    needs a manager before the quote can be given.  Raises DomainError(field='discount_pct')."""
    text = str(percent).strip().rstrip("%").strip() or "0"
    return _change_line(actor, line_id, discount_pct=parse(DiscountPctInput, {"discount_pct": text}).discount_pct)


@transactional
def set_unit_price(actor: Actor, line_id: int, price: Any) -> QuoteLine:
    """Set a line's negotiated unit price (yuan text or Decimal).  Raises DomainError(field='unit_price')."""
    try:
        value = parse_amount(price)
    except MoneyError as exc:
        raise DomainError(str(exc.args[0]), field="unit_price") from None
    return _change_line(actor, line_id, unit_price=to_fen(value))


@transactional
def remove_line(actor: Actor, line_id: int) -> None:
    quote, line = _line_for(actor, line_id)
    audit.record(actor, "quote.line_remove", "quote", quote.id, before=_snapshot_line(line))
    line.delete_instance()
    _recalc(quote)


@transactional
def set_discount(actor: Actor, quote_id: int, amount: Any) -> Quote:
    """Whole-quote discount in yuan off the lines' sum (e.g. rounding off).  Raises DomainError
    (field='discount') for a bad amount or one above the lines' sum."""
    quote = get(actor, quote_id)
    try:
        value = to_fen(parse_amount(amount if str(amount).strip() else "0"))
    except MoneyError as exc:
        raise DomainError(str(exc.args[0]), field="discount") from None
    if value > quote.subtotal:
        raise DomainError("err.quote_discount_too_large", field="discount", subtotal=fmt(quote.subtotal, fen=True))
    quote = _editable(actor, quote)
    before = quote.discount
    quote.discount = value
    _recalc(quote)
    audit.record(actor, "quote.discount", "quote", quote.id, before={"discount": before}, after={"discount": value})
    return quote


@transactional
def set_notes(actor: Actor, quote_id: int, notes: str) -> Quote:
    quote = _editable(actor, get(actor, quote_id))
    value = parse(NotesInput, {"notes": notes or ""}).notes.strip()
    before = quote.notes
    quote.notes = value
    _recalc(quote)
    audit.record(actor, "quote.notes", "quote", quote.id, before={"notes": before}, after={"notes": value})
    return quote


def parse_validity(text: str, today: dt.date) -> dt.date:
    """'7' (days from today) or '2026-03-10' → the last valid day.  Raises DomainError(field='valid_until')."""
    raw = (text or "").strip()
    if not raw:
        raise DomainError("err.required", field="valid_until")
    if raw.isdigit():
        days = int(raw)
        if not 1 <= days <= 365:
            raise DomainError("err.quote_validity_range", field="valid_until")
        return today + dt.timedelta(days=days)
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise DomainError("err.bad_date", field="valid_until") from None
    if day < today or day > today + dt.timedelta(days=365):
        raise DomainError("err.quote_validity_range", field="valid_until")
    return day


@transactional
def set_validity(actor: Actor, quote_id: int, text: str) -> Quote:
    quote = get(actor, quote_id)
    day = parse_validity(text, today_of(actor.store_id))
    quote = _editable(actor, quote)
    before = str(quote.valid_until)
    quote.valid_until = day
    _recalc(quote)
    audit.record(actor, "quote.validity", "quote", quote.id, before={"valid_until": before},
                 after={"valid_until": str(day)})
    return quote


@transactional
def set_customer(actor: Actor, quote_id: int, customer_id: int | None) -> Quote:
    quote = get(actor, quote_id)
    if customer_id is not None and Customer.get_or_none(
            Customer.id == customer_id, Customer.store == actor.store_id) is None:
        raise NotFound("err.quote_customer_not_found")
    quote = _editable(actor, quote)
    before = quote.customer_id
    quote.customer = customer_id
    _recalc(quote)
    audit.record(actor, "quote.customer", "quote", quote.id, before={"customer": before},
                 after={"customer": customer_id})
    return quote


# -- status ---------------------------------------------------------------------------------

@transactional
def give(actor: Actor, quote_id: int) -> Quote:
    """Hand the quote to the customer: revision n is kept as given.

    Raises DomainError when it has no lines, its validity has passed, or something on it is
    beyond the actor's authority / below floor without a manager's approval."""
    require(actor, "quote.use")
    quote = get(actor, quote_id)
    if quote.status != "draft":
        raise DomainError("err.quote_bad_transition", status=t(f"quote.status.{quote.status}"),
                          to=t("quote.status.given"))
    rows = lines_of(quote.id)
    if not rows:
        raise DomainError("err.quote_empty")
    today = today_of(actor.store_id)
    if quote.valid_until < today:
        raise DomainError("err.quote_validity_past", field="valid_until")
    problems = violations(quote.id, actor.discount_authority)
    if problems:
        raise DomainError("err.quote_needs_approval", count=len(problems))
    now = clock.now()
    QuoteRevision.delete().where(QuoteRevision.quote == quote.id,
                                 QuoteRevision.revision == quote.revision).execute()
    QuoteRevision.create(quote=quote.id, revision=quote.revision, lines=[_snapshot_line(r) for r in rows],
                         discount=quote.discount, subtotal=quote.subtotal, total=quote.total,
                         valid_until=quote.valid_until, notes=quote.notes, at=now, by=actor.staff_id)
    before = _view(quote)
    quote.status = "given"
    quote.given_at = now
    quote.updated_at = now
    quote.save()
    audit.record(actor, "quote.give", "quote", quote.id, before=before, after=_view(quote))
    return quote


@transactional
def accept(actor: Actor, quote_id: int) -> Quote:
    """The customer accepts the given quote.  Raises DomainError unless it is given and still valid."""
    require(actor, "quote.use")
    quote = get(actor, quote_id)
    if quote.status != "given":
        raise DomainError("err.quote_bad_transition", status=t(f"quote.status.{quote.status}"),
                          to=t("quote.status.accepted"))
    if quote.valid_until < today_of(actor.store_id):
        raise DomainError("err.quote_expired", number=quote.number)
    before = _view(quote)
    quote.status = "accepted"
    quote.accepted_at = quote.updated_at = clock.now()
    quote.save()
    audit.record(actor, "quote.accept", "quote", quote.id, before=before, after=_view(quote))
    return quote


@transactional
def cancel(actor: Actor, quote_id: int, reason: str = "") -> Quote:
    """Cancel an open quote (draft, given or accepted)."""
    require(actor, "quote.use")
    quote = get(actor, quote_id)
    if quote.status not in OPEN_STATUSES:
        raise DomainError("err.quote_bad_transition", status=t(f"quote.status.{quote.status}"),
                          to=t("quote.status.cancelled"))
    before = _view(quote)
    quote.status = "cancelled"
    quote.closed_at = quote.updated_at = clock.now()
    quote.save()
    audit.record(actor, "quote.cancel", "quote", quote.id, before=before,
                 after=_view(quote) | {"reason": (reason or "").strip()[:500]})
    return quote


@transactional
def expire_due(store_id: int, today: dt.date) -> int:
    """Turn the store's open quotes whose validity ended before *today* into expired.  Returns
    how many.  One indexed query (store, status, valid_until) when there is nothing to do."""
    due = list(Quote.select(Quote.id, Quote.number, Quote.status, Quote.valid_until)
               .where(Quote.store == store_id, Quote.status.in_(OPEN_STATUSES), Quote.valid_until < today))
    if not due:
        return 0
    now = clock.now()
    for q in due:
        changed = (Quote.update(status="expired", closed_at=now, updated_at=now)
                   .where(Quote.id == q.id, Quote.status == q.status).execute())
        if changed:
            audit.record(None, "quote.expire", "quote", q.id, before={"status": q.status},
                         after={"status": "expired", "valid_until": str(q.valid_until)}, store_id=store_id)
    return len(due)


_last_checked: dict[tuple[int, int], dt.date] = {}  # (database, store) -> day checked


def expire_if_new_day(store: Store | int) -> int:
    """expire_due once per business day and store (at start, then when the date changes)."""
    store = get_store(store) if isinstance(store, int) else store
    today = business_date(store)
    key = (id(database.obj), store.id)
    if _last_checked.get(key) == today:
        return 0
    count = expire_due(store.id, today)
    _last_checked[key] = today
    return count


# -- into checkout --------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckoutLine:
    """One line as checkout must sell it: prices locked to the accepted quote.

    ``line_total`` (fen) already carries its share of the whole-quote discount, so the lines add
    up to the quote's total exactly; ``discount`` = unit_price × qty − line_total."""

    quote_line_id: int
    product_id: int
    sku: str
    name_zh: str
    name_en: str
    unit: str
    qty: int
    unit_price: int  # fen, quoted unit price before discounts
    line_total: int  # fen, what the customer pays for the line
    discount: int  # fen
    approval_id: int | None
    stock: int  # stock now (re-checked at the moment checkout opens)

    @property
    def short(self) -> bool:
        return self.stock < self.qty

    def cart_line(self) -> dict[str, Any]:
        """This line as services.checkout.start_cart(lines=[...], locked=True) takes it (yuan)."""
        return {"product_id": self.product_id, "qty": self.qty, "unit_price": from_fen(self.unit_price),
                "discount": from_fen(self.discount)}

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)


def _allocate(totals: list[int], discount: int) -> list[int]:
    """Split *discount* over lines in proportion to their totals (largest remainder, in fen)."""
    base = sum(totals)
    if discount <= 0 or base <= 0:
        return [0] * len(totals)
    shares = [discount * tot // base for tot in totals]
    rest = discount - sum(shares)
    order = sorted(range(len(totals)), key=lambda i: (-(discount * totals[i] % base), i))
    for i in order[:rest]:
        shares[i] += 1
    return shares


def _check_convertible(quote: Quote) -> None:
    if quote.status == "converted":
        raise DomainError("err.quote_already_converted", number=quote.number)
    if quote.status != "accepted":
        raise DomainError("err.quote_not_accepted", number=quote.number,
                          status=t(f"quote.status.{quote.status}"))
    if quote.valid_until < business_date(get_store(quote.store_id)):
        raise DomainError("err.quote_expired", number=quote.number)


def lines_for_checkout(quote_id: int) -> list[CheckoutLine]:
    """The accepted quote's lines with prices locked, and stock as it is now.

    Raises DomainError unless the quote is accepted and still valid (converted: already sold)."""
    quote = Quote.get_or_none(Quote.id == quote_id)
    if quote is None:
        raise NotFound("err.quote_not_found")
    _check_convertible(quote)
    rows = lines_of(quote.id)
    shares = _allocate([r.total for r in rows], quote.discount)
    stock = {p.id: p.stock for p in Product.select(Product.id, Product.stock)
             .where(Product.id.in_([r.product_id for r in rows]))}
    out = []
    for r, share in zip(rows, shares, strict=True):
        total = r.total - share
        out.append(CheckoutLine(r.id, r.product_id, r.sku, r.name_zh, r.name_en, r.unit, r.qty, r.unit_price,
                                total, r.unit_price * r.qty - total, r.approval_id or quote.approval_id,
                                stock.get(r.product_id, 0)))
    return out


@transactional
def mark_converted(quote_id: int, sale_id: int, *, actor: Actor | None = None) -> Quote:
    """Record that the accepted quote became sale *sale_id*.  Call inside checkout's sale
    transaction.  Raises DomainError when it was converted before (once only), is not accepted,
    or has expired; a concurrent second conversion loses on the guarded update."""
    quote = Quote.get_or_none(Quote.id == quote_id)
    if quote is None:
        raise NotFound("err.quote_not_found")
    _check_convertible(quote)
    now = clock.now()
    changed = (Quote.update(status="converted", sale_id=sale_id, closed_at=now, updated_at=now)
               .where(Quote.id == quote.id, Quote.status == "accepted").execute())
    if changed != 1:
        raise DomainError("err.quote_already_converted", number=quote.number)
    audit.record(actor, "quote.convert", "quote", quote.id, before={"status": "accepted"},
                 after={"status": "converted", "sale": sale_id}, store_id=quote.store_id)
    return Quote.get_by_id(quote.id)


# -- revisions ------------------------------------------------------------------------------

@dataclass(frozen=True)
class LineChange:
    kind: str  # added | removed | changed
    sku: str
    name: str
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field -> (before, after)


def revision_numbers(quote_id: int) -> list[int]:
    """Revisions that can be shown: every given one, plus the current one."""
    quote = Quote.get_by_id(quote_id)
    nums = [r.revision for r in QuoteRevision.select(QuoteRevision.revision)
            .where(QuoteRevision.quote == quote_id).order_by(QuoteRevision.revision)]
    if quote.revision not in nums:
        nums.append(quote.revision)
    return nums


def revision_lines(quote_id: int, revision: int) -> tuple[list[dict[str, Any]], int, int]:
    """(lines, discount, total) of a revision: its snapshot, or the live lines for the current one."""
    snap = QuoteRevision.get_or_none(QuoteRevision.quote == quote_id, QuoteRevision.revision == revision)
    quote = Quote.get_by_id(quote_id)
    if snap is not None and not (revision == quote.revision and quote.status == "draft"):
        return list(snap.lines), snap.discount, snap.total
    if revision != quote.revision:
        raise NotFound("err.quote_revision_not_found", revision=revision)
    return [_snapshot_line(r) for r in lines_of(quote_id)], quote.discount, quote.total


def diff(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[LineChange]:
    """What changed between two revisions' lines: price, discount, quantity; added/removed lines."""
    old = {ln["product_id"]: ln for ln in before}
    new = {ln["product_id"]: ln for ln in after}
    out: list[LineChange] = []
    for pid, ln in new.items():
        if pid not in old:
            out.append(LineChange("added", ln["sku"], line_name(ln)))
            continue
        prev = old[pid]
        changes = {k: (prev[k], ln[k]) for k in ("qty", "unit_price", "discount_pct", "total") if prev[k] != ln[k]}
        if changes:
            out.append(LineChange("changed", ln["sku"], line_name(ln), changes))
    for pid, ln in old.items():
        if pid not in new:
            out.append(LineChange("removed", ln["sku"], line_name(ln)))
    return out


def diff_revisions(quote_id: int, old: int, new: int) -> tuple[list[LineChange], tuple[int, int], tuple[int, int]]:
    """Line changes between revisions *old* and *new*, plus (discount before, after) and (total before, after)."""
    a, da, ta = revision_lines(quote_id, old)
    b, db_, tb = revision_lines(quote_id, new)
    return diff(a, b), (da, db_), (ta, tb)


# -- lists and home -------------------------------------------------------------------------

@dataclass(frozen=True)
class OpenQuote:
    id: int
    number: str
    status: str
    customer: str
    staff: str
    total: int
    valid_until: dt.date
    days_left: int
    revision: int


def open_quotes(store_id: int, *, staff_id: int | None = None, statuses: tuple[str, ...] = OPEN_STATUSES,
                limit: int = 200) -> list[OpenQuote]:
    """Open quotes, soonest expiry first (given, not yet accepted, is the follow-up list)."""
    today = today_of(store_id)
    q = Quote.select().where(Quote.store == store_id, Quote.status.in_(statuses), Quote.valid_until >= today)
    if staff_id is not None:
        q = q.where(Quote.staff == staff_id)
    rows = list(q.order_by(Quote.valid_until, Quote.number).limit(limit))
    cust_ids = {r.customer_id for r in rows if r.customer_id}
    names = {c.id: c.name for c in Customer.select(Customer.id, Customer.name).where(Customer.id.in_(cust_ids))} \
        if cust_ids else {}
    staff = {s.id: s.name for s in Staff.select(Staff.id, Staff.name).where(
        Staff.id.in_({r.staff_id for r in rows}))} if rows else {}
    out = []
    for row in rows:
        cust = names.get(row.customer_id, "") if row.customer_id else t("quote.walk_in")
        out.append(OpenQuote(row.id, row.number, row.status, cust, staff.get(row.staff_id, ""), row.total,
                             row.valid_until, (row.valid_until - today).days, row.revision))
    return out


NEAR_EXPIRY_DAYS = 2


def home_figure(actor: Actor) -> home_service.Figure:
    expire_if_new_day(actor.store_id)
    given = open_quotes(actor.store_id, statuses=("given",))
    near = [q for q in given if q.days_left <= NEAR_EXPIRY_DAYS]
    return home_service.Figure("quote.glance", str(len(given)), alert=bool(near))


def home_notices(actor: Actor) -> list[str]:
    mine = open_quotes(actor.store_id, staff_id=actor.staff_id, statuses=("given",))
    return [t("quote.notice_near_expiry", number=q.number, customer=q.customer, days=q.days_left)
            for q in mine if q.days_left <= NEAR_EXPIRY_DAYS]



# -- printout -------------------------------------------------------------------------------

def render_text(quote_id: int, width: int = 40) -> str:
    """The quote as text for a *width*-column printer (40 or 80), CJK widths right."""
    from storepos.services.core import printout as p

    quote = Quote.get_by_id(quote_id)
    store = get_store(quote.store_id)
    staff = Staff.get_by_id(quote.staff_id)
    out: list[str] = []
    out.append(p.center(pick(store.name_zh, store.name_en), width))
    out.append(p.center(t("quote.print_title"), width))
    out.append(p.rule(width, "="))
    out.append(p.left_right(t("quote.print_number"), f"{quote.number} r{quote.revision}", width))
    created = clock.to_local(quote.created_at, store.timezone)
    out.append(p.left_right(t("quote.print_date"), f"{created:%Y-%m-%d}", width))
    out.append(p.left_right(t("quote.print_valid"), f"{quote.valid_until:%Y-%m-%d}", width))
    out.append(p.left_right(t("quote.print_customer"), customer_label(quote), width))
    out.append(p.left_right(t("quote.print_staff"), staff.name, width))
    out.append(p.rule(width))
    for ln in lines_of(quote.id):
        amount = fmt(ln.total, fen=True, symbol=False)
        price = f"{ln.qty} x {fmt(ln.unit_price, fen=True, symbol=False)}"
        if ln.discount_pct:
            price += f" -{ln.discount_pct}%"
        if width >= 60:
            left = p.fit(ln.sku, 10) + " " + p.fit(line_name(ln), width - 10 - 1 - 32)
            out.append(p.left_right(left, p.fit(price, 20).rstrip().rjust(20) + " " + amount.rjust(11), width))
        else:
            out.extend(p.wrap(f"{ln.sku} {line_name(ln)}", width))
            out.append(p.left_right("  " + price, amount, width))
    out.append(p.rule(width))
    out.append(p.left_right(t("quote.print_subtotal"), fmt(quote.subtotal, fen=True), width))
    if quote.discount:
        out.append(p.left_right(t("quote.print_discount"), fmt(-quote.discount, fen=True), width))
    out.append(p.left_right(t("quote.print_total"), fmt(quote.total, fen=True), width))
    vat = settings_of(store).vat_rate_percent
    if vat:
        contained = Decimal(quote.total) * vat / (100 + vat)
        out.append(p.left_right(t("quote.print_vat", rate=vat),
                                fmt(int(contained.quantize(Decimal(1), rounding=ROUND_HALF_UP)), fen=True), width))
    if quote.notes:
        out.append(p.rule(width))
        out.extend(p.wrap(quote.notes, width))
    out.append(p.rule(width, "="))
    out.extend(p.wrap(t("quote.print_footer", date=f"{quote.valid_until:%Y-%m-%d}"), width))
    return "\n".join(line.rstrip() for line in out) + "\n"


def print_quote(actor: Actor, quote_id: int, width: int = 40) -> Any:
    """Render, save under HOME/printouts/quote and send to the print command.  Returns printout.Delivered."""
    from storepos.services.core import printout

    require(actor, "quote.use")
    quote = get(actor, quote_id)
    text = render_text(quote.id, width)
    result = printout.deliver(text, "quote", f"{quote.number}-r{quote.revision}-{width}")
    _record_print(actor, quote.id, width, result.printed)
    return result


@transactional
def _record_print(actor: Actor, quote_id: int, width: int, printed: bool) -> None:
    audit.record(actor, "quote.print", "quote", quote_id, after={"width": width, "printed": printed})


__all__ = [
    "CheckoutLine", "LineChange", "OpenQuote", "Violation", "accept", "add_line", "attach_approval", "cancel",
    "change_qty", "create", "diff", "diff_revisions", "expire_due", "expire_if_new_day", "get",
    "give", "lines_for_checkout", "lines_of", "mark_converted", "open_quotes", "print_quote", "remove_line",
    "render_text", "revision_lines", "revision_numbers", "set_customer", "set_discount", "set_line_discount",
    "set_notes", "set_qty", "set_unit_price", "set_validity", "violations",
]
