"""Starting a cart: its lines from the catalog (or a quote's locked lines), and its customer."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from storepos.models import Customer, Product
from storepos.money import from_fen
from storepos.services import customers
from storepos.services.checkout.cart import Cart, CartLine, plan_of
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound
from storepos.services.core.numbers import parse_whole
from storepos.services.core.permissions import require


def start_cart(actor: Actor, *, lines: list[dict[str, Any]] | None = None, customer_id: int | None = None,
               quote_id: int | None = None, visit_id: int | None = None, locked: bool = False) -> Cart:
    """A new cart (fresh UUID) for *actor*'s store.

    *lines*: dicts with ``product_id``, ``qty`` (default 1) and optionally ``unit_price`` (Decimal
    yuan; default the product's price) and ``discount`` (Decimal yuan off the line) or
    ``discount_percent``.  With ``locked=True`` (a quote's lines) price, quantity and discount
    cannot change and check A compares the sale with these lines.  Raises DomainError for an
    unknown product or customer."""
    require(actor, "checkout.sell")
    cart = Cart(store_id=actor.store_id, customer_id=None, quote_id=quote_id, visit_id=visit_id,
                locked=locked)
    if customer_id is not None:
        if Customer.get_or_none(Customer.id == customer_id, Customer.store == actor.store_id) is None:
            raise NotFound("err.customer_not_found", field="customer_id")
        cart.customer_id = customer_id
    for raw in lines or []:
        cart.lines.append(_line_from(actor.store_id, raw, locked=locked))
    if quote_id is not None or locked:
        cart.plan = plan_of(cart.lines)
    return cart


def _line_from(store_id: int, raw: dict[str, Any], *, locked: bool) -> CartLine:
    """One of start_cart's *lines* as a cart line, priced from the catalog unless it says."""
    product = Product.get_or_none(Product.id == raw["product_id"], Product.store == store_id)
    if product is None:
        raise NotFound("err.product_not_found", field="product_id")
    qty = parse_whole(raw.get("qty", 1), field="qty")
    if qty < 1:
        raise DomainError("err.qty_min", field="qty")
    price = raw.get("unit_price")
    percent = raw.get("discount_percent")
    return CartLine(product.id, product.sku, product.name_zh, product.name_en,
                    Decimal(str(price)) if price is not None else from_fen(product.price),
                    from_fen(product.floor_price), product.unit, qty,
                    Decimal(str(raw.get("discount", "0.00"))),
                    Decimal(str(percent)) if percent is not None else None,
                    locked=locked)


def find_customers(store_id: int, text: str, limit: int = 20) -> list[Customer]:
    """Customers for the checkout's customer pick: the customers area's own search (number, phone
    digits, Chinese or Latin name fragment); everyone when *text* is empty."""
    q = (text or "").strip()
    if q:
        return customers.find(store_id, q, limit=limit)
    return list(Customer.select().where(Customer.store == store_id).order_by(Customer.number).limit(limit))


def cart_customer(actor: Actor, customer_id: int | None) -> Customer | None:
    """The customer a cart names, within the actor's store; None for no customer (or one that is
    gone)."""
    if not customer_id:
        return None
    return Customer.get_or_none(Customer.id == customer_id, Customer.store == actor.store_id)
