"""Helpers for the practice tests (not a test module): a trainee's whole journey through the
services, as the real screens would make it."""

from __future__ import annotations

from decimal import Decimal

from storepos import clock
from storepos.models import Product, Staff, Store
from storepos.services import staff
from storepos.services import checkout, quotes, register, visits
from storepos.services.checkout import PaymentIn


def actor(code: str, pin: str):
    store = Store.get(Store.code == "S001")
    return staff.login(store.id, code, pin, "T1")


def staff_id(code: str) -> int:
    return Staff.get(Staff.code == code).id


def journey(trainee, *, signal: str = "talks_with_companion", greeting: int = 6, approach_after: int = 20,
            needs: dict | None = None, sell: bool = True, come_back: str | None = None) -> dict:
    """Visit (signal, greeting, needs, a product shown), quote given and accepted, till opened and
    the sale made from the quote.  With come_back: the visit ends "will come back" instead."""
    c = clock.get()
    product = Product.get(Product.sku == "KC-0002")
    v = visits.start(trainee)
    visits.set_signal(trainee, v.id, signal)
    c.advance(seconds=approach_after)
    for e in visits.greeting_standards()[:greeting]:
        visits.toggle_greeting(trainee, v.id, e.code)
    visits.complete_step(trainee, v.id, "greeting")
    c.advance(seconds=60)
    visits.set_needs(trainee, v.id, needs if needs is not None else {
        "spec": "双头炒灶", "quantity": "2", "budget": "300000", "delivery_time": "+30", "use": "餐厅"})
    visits.add_product(trainee, v.id, product.id)
    out: dict = {"visit": v.id}
    if come_back:
        visits.set_outcome(trainee, v.id, "come_back", come_back=come_back)
        return out
    visits.set_outcome(trainee, v.id, "wants_quote")
    c.advance(seconds=120)
    q = quotes.create(trainee, visit_id=v.id)
    quotes.give(trainee, q.id)
    quotes.accept(trainee, q.id)
    out["quote"] = q.id
    if sell:
        c.advance(seconds=60)
        register.open_session(trainee, "500.00")
        lines = [ln.cart_line() for ln in quotes.lines_for_checkout(q.id)]
        cart = checkout.start_cart(trainee, lines=lines, quote_id=q.id, visit_id=v.id, locked=True)
        total = cart.totals().total
        sale = checkout.complete_sale(trainee, cart, [PaymentIn("card", Decimal(total), reference="1234")])
        out["sale"] = sale.id
    return out
