"""Carts kept in the database: each terminal's current cart and the carts parked beside it.

A cart is written as it changes (every scan, every payment taken), so a restart, a crash or a
lock resumes it with its payments and approvals.  Nothing here drops a cart silently: a terminal
has one current cart; making another one current parks the first when it holds anything (lines
or payments), and a cart with payments taken can never be dropped.  A parked cart can be resumed
on any terminal of the store (the customer walked to another counter); a sale made from a cart
removes its draft in the sale's own transaction (services/checkout/sale.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from storepos import clock
from storepos.db import transaction
from storepos.models import CartDraft, Customer
from storepos.services.checkout.cart import Cart
from storepos.services.core.errors import DomainError, NotFound

LABEL_MAX = 120


def _key(store_id: int, terminal: str) -> str:
    return f"{store_id}:{terminal}"


def _holds_something(cart: Cart) -> bool:
    return bool(cart.lines or cart.payments)


def _cart_of(row: CartDraft) -> Cart | None:
    try:
        return Cart.from_dict(row.data)
    # ArithmeticError: decimal's InvalidOperation (an amount that is not a number) is not a ValueError
    except (ValueError, TypeError, KeyError, ArithmeticError, AttributeError):
        return None


def _label(cart: Cart, now: dt.datetime) -> str:
    """A parked cart's name: its customer's, else the time it was parked."""
    if cart.customer_id:
        customer = Customer.get_or_none(Customer.id == cart.customer_id, Customer.store == cart.store_id)
        if customer is not None:
            return f"{customer.name} {now:%H:%M}"[:LABEL_MAX]
    return f"{now:%H:%M}"


def save_draft(cart: Cart, terminal: str) -> None:
    """Keep *cart* as *terminal*'s current cart.  When another cart was current there and holds
    lines or payments it is parked (named by its customer or the time), never overwritten; an
    empty one is dropped.  Saving a parked cart makes it current again (resumed)."""
    now = clock.now()
    key = _key(cart.store_id, terminal)
    with transaction():
        other = CartDraft.get_or_none(CartDraft.current_key == key)
        if other is not None and other.uuid != cart.uuid:
            previous = _cart_of(other)
            if previous is not None and _holds_something(previous):
                CartDraft.update(current_key=None, parked=True, label=_label(previous, now),
                                 updated_at=now).where(CartDraft.id == other.id).execute()
            else:
                other.delete_instance()
        updated = (CartDraft.update(data=cart.to_dict(), current_key=key, parked=False, terminal=terminal,
                                    updated_at=now)
                   .where(CartDraft.uuid == cart.uuid).execute())
        if not updated:
            CartDraft.create(uuid=cart.uuid, store=cart.store_id, terminal=terminal, current_key=key,
                             parked=False, data=cart.to_dict(), updated_at=now)


def load_draft(store_id: int, terminal: str) -> Cart | None:
    """*terminal*'s current cart, or None when it has none (or its record cannot be read)."""
    row = CartDraft.get_or_none(CartDraft.current_key == _key(store_id, terminal))
    if row is None:
        return None
    cart = _cart_of(row)
    return cart if cart is not None and cart.store_id == store_id else None


@dataclass(frozen=True)
class ParkedCart:
    """One parked cart as the list shows it."""

    uuid: str
    label: str
    terminal: str
    lines: int
    total: Decimal
    paid: Decimal
    parked_at: dt.datetime


def park_cart(cart: Cart, terminal: str, label: str | None = None) -> ParkedCart:
    """Put *cart* aside (the customer steps away); the terminal has no current cart after.
    *label* names it (default: the customer's name, or the time).  Raises DomainError for an
    empty cart."""
    if not _holds_something(cart):
        raise DomainError("err.cart_park_empty")
    now = clock.now()
    name = (label or "").strip()[:LABEL_MAX] or _label(cart, now)
    with transaction():
        updated = (CartDraft.update(data=cart.to_dict(), current_key=None, parked=True, label=name,
                                    terminal=terminal, updated_at=now)
                   .where(CartDraft.uuid == cart.uuid).execute())
        if not updated:
            CartDraft.create(uuid=cart.uuid, store=cart.store_id, terminal=terminal, current_key=None,
                             parked=True, label=name, data=cart.to_dict(), updated_at=now)
    return _parked(CartDraft.get(CartDraft.uuid == cart.uuid), cart)


