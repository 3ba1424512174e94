"""Visits: steps and skips, outcomes, carry-forward data, close of day, times, home figure."""

from __future__ import annotations

import datetime as dt

import pytest

from storepos.models import AuditLog, Customer, Product, Visit
from storepos.services import visits
from storepos.services.core.errors import DomainError


def test_start_records_now_staff_and_business_date(staff_actor, fixed_clock):
    v = visits.start(staff_actor)
    assert v.started_at == fixed_clock.now() and v.staff_id == staff_actor.staff_id
    assert v.business_date == dt.date(2026, 3, 2) and v.status == "open" and v.step == "signal"
    assert AuditLog.select().where(AuditLog.action == "visit.start", AuditLog.entity_id == str(v.id)).exists()


def test_whole_visit_stores_codes_and_times(staff_actor, fixed_clock):
    v = visits.start(staff_actor)
    fixed_clock.advance(seconds=5)
    v = visits.set_signal(staff_actor, v.id, "touches_product")
    assert v.signal == "touches_product" and v.step == "greeting"
    fixed_clock.advance(seconds=40)
    visits.toggle_greeting(staff_actor, v.id, "smile")
    visits.toggle_greeting(staff_actor, v.id, "nod")
    visits.toggle_greeting(staff_actor, v.id, "eye_contact")
    v = visits.toggle_greeting(staff_actor, v.id, "eye_contact")  # untick
    assert v.greeting == ["nod", "smile"]  # fixture order
    v = visits.complete_step(staff_actor, v.id, "greeting")
    assert visits.seconds_to_approach(v) == 40
    v = visits.set_needs(staff_actor, v.id, {"spec": "商用 双头", "quantity": "２", "budget": "¥12,000.50",
                                             "delivery_time": "3月20日", "use": "", "notes": "要送货"})
    assert v.budget == 1200050 and v.needs == {"spec": "商用 双头", "quantity": 2,
                                               "delivery_time": "2026-03-20", "notes": "要送货"}
    fixed_clock.advance(minutes=10)
    v = visits.set_outcome(staff_actor, v.id, "browsing").visit
    assert v.status == "closed" and v.outcome == "browsing" and v.skipped == []
    assert v.done == ["signal", "greeting", "needs", "outcome"]
    assert visits.duration_seconds(v) == 10 * 60 + 45


def test_delivery_time_takes_free_text_but_refuses_a_past_date(staff_actor):
    v = visits.start(staff_actor)
    v = visits.set_needs(staff_actor, v.id, {"delivery_time": "三个月内"})
    assert v.needs["delivery_time"] == "三个月内"
    with pytest.raises(DomainError) as exc:
        visits.set_needs(staff_actor, v.id, {"delivery_time": "2026-01-05"})
    assert exc.value.field == "delivery_time"


@pytest.mark.parametrize("field, value, key", [
    ("quantity", "two", "err.not_a_whole_number"),
    ("quantity", "0", "err.visit_quantity_range"),
    ("budget", "12.345", "err.amount_format"),
    ("budget", "-5", "err.amount_negative"),
])
def test_bad_needs_name_the_field_and_write_nothing(staff_actor, field, value, key):
    v = visits.start(staff_actor)
    visits.set_needs(staff_actor, v.id, {"spec": "A"}, done=False)
    with pytest.raises(DomainError) as exc:
        visits.set_needs(staff_actor, v.id, {"spec": "B", field: value})
    assert (exc.value.field, exc.value.key) == (field, key)
    assert Visit.get_by_id(v.id).needs == {"spec": "A"}


