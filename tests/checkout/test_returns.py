"""Void (manager, goods not gone) and returns: bounded by what was sold counting earlier returns,
refunds by original method or cash, stock back or to defective, red receipt, receivable reduced."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from support.checkout import cart_of, cash, customer, open_till, product, sell

from storepos.cli import run_checks
from storepos.models import Payment, Receivable, Sale
from storepos.services.core import approvals
from storepos.services import checkout
from storepos.services.checkout import PaymentIn
from storepos.services.core.errors import DomainError


def _lines(sale):
    return {ln.sku: ln for ln in sale.lines}


def test_partial_and_repeated_returns_bounded_by_what_was_sold(staff_actor):
    open_till(staff_actor)
    cart = cart_of(staff_actor, ("SA-0016", 3), ("SA-0015", 1))
    cart.set_discount(0, "1.00")  # 37.50 - 1.00 = 36.50 for 3 units
    sale = checkout.complete_sale(staff_actor, cart, [cash("135.50")])
    seal = _lines(sale)["SA-0016"]
    stock = product("SA-0016").stock
    r1 = checkout.create_return(staff_actor, sale.id, {seal.id: 1})
    assert r1.kind == "return" and r1.total == -1217 and r1.original_id == sale.id  # 36.50/3 = 12.1667
    assert product("SA-0016").stock == stock + 1
    r2 = checkout.create_return(staff_actor, sale.id, {seal.id: 1})
    assert r2.total == -1217
    with pytest.raises(DomainError) as e:
        checkout.create_return(staff_actor, sale.id, {seal.id: 2})
    assert e.value.key == "err.return_too_many" and e.value.params["left"] == 1
    r3 = checkout.create_return(staff_actor, sale.id, {seal.id: 1})
    assert r3.total == -1216  # the last unit takes the remainder: 1217 + 1217 + 1216 = 3650
    assert checkout.returnable(sale)[seal.id] == 0
    assert [r.receipt_no for r in (r1, r2, r3)] == [2, 3, 4]
    assert run_checks() == []


def test_return_is_idempotent_on_its_uuid(staff_actor):
    open_till(staff_actor)
    sale = sell(staff_actor, ("SA-0016", 2))
    line = sale.lines[0]
    a = checkout.create_return(staff_actor, sale.id, {line.id: 1}, uuid="r-1")
    b = checkout.create_return(staff_actor, sale.id, {line.id: 1}, uuid="r-1")
    assert a.id == b.id and checkout.returnable(sale)[line.id] == 1


def test_refund_by_original_method_or_cash(staff_actor):
    open_till(staff_actor)
    sale = sell(staff_actor, ("SA-0015", 2), payments=[PaymentIn("card", Decimal("150.00")), cash("48.00")])
    line = sale.lines[0]
    ret = checkout.create_return(staff_actor, sale.id, {line.id: 1}, refund="original")
    assert [(p.method, p.amount) for p in Payment.select().where(Payment.sale == ret)] == [("card", -9900)]
    ret2 = checkout.create_return(staff_actor, sale.id, {line.id: 1}, refund="original")
    # the card had 51.00 left to refund; the rest goes back in cash
    assert [(p.method, p.amount) for p in Payment.select().where(Payment.sale == ret2)] == [
        ("card", -5100), ("cash", -4800)]
    sale2 = sell(staff_actor, ("SA-0015", 1), payments=[PaymentIn("wechat", Decimal("99.00"), reference="WX9")])
    ret3 = checkout.create_return(staff_actor, sale2.id, {sale2.lines[0].id: 1}, refund="cash")
    assert [(p.method, p.amount) for p in Payment.select().where(Payment.sale == ret3)] == [("cash", -9900)]


def test_defective_units_do_not_go_back_to_stock_and_red_receipt(staff_actor):
    open_till(staff_actor)
    sale = sell(staff_actor, ("SA-0016", 2))
    line = sale.lines[0]
    stock, bad = product("SA-0016").stock, product("SA-0016").defective
    ret = checkout.create_return(staff_actor, sale.id, {line.id: 1}, defective={line.id})
    assert product("SA-0016").stock == stock and product("SA-0016").defective == bad + 1
    text = checkout.render(ret, 40)
    assert "RED RECEIPT" in text and "-¥12.50" in text and "T1-000001" in text and "defective" in text


def test_return_on_account_reduces_the_receivable(staff_actor):
    open_till(staff_actor)
    c = customer("C0007")
    sale = sell(staff_actor, ("SA-0015", 2), payments=[PaymentIn("account", Decimal("198.00"))], customer_id=c.id)
    checkout.create_return(staff_actor, sale.id, {sale.lines[0].id: 1})
    rec = Receivable.get(Receivable.sale == sale)
    assert rec.credited == 9900
    assert checkout.customer_credit(c, dt.date(2026, 3, 2)).owed == 9900


def test_void_needs_a_manager_and_goods_still_in_store(staff_actor):
    open_till(staff_actor)
    take_now = sell(staff_actor, ("SA-0016", 1))
    appr = approvals.grant(staff_actor, "void", "9001", "9999", "wrong item")
    with pytest.raises(DomainError) as e:
        checkout.void_sale(staff_actor, take_now.id, appr.id)
    assert e.value.key == "err.void_delivered"
    cart = cart_of(staff_actor, ("KC-0001", 1))
    cart.options.fulfilment, cart.options.delivery_date = "deliver", dt.date(2026, 3, 9)
    stock = product("KC-0001").stock
    sale = checkout.complete_sale(staff_actor, cart, [cash("2680.00", "3000.00")])
    assert product("KC-0001").stock == stock - 1
    not_void = approvals.grant(staff_actor, "return", "9001", "9999", "x")
    with pytest.raises(DomainError) as e:
        checkout.void_sale(staff_actor, sale.id, not_void.id)
    assert e.value.key == "err.approval_invalid"
    voided = checkout.void_sale(staff_actor, sale.id, appr.id)
    assert voided.status == "voided" and voided.void_approval_id == appr.id
    assert product("KC-0001").stock == stock
    assert [(p.method, p.amount, p.kind) for p in Payment.select().where(Payment.sale == sale, Payment.amount < 0)] == [
        ("cash", -268000, "void")]
    with pytest.raises(DomainError):
        checkout.create_return(staff_actor, sale.id, {sale.lines[0].id: 1})
    assert "VOIDED" in checkout.render(Sale.get_by_id(sale.id))
    assert run_checks() == []


def test_find_sale_by_receipt_number(staff_actor):
    open_till(staff_actor)
    sale = sell(staff_actor, ("SA-0016", 1))
    assert checkout.find_sale(staff_actor, "T1-000001").id == sale.id
    assert checkout.find_sale(staff_actor, "t1-1").id == sale.id
    assert checkout.find_sale(staff_actor, "1").id == sale.id
    with pytest.raises(DomainError):
        checkout.find_sale(staff_actor, "T1-000009")