def _parked(row: CartDraft, cart: Cart) -> ParkedCart:
    totals = cart.totals()
    return ParkedCart(row.uuid, row.label, row.terminal, len(cart.lines), totals.total, totals.paid, row.updated_at)


def parked_carts(store_id: int) -> list[ParkedCart]:
    """The store's parked carts, on every terminal, most recently parked first."""
    rows = (CartDraft.select().where(CartDraft.store == store_id, CartDraft.parked == True)
            .order_by(CartDraft.updated_at.desc(), CartDraft.id.desc()))
    found = []
    for row in rows:
        cart = _cart_of(row)
        if cart is not None:
            found.append(_parked(row, cart))
    return found


@dataclass(frozen=True)
class OpenPayment:
    """A payment taken on a cart that is not (yet) a sale: the money is in the register or on the
    card terminal, and must be completed into its sale or refunded (listed at register close)."""

    cart_uuid: str
    terminal: str
    cart_label: str  # a parked cart's name; "" for the terminal's current cart
    parked: bool
    method: str
    amount: Decimal
    tendered: Decimal
    reference: str
    at: dt.datetime  # when the cart was last written (the payment was taken by then)


def payments_not_in_sale(store_id: int, terminal: str | None = None) -> list[OpenPayment]:
    """Every payment taken on the store's carts (current or parked; on *terminal* only when
    given) that no sale has consumed yet, oldest cart first."""
    query = CartDraft.select().where(CartDraft.store == store_id)
    if terminal is not None:
        query = query.where(CartDraft.terminal == terminal)
    out = []
    for row in query.order_by(CartDraft.updated_at, CartDraft.id):
        cart = _cart_of(row)
        if cart is None:
            continue
        for p in cart.payments:
            out.append(OpenPayment(row.uuid, row.terminal, row.label if row.parked else "", bool(row.parked),
                                   p.method, p.amount, p.tendered, p.reference, row.updated_at))
    return out


def resume_cart(store_id: int, uuid: str, terminal: str) -> Cart:
    """The parked cart *uuid* becomes *terminal*'s current cart (the one current before is
    parked when it holds anything).  Raises NotFound when it is gone (resumed or sold elsewhere)."""
    row = CartDraft.get_or_none(CartDraft.uuid == uuid, CartDraft.store == store_id, CartDraft.parked == True)
    cart = _cart_of(row) if row is not None else None
    if cart is None:
        raise NotFound("err.cart_parked_gone")
    save_draft(cart, terminal)
    return cart


def drop_cart(cart: Cart, terminal: str) -> None:
    """Throw *cart* away (the customer left).  Raises DomainError when payments were taken on it:
    that money must be refunded or the sale finished first."""
    if cart.payments:
        raise DomainError("err.cart_drop_paid")
    CartDraft.delete().where(CartDraft.uuid == cart.uuid).execute()


def forget_sold_cart(cart_uuid: str) -> None:
    """The sale made from this cart is written: its draft goes (inside the sale's transaction)."""
    CartDraft.delete().where(CartDraft.uuid == cart_uuid).execute()


def import_cart_file(path: str | os.PathLike[str], terminal: str) -> Cart | None:
    """A cart an earlier storepos kept in a JSON file (HOME/carts/<terminal>.json) comes into the
    database, so an upgrade loses no cart and no payment taken: it becomes the terminal's current
    cart (or is parked, when the terminal already has one) and the file is renamed ``.imported``.
    None when there is no such file or it cannot be read (the file is left as it is then)."""
    source = Path(path)
    try:
        cart = Cart.from_dict(json.loads(source.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError, ArithmeticError, AttributeError):
        return None
    if CartDraft.get_or_none(CartDraft.uuid == cart.uuid) is None and _holds_something(cart):
        if load_draft(cart.store_id, terminal) is not None:
            park_cart(cart, terminal)
        else:
            save_draft(cart, terminal)
    os.replace(source, source.with_suffix(".imported"))
    return cart
