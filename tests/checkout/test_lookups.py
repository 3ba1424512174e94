"""The lookups the checkout, returns and register screens make through the services (screens
import no models): the sale made from a cart, a cart's customer, a sale by id, the opener's name."""

from __future__ import annotations

import pytest
from support.checkout import cart_of, cash, customer, open_till, sell

from storepos.services import checkout, register
from storepos.services.core.errors import NotFound


def test_sale_of_cart_finds_the_sale_made_from_a_cart(staff_actor):
    open_till(staff_actor)
    cart = cart_of(staff_actor, ("SA-0016", 1))
    assert checkout.sale_of_cart(staff_actor, cart) is None
    sale = checkout.complete_sale(staff_actor, cart, [cash("12.50")])
    found = checkout.sale_of_cart(staff_actor, cart)
    assert found is not None and found.id == sale.id


def test_cart_customer_within_the_store(staff_actor):
    c = customer("C0013")
    assert checkout.cart_customer(staff_actor, c.id).id == c.id
    assert checkout.cart_customer(staff_actor, None) is None
    assert checkout.cart_customer(staff_actor, 10**6) is None


def test_sale_for_by_id_within_the_store(staff_actor):
    open_till(staff_actor)
    sale = sell(staff_actor, ("SA-0016", 1))
    assert checkout.sale_for(staff_actor, sale.id).id == sale.id
    with pytest.raises(NotFound):
        checkout.sale_for(staff_actor, 10**6)


def test_opened_by_name(staff_actor):
    session = open_till(staff_actor)
    assert register.opened_by_name(session) == staff_actor.name


def test_cart_set_options_checks_beside_the_field(staff_actor):
    import datetime as dt

    from storepos.services.core.errors import DomainError

    cart = cart_of(staff_actor, ("SA-0016", 1))
    for kwargs, field in (({"fulfilment": "deliver"}, "delivery_date"),
                          ({"fulfilment": "deliver", "delivery_date": "3/9"}, "delivery_date"),
                          ({"invoice_kind": "ordinary"}, "invoice_title"),
                          ({"fulfilment": "fly"}, "fulfilment")):
        with pytest.raises(DomainError) as err:
            cart.set_options(**kwargs)
        assert err.value.field == field
    assert cart.options.fulfilment == "take"  # a refused change changes nothing
    o = cart.set_options(fulfilment="deliver", delivery_date="2026-03-09", deposit=True,
                         settle_mode="deliver_then_settle", invoice_kind="special", invoice_title=" ACME ",
                         invoice_tax_no=" 91440101 ")
    assert (o.fulfilment, o.delivery_date, o.deposit, o.settle_mode) == (
        "deliver", dt.date(2026, 3, 9), True, "deliver_then_settle")
    assert (o.invoice_kind, o.invoice_title, o.invoice_tax_no) == ("special", "ACME", "91440101")
    o = cart.set_options(fulfilment="take", delivery_date="2026-03-09", deposit=True, invoice_kind="none")
    assert (o.delivery_date, o.deposit, o.invoice_kind) == (None, False, "")
