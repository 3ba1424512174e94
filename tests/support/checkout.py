"""Helpers for the checkout tests (not a test module)."""

from __future__ import annotations

from decimal import Decimal

from storepos.models import Customer, Product
from storepos.services import checkout, register
from storepos.services.checkout import PaymentIn


def product(sku: str) -> Product:
    return Product.get(Product.sku == sku)


def customer(number: str) -> Customer:
    return Customer.get(Customer.number == number)


def open_till(actor, amount: str = "500.00"):
    return register.open_session(actor, amount)


def cart_of(actor, *items: tuple[str, int], customer_id=None):
    lines = [{"product_id": product(sku).id, "qty": qty} for sku, qty in items]
    return checkout.start_cart(actor, lines=lines, customer_id=customer_id)


def cash(amount: str, tendered: str | None = None) -> PaymentIn:
    return PaymentIn("cash", Decimal(amount), Decimal(tendered or amount))


def sell(actor, *items: tuple[str, int], payments=None, **kw):
    cart = cart_of(actor, *items, customer_id=kw.pop("customer_id", None))
    total = cart.totals().total
    pays = payments if payments is not None else [cash(str(total))]
    return checkout.complete_sale(actor, cart, pays, **kw)


def accepted_quote(actor, product_id: int, qty: int = 1) -> int:
    """A real quote, given and accepted, for carts that come from a quote."""
    from storepos.services import quotes

    q = quotes.create(actor)
    quotes.add_line(actor, q.id, product_id, qty)
    quotes.give(actor, q.id)
    quotes.accept(actor, q.id)
    return q.id