def test_skips_are_recorded_and_empty_steps_count_as_skipped(staff_actor):
    v = visits.start(staff_actor)
    v = visits.skip(staff_actor, v.id, "signal")
    assert v.skipped == ["signal"] and v.step == "greeting"
    v = visits.complete_step(staff_actor, v.id, "greeting")  # nothing ticked: done, 0 met
    v = visits.skip(staff_actor, v.id, "needs")
    v = visits.set_outcome(staff_actor, v.id, "left", leave_reason="price_too_high").visit
    assert v.skipped == ["signal", "needs"] and v.done == ["greeting", "outcome"]
    w = visits.start(staff_actor)
    w = visits.set_outcome(staff_actor, w.id, "browsing").visit  # straight to the outcome
    assert w.skipped == ["signal", "greeting", "needs"]


def test_filling_a_skipped_step_later_takes_it_off_the_skipped_list(staff_actor):
    v = visits.start(staff_actor)
    visits.skip(staff_actor, v.id, "signal")
    v = visits.set_signal(staff_actor, v.id, "eyes_meet")
    assert v.skipped == [] and v.done == ["signal"]


def test_skipping_the_outcome_ends_the_visit_without_one(staff_actor):
    v = visits.start(staff_actor)
    v = visits.skip(staff_actor, v.id, "outcome")
    assert v.status == "closed" and v.outcome is None and "outcome" in v.skipped


def test_outcome_rules(staff_actor, fixed_clock):
    v = visits.start(staff_actor)
    with pytest.raises(DomainError) as exc:
        visits.set_outcome(staff_actor, v.id, "left")
    assert exc.value.field == "leave_reason"
    with pytest.raises(DomainError):
        visits.set_outcome(staff_actor, v.id, "left", leave_reason="unfinished_at_close")  # system only
    with pytest.raises(DomainError) as exc:
        visits.set_outcome(staff_actor, v.id, "come_back")
    assert exc.value.field == "come_back_date"
    with pytest.raises(DomainError) as exc:
        visits.set_outcome(staff_actor, v.id, "come_back", come_back="2026-03-01")
    assert exc.value.key == "err.visit_date_past"
    with pytest.raises(DomainError):
        visits.set_outcome(staff_actor, v.id, "teleported")
    assert Visit.get_by_id(v.id).status == "open"
    r = visits.set_outcome(staff_actor, v.id, "come_back", come_back="+3")
    assert r.visit.come_back_date == dt.date(2026, 3, 5) and r.carry_to is None
    # a closed visit takes no new outcome until reopened (same day, nothing carried forward)
    with pytest.raises(DomainError) as exc:
        visits.set_outcome(staff_actor, v.id, "buys_now")
    assert exc.value.key == "err.visit_closed"
    v = visits.reopen(staff_actor, v.id)
    assert v.status == "open" and v.outcome is None and v.come_back_date is None
    r = visits.set_outcome(staff_actor, v.id, "buys_now")
    assert r.carry_to == "checkout"
    visits.link_sale(staff_actor, v.id, 42)
    with pytest.raises(DomainError) as exc:
        visits.reopen(staff_actor, v.id)
    assert exc.value.key == "err.visit_carried_forward"


def test_reopen_refused_on_a_later_day(staff_actor, fixed_clock):
    v = visits.start(staff_actor)
    visits.set_outcome(staff_actor, v.id, "browsing")
    fixed_clock.advance(days=1)
    with pytest.raises(DomainError) as exc:
        visits.reopen(staff_actor, v.id)
    assert exc.value.key == "err.visit_other_day"


def test_carry_forward_gives_customer_needs_and_products(staff_actor):
    cust = Customer.get(Customer.number == "C0007")
    p1, p2 = Product.select().order_by(Product.id).limit(2)
    v = visits.start(staff_actor)
    visits.attach_customer(staff_actor, v.id, cust.id)
    visits.set_needs(staff_actor, v.id, {"spec": "整套厨房", "quantity": "2", "budget": "80000"})
    assert visits.add_product(staff_actor, v.id, p2.id) is True
    assert visits.add_product(staff_actor, v.id, p1.id) is True
    assert visits.add_product(staff_actor, v.id, p2.id) is False  # once only
    r = visits.set_outcome(staff_actor, v.id, "wants_quote")
    assert r.carry_to == "quote"
    data = visits.carry_forward(v.id)
    assert data["customer_id"] == cust.id and data["product_ids"] == [p2.id, p1.id]
    assert data["needs"] == {"spec": "整套厨房", "quantity": 2, "budget": 8000000}
    assert data["budget_fen"] == 8000000 and data["outcome"] == "wants_quote" and data["visit_id"] == v.id


