"""Plausible values (issue 18 point 3), in the services every screen, the demo and the CLI use:
the opening float, the change a cash payment gives and the delivery date each have a bound; a
register closed with note counts and a typed total that disagree is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.checkout import cart_of, open_till, sell

from storepos.models import RegisterSession, Sale
from storepos.money import fmt, parse_amount
from storepos.services import checkout, register
from storepos.services.checkout import PaymentIn
from storepos.services.core.dates import parse_date
from storepos.services.core.errors import DomainError
from storepos.services.core.store import update_settings

FULL = str.maketrans("0123456789-,.", "０１２３４５６７８９－，．")
TODAY = dt.date(2026, 3, 2)  # the fixed clock's business date (tests/conftest.py)


# -- the opening float ------------------------------------------------------------------------

def test_a_float_of_a_billion_is_refused_beside_its_field_and_nothing_opens(staff_actor):
    with pytest.raises(DomainError) as e:
        register.open_session(staff_actor, "1,000,000,000")  # beyond any amount
    assert (e.value.key, e.value.field) == ("err.amount_too_large", "float_amount")
    with pytest.raises(DomainError) as e:
        register.open_session(staff_actor, "100,000,000")  # an amount, but beyond the store's float bound
    assert (e.value.key, e.value.field) == ("err.float_too_large", "float_amount")
    assert "¥50,000.00" in e.value.message and "¥100,000,000.00" in e.value.message
    assert RegisterSession.select().count() == 0


def test_a_float_in_full_width_digits_with_separators_opens(staff_actor):
    assert register.open_session(staff_actor, "１，０００").float_amount == 100000


def test_a_manager_raises_the_float_bound_in_the_store_settings(staff_actor, manager_actor):
    update_settings(manager_actor, {"max_opening_float": 10_000_000})
    assert register.open_session(staff_actor, "80,000").float_amount == 8_000_000


def test_note_counts_and_a_typed_total_that_disagree_are_refused(staff_actor):
    open_till(staff_actor, "100.00")
    with pytest.raises(DomainError) as e:
        register.close_session(staff_actor, "100.00", denominations={"100": 2})
    assert (e.value.key, e.value.field) == ("err.count_disagrees", "counted")
    assert RegisterSession.get().open_terminal is not None  # still open: nothing written
    closed = register.close_session(staff_actor, "100.00", denominations={"100": 1})  # they agree
    assert closed.counted == 10000


# -- cash tendered --------------------------------------------------------------------------

def test_change_above_the_bound_needs_a_confirmation_naming_it(staff_actor):
    cart = cart_of(staff_actor, ("SA-0016", 1))
    due = cart.totals().remaining
    with pytest.raises(DomainError) as e:
        cart.add_payment("cash", due, tendered=Decimal("99999999"))
    assert (e.value.key, e.value.field) == ("err.change_confirm", "amount")
    assert fmt(Decimal("99999999") - due) in e.value.message
    assert cart.payments == []
    cart.add_payment("cash", due, tendered=due + Decimal("1000"))  # at the bound: no question
    cart.drop_payment(0)
    pay = cart.add_payment("cash", due, tendered=Decimal("99999999"), confirmed=True)
    assert pay.change_confirmed and pay.change == Decimal("99999999") - due


def test_the_sale_refuses_change_above_the_bound_that_was_not_confirmed(staff_actor):
    open_till(staff_actor)
    cart = cart_of(staff_actor, ("SA-0016", 1))
    due = cart.totals().remaining
    with pytest.raises(DomainError) as e:
        checkout.complete_sale(staff_actor, cart, [PaymentIn("cash", due, Decimal("99999999"))])
    assert e.value.key == "err.change_too_large"
    assert Sale.select().count() == 0
    sale = checkout.complete_sale(staff_actor, cart, [PaymentIn("cash", due, Decimal("99999999"),
                                                                change_confirmed=True)])
    assert sale.id


# -- the delivery date ----------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "key"), [("1900-01-01", "err.date_past"), ("2026-03-01", "err.date_past"),
                                            ("2028-03-02", "err.date_too_far"), ("2026-02-30", "err.bad_date")])
def test_a_delivery_date_outside_today_to_two_years_is_refused_beside_its_field(staff_actor, typed, key):
    cart = cart_of(staff_actor, ("SA-0016", 1))
    with pytest.raises(DomainError) as e:
        cart.set_options(fulfilment="deliver", delivery_date=typed, today=TODAY)
    assert (e.value.key, e.value.field) == (key, "delivery_date")
    assert cart.options.delivery_date is None


def test_a_delivery_date_in_full_width_digits_is_taken(staff_actor):
    cart = cart_of(staff_actor, ("SA-0016", 1))
    cart.set_options(fulfilment="deliver", delivery_date="２０２６－１２－０１", today=TODAY)
    assert cart.options.delivery_date == dt.date(2026, 12, 1)
    cart.set_options(fulfilment="deliver", delivery_date="2028-03-01", today=TODAY)  # the last day
    assert cart.options.delivery_date == dt.date(2028, 3, 1)


def test_the_sale_refuses_a_past_delivery_date_whoever_set_it(staff_actor):
    open_till(staff_actor)
    cart = cart_of(staff_actor, ("SA-0016", 1))
    cart.options.fulfilment, cart.options.delivery_date = "deliver", dt.date(1900, 1, 1)
    with pytest.raises(DomainError) as e:
        sell(staff_actor, ("SA-0016", 1), options=cart.options)
    assert (e.value.key, e.value.field) == ("err.date_past", "delivery_date")
    assert Sale.select().count() == 0


# -- the parsers, by property ---------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2, allow_nan=False,
                      allow_infinity=False)


@given(amounts, st.booleans(), st.booleans())
def test_an_amount_reads_back_with_thousands_separators_and_full_width_digits(value, commas, full):
    text = f"{value:,.2f}" if commas else f"{value:.2f}"
    if full:
        text = text.translate(FULL)
    assert parse_amount(text) == value


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)), st.booleans(),
       st.sampled_from(["-", "/", "."]))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_date_reads_back_typed_any_way(day, full, sep):
    text = f"{day.year}{sep}{day.month}{sep}{day.day}"
    assert parse_date(text.translate(FULL) if full else text, "d") == day
    assert parse_date(f"{day.year}年{day.month}月{day.day}日", "d") == day


@given(st.text(max_size=12))
def test_no_text_is_a_date_unless_it_reads_as_one(text):
    try:
        day = parse_date(text, "d")
    except DomainError as exc:
        assert (exc.key, exc.field) == ("err.bad_date", "d")
    else:
        assert isinstance(day, dt.date)
