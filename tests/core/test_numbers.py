"""Whole numbers typed with full-width digits or as decimals: one normaliser for every
integer input (quote quantity, receiving quantity, staff discount authority, checkout)."""

from __future__ import annotations

import pytest

from storepos.models import Product, QuoteLine, Staff
from storepos.services.staff import update_staff
from storepos.services import checkout, quotes
from storepos.services import catalog
from storepos.services.core.errors import DomainError
from storepos.services.core.numbers import parse_whole


@pytest.mark.parametrize(("text", "value"), [("３", 3), ("１０", 10), (" 12 ", 12), ("1,000", 1000), ("2.0", 2)])
def test_parse_whole_accepts_full_width_and_separators(text, value):
    assert parse_whole(text) == value


@pytest.mark.parametrize(("text", "key"), [("1.5", "err.not_a_whole_number"), ("１．５", "err.not_a_whole_number"),
                                           ("abc", "err.not_a_whole_number"), ("", "err.required")])
def test_parse_whole_rejects_with_the_right_message(text, key):
    with pytest.raises(DomainError) as exc:
        parse_whole(text, field="qty")
    assert (exc.value.key, exc.value.field) == (key, "qty")


def _pid(sku: str) -> int:
    return Product.get(Product.sku == sku).id


def test_quote_quantity_full_width_and_fraction(staff_actor):
    q = quotes.create(staff_actor)
    line = quotes.add_line(staff_actor, q.id, _pid("KC-0001"), 1)
    quotes.set_qty(staff_actor, line.id, "３")
    assert QuoteLine.get_by_id(line.id).qty == 3
    with pytest.raises(DomainError) as exc:
        quotes.set_qty(staff_actor, line.id, "1.5")
    assert (exc.value.key, exc.value.field) == ("err.not_a_whole_number", "qty")
    assert QuoteLine.get_by_id(line.id).qty == 3


def test_receiving_quantity_full_width_and_fraction(staff_actor):
    pid = _pid("KC-0004")
    start = Product.get_by_id(pid).stock
    catalog.receive(staff_actor, [{"product_id": pid, "qty": "１０"}])
    assert Product.get_by_id(pid).stock == start + 10
    with pytest.raises(DomainError) as exc:
        catalog.receive(staff_actor, [{"product_id": pid, "qty": "1.5"}])
    assert exc.value.key == "err.not_a_whole_number"
    assert Product.get_by_id(pid).stock == start + 10


def test_staff_discount_authority_full_width(manager_actor):
    staff = Staff.get(Staff.code == "1001")
    update_staff(manager_actor, staff.id, {"discount_authority": "１２"})
    assert Staff.get_by_id(staff.id).discount_authority == 12
    with pytest.raises(DomainError) as exc:
        update_staff(manager_actor, staff.id, {"discount_authority": "１２０"})
    assert (exc.value.key, exc.value.field) == ("err.too_large", "discount_authority")
    with pytest.raises(DomainError) as exc:
        update_staff(manager_actor, staff.id, {"discount_authority": "1.5"})
    assert exc.value.key == "err.not_a_whole_number"


def test_checkout_quantity_full_width(staff_actor):
    cart = checkout.start_cart(staff_actor, lines=[{"product_id": _pid("KC-0001"), "qty": "３"}])
    assert cart.lines[0].qty == 3
    with pytest.raises(DomainError) as exc:
        checkout.start_cart(staff_actor, lines=[{"product_id": _pid("KC-0001"), "qty": "1.5"}])
    assert exc.value.key == "err.not_a_whole_number"
