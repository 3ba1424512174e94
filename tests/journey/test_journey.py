"""The journey's handoff: what a visit or an accepted quote gives the next step, typed."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from storepos.models import Product
from storepos.services.core.errors import DomainError, NotFound
from storepos.services.core.bootstrap import close_database, open_store_database
from storepos.services.journey import Handoff, Journey, cart_lines


def test_a_visit_hands_its_customer_needs_and_products_to_the_step_it_names(demo, staff_actor):
    carry = {"visit_id": 7, "customer_id": 3, "needs": {"quantity": "2", "spec": "大号"}, "product_ids": [11],
             "outcome": "buys_now"}
    j = Journey(store_id=staff_actor.store_id, terminal="T1")
    j.hand_over(Handoff.from_visit("checkout", carry))
    assert j.take("quote") is None  # meant for checkout: the quote screen does not take it
    h = j.take("checkout")
    assert (h.visit_id, h.customer_id, h.outcome) == (7, 3, "buys_now")
    assert cart_lines(h) == [{"product_id": 11, "qty": 2}]  # the needs' quantity, not 1
    assert j.take("checkout") is None  # taken once


def test_several_products_shown_start_at_one_each_and_a_quote_keeps_its_lines():
    h = Handoff.from_visit("checkout", {"visit_id": 1, "needs": {"quantity": "5"}, "product_ids": [1, 2]})
    assert cart_lines(h) == [{"product_id": 1, "qty": 1}, {"product_id": 2, "qty": 1}]
    quote = SimpleNamespace(id=4, customer_id=9, visit_id=1)
    h = Handoff.from_quote(quote, [{"product_id": 1, "qty": 3, "unit_price": "10.00"}])
    assert h.locked and h.quote_id == 4 and cart_lines(h) == [{"product_id": 1, "qty": 3, "unit_price": "10.00"}]


def test_the_journey_survives_a_restart_and_is_the_terminals_own(demo, staff_actor):
    store = staff_actor.store_id
    j = Journey(store_id=store, terminal="T1")
    j.reached("needs", visit_id=7, customer_id=3)
    j.hand_over(Handoff.from_quote(SimpleNamespace(id=4, customer_id=3, visit_id=7),
                                   [{"product_id": 1, "qty": 2, "unit_price": Decimal("12.50"), "discount": Decimal("0.00")}]))
    close_database()
    open_store_database(demo)
    state = Journey(store_id=store, terminal="T1").state()
    assert (state.step, state.visit_id, state.quote_id, state.customer_id) == ("checkout", 7, 4, 3)
    assert Journey(store_id=store, terminal="T2").state() is None  # another terminal's journey is its own
    h = Journey(store_id=store, terminal="T1").take("checkout")
    assert h.locked and cart_lines(h) == [{"product_id": 1, "qty": 2, "unit_price": "12.50", "discount": "0.00"}]
    j.reached("receipt", sale_id=99)
    assert j.state().sale_id == 99 and j.state().step == "receipt"
    j.end()
    assert j.state() is None
    assert j.reached("visit").step == "visit"  # the next customer's journey starts afresh
    assert j.state().sale_id is None


def test_a_quote_from_a_visit_takes_the_quantity_the_needs_stated(demo, staff_actor):
    from storepos.models import QuoteLine
    from storepos.services import quotes, visits

    product = Product.select().where(Product.active == True).order_by(Product.sku).first()
    v = visits.start(staff_actor)
    visits.set_needs(staff_actor, v.id, {"quantity": "2"})
    visits.add_product(staff_actor, v.id, product.id)
    q = quotes.create(staff_actor, visit_id=v.id)
    assert [(ln.product_id, ln.qty) for ln in QuoteLine.select().where(QuoteLine.quote == q.id)] == [(product.id, 2)]


def test_a_journey_handed_to_checkout_is_taken_over_on_another_terminal(demo, staff_actor):
    from storepos.services import journey
    from support.checkout import accepted_quote, product

    qid = accepted_quote(staff_actor, product("SA-0016").id, 2)
    t1 = Journey(store_id=staff_actor.store_id, terminal="T1")
    t1.hand_over(Handoff.from_quote(SimpleNamespace(id=qid, customer_id=None, visit_id=None),
                                    [{"product_id": product("SA-0016").id, "qty": 2}]))
    assert journey.waiting(staff_actor.store_id, "checkout", other_than="T1") == []  # T1's own
    waiting = journey.waiting(staff_actor.store_id, "checkout", other_than="T2")
    assert [(w.terminal, w.lines) for w in waiting] == [("T1", 1)] and waiting[0].quote_number
    t2 = Journey(store_id=staff_actor.store_id, terminal="T2")
    t2.reached("needs", visit_id=5)
    t2.hand_over(Handoff(target="quote", visit_id=5))
    with pytest.raises(DomainError):  # T2 has its own customer waiting: not dropped for another
        t2.adopt(waiting[0].id)
    t2.take("quote")
    state = t2.adopt(waiting[0].id)
    assert state.terminal == "T2" and state.quote_id == qid
    assert t1.state() is None and t2.take("checkout").lines[0]["qty"] == 2
    with pytest.raises(NotFound):
        Journey(store_id=staff_actor.store_id, terminal="T3").adopt(waiting[0].id + 999)
