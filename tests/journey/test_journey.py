"""The journey's handoff: what a visit or an accepted quote gives the next step, typed."""

from __future__ import annotations

from types import SimpleNamespace

from storepos.services.journey import Handoff, Journey, cart_lines


def test_a_visit_hands_its_customer_needs_and_products_to_the_step_it_names():
    carry = {"visit_id": 7, "customer_id": 3, "needs": {"quantity": "2", "spec": "大号"}, "product_ids": [11],
             "outcome": "buys_now"}
    j = Journey(store_id=1, terminal="T1")
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
