"""Starting a quote: a new draft, numbered by business date, carrying along what the visit it
came from learnt (customer, customer-facing needs, products shown)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from storepos import clock
from storepos.db import transactional
from storepos.models import Customer, Product, Quote
from storepos.services import visits
from storepos.services.core import approvals, audit, sop
from storepos.services.core.context import Actor
from storepos.services.core.errors import NotFound, parse
from storepos.services.core.permissions import require
from storepos.services.core.store import business_date, get_store, settings_of
from storepos.services.quotes.lines import add_product_line
from storepos.services.quotes.sums import recalc
from storepos.services.quotes.terms import NotesInput

# The needs a quote may show the customer.  Budget and the free-text notes stay internal: they
# are on the visit (and its customer's history), never on the printed quote.
CUSTOMER_NEEDS = ("spec", "quantity", "delivery_time", "use")


def _next_number(store_id: int, day: dt.date) -> str:
    prefix = f"Q{day:%Y%m%d}-"
    last = (Quote.select(Quote.number)
            .where(Quote.store == store_id, Quote.number >= prefix, Quote.number < prefix + "\uffff")
            .order_by(Quote.number.desc()).first())
    seq = int(last.number.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:03d}"


def _needs_text(needs: dict[str, Any] | None) -> str:
    """A visit's customer-facing needs (CUSTOMER_NEEDS) as one line of quote notes,
    labelled from fixtures/sop/needs.toml."""
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

    With *visit_id* the visit's customer, needs (as notes) and products shown (at the quantity
    the needs stated) come along, and the
    visit points at the quote.  *gate_approval_id*: the manager's opening-checklist gate approval
    given to start it (issue 4), pointed at the new quote.  Raises NotFound for a customer or visit of another store."""
    require(actor, "quote.use")
    store = get_store(actor.store_id)
    today = business_date(store)
    product_ids: list[int] = []
    units: dict[int, int] = {}
    if visit_id is not None:
        carried = visits.carry_forward(visit_id)
        if carried["store_id"] != store.id:
            raise NotFound("err.visit_not_found")
        customer_id = customer_id or carried.get("customer_id")
        product_ids = list(carried.get("product_ids") or [])
        units = dict(carried.get("quantities") or {})
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
            add_product_line(actor, quote, product, units.get(pid, 1))
    if visit_id is not None:
        visits.link_quote(actor, visit_id, quote.id)
    if gate_approval_id is not None:
        approvals.attach(gate_approval_id, "quote", quote.id)
    recalc(quote)
    return quote