def test_come_back_due(staff_actor):
    a = visits.start(staff_actor)
    visits.set_outcome(staff_actor, a.id, "come_back", come_back="2026-03-09")
    b = visits.start(staff_actor)
    visits.set_outcome(staff_actor, b.id, "come_back", come_back="2026-03-10")
    assert [v.id for v in visits.come_back_due(staff_actor.store_id, dt.date(2026, 3, 9))] == [a.id]


def test_close_day_ends_open_visits_as_left(staff_actor, fixed_clock):
    old = visits.start(staff_actor)
    visits.set_signal(staff_actor, old.id, "eyes_searching")
    last = Visit.get_by_id(old.id).updated_at
    done = visits.start(staff_actor)
    visits.set_outcome(staff_actor, done.id, "browsing")
    fixed_clock.advance(days=1)
    today = visits.start(staff_actor)
    from storepos.models import Store
    assert visits.close_earlier_days(Store.get_by_id(staff_actor.store_id)) == 1
    old = Visit.get_by_id(old.id)
    assert (old.status, old.outcome, old.leave_reason) == ("closed", "left", "unfinished_at_close")
    assert old.ended_at == last and "greeting" in old.skipped
    assert Visit.get_by_id(today.id).status == "open"
    assert Visit.get_by_id(done.id).outcome == "browsing"
    assert visits.close_day(staff_actor.store_id, dt.date(2026, 3, 2)) == 0  # idempotent


def test_discard_only_an_empty_visit(staff_actor):
    a = visits.start(staff_actor)
    assert visits.discard_if_empty(staff_actor, a.id) is True
    assert Visit.get_or_none(Visit.id == a.id) is None
    b = visits.start(staff_actor)
    visits.toggle_greeting(staff_actor, b.id, "nod")
    assert visits.discard_if_empty(staff_actor, b.id) is False


def test_today_lists_and_home_figure(staff_actor, manager_actor):
    visits.start(staff_actor)
    visits.start(staff_actor)
    visits.start(manager_actor)
    assert len(visits.today_visits(staff_actor, mine=True)) == 2
    assert len(visits.today_visits(staff_actor, mine=False)) == 3
    fig = visits.home_figure(staff_actor)
    assert fig.value == "2 / 3"


def test_day_times_for_reports(staff_actor, fixed_clock):
    v = visits.start(staff_actor)
    visits.set_signal(staff_actor, v.id, "asked_first")  # approached at once
    fixed_clock.advance(minutes=4)
    visits.set_outcome(staff_actor, v.id, "browsing")
    w = visits.start(staff_actor)
    visits.set_signal(staff_actor, w.id, "gazes_long")
    fixed_clock.advance(seconds=30)
    visits.complete_step(staff_actor, w.id, "greeting")
    times = visits.day_times(staff_actor.store_id, dt.date(2026, 3, 2))
    assert (times.visits, times.approached, times.avg_seconds_to_approach) == (2, 2, 15)
    assert (times.closed, times.avg_duration_seconds) == (1, 240)


def test_fixture_codes_only(staff_actor):
    v = visits.start(staff_actor)
    with pytest.raises(DomainError):
        visits.set_signal(staff_actor, v.id, "Gazes at a product for a long time")
    with pytest.raises(DomainError):
        visits.toggle_greeting(staff_actor, v.id, "hug")
    with pytest.raises(DomainError) as exc:
        visits.set_needs(staff_actor, v.id, {"colour": "red"})
    assert exc.value.key == "err.visit_bad_need"
