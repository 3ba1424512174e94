"""A follow-up a sale scheduled can be reached before its day: the sale's follow-ups (for its
receipt), one follow-up as a row of the list, what is upcoming (soonest first), moving one to
another day; and the customer's history holds their quotes and sales beside the rest."""

from __future__ import annotations

import datetime as dt

import pytest
from support.checkout import customer, open_till, product, sell

from storepos.models import AuditLog, FollowUp
from storepos.services import aftersales, checkout, customers, quotes
from storepos.services.core.errors import DomainError, NotFound, PermissionDenied

TODAY = dt.date(2026, 3, 2)


def _sale(actor, number="C0001"):
    open_till(actor)
    return sell(actor, ("SA-0001", 1), customer_id=customer(number).id)


def test_a_sales_followups_are_listed_soonest_first_with_kind_and_day(staff_actor, fixed_clock):
    sale = _sale(staff_actor)
    items = aftersales.followups_for_sale(staff_actor, sale.id)
    assert [(i.kind, i.due_date, i.active) for i in items] == [
        ("thanks_call", TODAY + dt.timedelta(days=3), True), ("survey", TODAY + dt.timedelta(days=14), True),
        ("care", TODAY + dt.timedelta(days=90), True)]
    assert items[0].overdue_days == -3 and items[0].receipt == checkout.label(sale)
    assert items[0].customer == customer("C0001").name


def test_a_sale_without_followups_and_another_stores_sale_list_nothing(staff_actor, fixed_clock):
    open_till(staff_actor)
    walk_in = sell(staff_actor, ("SA-0001", 1))
    assert aftersales.followups_for_sale(staff_actor, walk_in.id) == []
    assert aftersales.followups_for_sale(staff_actor, 999_999) == []


def test_a_done_followup_stays_on_its_sales_list_with_its_status(staff_actor, fixed_clock):
    sale = _sale(staff_actor)
    first = aftersales.followups_for_sale(staff_actor, sale.id)[0]
    aftersales.record_attempt(staff_actor, first.id, "reached")  # done now, three days early
    items = aftersales.followups_for_sale(staff_actor, sale.id)
    assert (items[0].id, items[0].status, items[0].active) == (first.id, "done", False)
    assert aftersales.followup_item(staff_actor, first.id).status == "done"


def test_one_followup_as_a_row_and_not_found_otherwise(staff_actor, fixed_clock):
    sale = _sale(staff_actor)
    fu = FollowUp.get(FollowUp.sale == sale.id, FollowUp.kind == "survey")
    item = aftersales.followup_item(staff_actor, fu.id)
    assert (item.id, item.kind, item.due_date, item.sale_id) == (fu.id, "survey", fu.due_date, sale.id)
    with pytest.raises(NotFound):
        aftersales.followup_item(staff_actor, 999_999)


def test_upcoming_lists_what_is_due_after_today_soonest_first(staff_actor, fixed_clock):
    first = _sale(staff_actor)
    fixed_clock.advance(days=1)
    second = sell(staff_actor, ("SA-0001", 1), customer_id=customer("C0002").id)
    fixed_clock.advance(days=3)  # 3-06: the first sale's thank-you call is a day late, the second's due today
    due = aftersales.due_list(staff_actor)
    assert [(i.sale_id, i.kind) for i in due] == [(first.id, "thanks_call"), (second.id, "thanks_call")]
    up = aftersales.due_list(staff_actor, upcoming=True)
    assert [(i.sale_id, i.kind) for i in up] == [(first.id, "survey"), (second.id, "survey"),
                                                 (first.id, "care"), (second.id, "care")]
    assert [i.due_date for i in up] == sorted(i.due_date for i in up)
    assert all(i.due_date > dt.date(2026, 3, 6) and i.overdue_days < 0 for i in up)


