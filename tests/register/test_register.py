"""Register session: one open per terminal, expected cash, counted by denomination or total,
a difference beyond the store limit needs a manager, no sale in a closed session."""

from __future__ import annotations

from decimal import Decimal

import pytest
from support.checkout import cash, open_till, sell

from storepos.models import RegisterSession
from storepos.services.core import approvals
from storepos.services import checkout, register
from storepos.services.checkout import PaymentIn
from storepos.services.core.errors import DomainError


def test_one_open_session_per_terminal(staff_actor):
    s = open_till(staff_actor, "300")
    assert s.float_amount == 30000
    with pytest.raises(DomainError) as e:
        open_till(staff_actor, "100")
    assert e.value.key == "err.session_already_open"
    assert register.current_session(staff_actor.store_id, "T1").id == s.id
    assert register.current_session(staff_actor.store_id, "T2") is None


def test_bad_float_is_refused_with_its_field(staff_actor):
    with pytest.raises(DomainError) as e:
        open_till(staff_actor, "12.345")
    assert e.value.field == "float_amount"
    assert RegisterSession.select().count() == 0


def test_expected_is_float_plus_cash_minus_change_minus_refunds(staff_actor, manager_actor):
    session = open_till(staff_actor, "500.00")
    sell(staff_actor, ("SA-0016", 2), payments=[cash("25.00", "100.00")])  # +100 in, 75 change
    sell(staff_actor, ("SA-0015", 1), payments=[PaymentIn("card", Decimal("99.00"))])  # not cash
    sale = sell(staff_actor, ("SA-0016", 1))
    line = sale.lines[0]
    checkout.create_return(staff_actor, sale.id, {line.id: 1}, refund="cash")  # -12.50
    summary = register.cash_summary(session)
    assert (summary.tendered, summary.change, summary.refunds) == (10000 + 1250, 7500, 1250)
    assert summary.expected == 50000 + 2500
    closed = register.close_session(staff_actor, "525.00")
    assert (closed.expected, closed.counted, closed.difference) == (52500, 52500, 0)
    assert closed.closed_by_id == staff_actor.staff_id and closed.open_terminal is None


def test_close_by_denomination(staff_actor):
    open_till(staff_actor, "188.60")
    closed = register.close_session(staff_actor, denominations={"100": 1, "50": 1, "20": "1", "10": 1, "5": 1,
                                                                 "1": 3, "0.5": 1, "0.1": 1})
    assert closed.counted == 18860 and closed.difference == 0
    assert closed.counted_denominations["100"] == 1
    with pytest.raises(DomainError):
        register.count_denominations({"3": 1})


def test_difference_above_limit_needs_a_manager(staff_actor):
    open_till(staff_actor, "500.00")  # limit 20.00
    closed_ok = None
    with pytest.raises(DomainError) as e:
        register.close_session(staff_actor, "470.00")
    assert e.value.key == "err.register_difference" and e.value.params["difference"] == "-¥30.00"
    assert register.current_session(staff_actor.store_id, "T1") is not None  # still open
    wrong = approvals.grant(staff_actor, "void", "9001", "9999", "x")
    with pytest.raises(DomainError):
        register.close_session(staff_actor, "470.00", approval_id=wrong.id)
    appr = approvals.grant(staff_actor, "register_difference", "9001", "9999", "note found later")
    closed_ok = register.close_session(staff_actor, "470.00", approval_id=appr.id)
    assert closed_ok.difference == -3000 and closed_ok.approval_id == appr.id


def test_small_difference_within_limit_closes(staff_actor):
    open_till(staff_actor, "500.00")
    assert register.close_session(staff_actor, "519.00").difference == 1900


def test_no_sale_lands_in_a_closed_session(staff_actor):
    open_till(staff_actor)
    register.close_session(staff_actor, "500.00")
    with pytest.raises(DomainError) as e:
        sell(staff_actor, ("SA-0016", 1))
    assert e.value.key == "err.no_session"
    s2 = open_till(staff_actor, "200.00")
    sale = sell(staff_actor, ("SA-0016", 1))
    assert sale.session_id == s2.id