def test_upcoming_is_the_actors_own_unless_a_manager_asks_for_everyones(staff_actor, manager_actor, fixed_clock):
    _sale(staff_actor)
    assert aftersales.due_list(manager_actor, upcoming=True) == []
    assert len(aftersales.due_list(manager_actor, upcoming=True, mine=False)) == 3
    assert len(aftersales.due_list(staff_actor, upcoming=True, mine=False)) == 3  # staff: their own anyway


def test_moving_a_followup_to_another_day_keeps_its_first_due_day(staff_actor, fixed_clock):
    sale = _sale(staff_actor)
    care = FollowUp.get(FollowUp.sale == sale.id, FollowUp.kind == "care")
    fu = aftersales.reschedule(staff_actor, care.id, "3-10")
    assert (fu.status, fu.due_date, fu.first_due, fu.attempts) == (
        "rescheduled", dt.date(2026, 3, 10), care.first_due, 0)
    assert aftersales.reschedule(staff_actor, care.id, TODAY).due_date == TODAY  # today is allowed
    assert [i.id for i in aftersales.due_list(staff_actor)] == [care.id]
    entry = AuditLog.select().where(AuditLog.action == "followup.reschedule").order_by(AuditLog.id.desc()).get()
    assert entry.entity_id == str(care.id)


@pytest.mark.parametrize(("typed", "key"), [("", "err.required"), ("soon", "err.bad_date"),
                                            ("2026-03-01", "err.followup_date_past")])
def test_moving_refuses_a_bad_day_beside_the_field(staff_actor, fixed_clock, typed, key):
    sale = _sale(staff_actor)
    care = FollowUp.get(FollowUp.sale == sale.id, FollowUp.kind == "care")
    with pytest.raises(DomainError) as err:
        aftersales.reschedule(staff_actor, care.id, typed)
    assert err.value.field == "due"
    if key != "err.bad_date":  # the day parser has its own words for text it cannot read
        assert err.value.key == key
    assert FollowUp.get_by_id(care.id).due_date == care.due_date


def test_moving_a_closed_or_someone_elses_followup_is_refused(staff_actor, manager_actor, fixed_clock):
    sale = _sale(staff_actor)
    thanks, survey = aftersales.followups_for_sale(staff_actor, sale.id)[:2]
    aftersales.record_attempt(staff_actor, thanks.id, "reached")
    with pytest.raises(DomainError) as err:
        aftersales.reschedule(staff_actor, thanks.id, "+3")
    assert err.value.key == "err.followup_closed"
    other = aftersales.create(manager_actor, customer_id=customer("C0002").id, kind="care", due="+5")
    with pytest.raises(PermissionDenied):
        aftersales.reschedule(staff_actor, other.id, "+3")
    assert aftersales.reschedule(manager_actor, survey.id, "+3").due_date == TODAY + dt.timedelta(days=3)


def test_the_customers_history_holds_quotes_and_sales_newest_first(staff_actor, fixed_clock):
    open_till(staff_actor)
    c = customer("C0001")
    quote_id = quotes.create(staff_actor, customer_id=c.id).id
    quotes.add_line(staff_actor, quote_id, product("SA-0001").id, 1)
    fixed_clock.advance(minutes=5)
    sale = sell(staff_actor, ("SA-0001", 1), customer_id=c.id)
    rows = customers.history(staff_actor.store_id, c.id)
    kinds = [r.kind for r in rows]
    assert {"quotes", "sales", "followups"} <= set(kinds)
    assert [r.at for r in rows] == sorted((r.at for r in rows), reverse=True)
    sale_row = next(r for r in rows if r.kind == "sales")
    assert sale_row.ref == sale.id and checkout.label(sale) in sale_row.summary and "¥" in sale_row.summary
    quote_rows = [r for r in rows if r.kind == "quotes"]
    assert quote_id in [r.ref for r in quote_rows]
    assert kinds.index("sales") < kinds.index("quotes")  # the sale came after the quote
