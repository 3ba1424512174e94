"""After-sales services: follow-ups scheduled by sales (per category, after delivery), visits and
quotes; attempts and rescheduling; reassignment permission; surveys and their validation; a low
score opening a ticket; ticket transitions; home figure, notices and customer history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from support.checkout import accepted_quote, cart_of, cash, customer, open_till, product, sell

from storepos.models import (
    AuditLog,
    FollowUp,
    FollowUpAttempt,
    ServiceTicket,
    SurveyResponse,
    TicketAction,
    Visit,
)
from storepos.services import aftersales, checkout, customers, home, quotes, visits
from storepos.services.core import store
from storepos.services.core.errors import DomainError, PermissionDenied

TODAY = dt.date(2026, 3, 2)


def _sell_to(actor, *items, number="C0001", **kw):
    return sell(actor, *items, customer_id=customer(number).id, **kw)


def _fus(sale_id=None, **where):
    q = FollowUp.select()
    if sale_id is not None:
        q = q.where(FollowUp.sale == sale_id)
    for k, v in where.items():
        q = q.where(getattr(FollowUp, k) == v)
    return {f.kind: f for f in q}


# -- scheduling ---------------------------------------------------------------------------------

def test_a_sale_schedules_thanks_survey_and_care_from_the_store_schedule(staff_actor):
    open_till(staff_actor)
    sale = _sell_to(staff_actor, ("SA-0001", 1))
    fus = _fus(sale.id)
    assert {k: f.due_date for k, f in fus.items()} == {
        "thanks_call": TODAY + dt.timedelta(days=3), "survey": TODAY + dt.timedelta(days=14),
        "care": TODAY + dt.timedelta(days=90)}
    assert all(f.owner_id == staff_actor.staff_id and f.customer_id == customer("C0001").id
               and f.status == "open" for f in fus.values())
    assert fus["thanks_call"].channel == "phone" and fus["care"].channel == "message"
    assert AuditLog.select().where(AuditLog.action == "followup.schedule").count() == 3


def test_a_sale_without_a_customer_schedules_nothing(staff_actor):
    open_till(staff_actor)
    sale = sell(staff_actor, ("SA-0001", 1))
    assert _fus(sale.id) == {}


def test_category_overrides_change_the_days_and_the_earliest_line_wins(staff_actor, manager_actor):
    store.update_settings(manager_actor, {
        "followup_schedule": {"thanks_call": 3, "survey": 14, "care": 90},
        "followup_category_overrides": {"commercial_kitchen": {"thanks_call": 1, "care": 30},
                                        "knives": {"care": 0, "survey": 0}}})
    open_till(staff_actor)
    kitchen = _sell_to(staff_actor, ("KC-0004", 1))
    assert {k: (f.due_date - TODAY).days for k, f in _fus(kitchen.id).items()} == {
        "thanks_call": 1, "survey": 14, "care": 30}
    knives = _sell_to(staff_actor, ("KN-0001", 1))
    assert {k: (f.due_date - TODAY).days for k, f in _fus(knives.id).items()} == {"thanks_call": 3}
    mixed = _sell_to(staff_actor, ("KN-0001", 1), ("SA-0001", 1))  # knives drop care only for their own line
    assert {k: (f.due_date - TODAY).days for k, f in _fus(mixed.id).items()} == {
        "thanks_call": 3, "survey": 14, "care": 90}


def test_schedule_settings_reject_negative_days(manager_actor):
    with pytest.raises(DomainError) as e:
        store.update_settings(manager_actor, {"followup_schedule": {"thanks_call": -1}})
    assert e.value.key == "err.followup_days_range"


def test_a_delivery_adds_a_check_the_day_after(staff_actor):
    open_till(staff_actor)
    cart = cart_of(staff_actor, ("SA-0001", 1), customer_id=customer("C0002").id)
    cart.options.fulfilment = "deliver"
    cart.options.delivery_date = dt.date(2026, 3, 6)
    sale = checkout.complete_sale(staff_actor, cart, [cash("229.00")])
    fus = _fus(sale.id)
    assert fus["delivery_check"].due_date == dt.date(2026, 3, 7)
    assert set(fus) == {"thanks_call", "survey", "care", "delivery_check"}


def test_a_failed_sale_schedules_nothing_and_a_retry_does_not_duplicate(staff_actor):
    open_till(staff_actor)
    cart = cart_of(staff_actor, ("SA-0001", 1), customer_id=customer("C0001").id)
    with pytest.raises(DomainError):
        checkout.complete_sale(staff_actor, cart, [cash("1.00")])
    assert FollowUp.select().count() == 0
    sale = checkout.complete_sale(staff_actor, cart, [cash("229.00")])
    again = checkout.complete_sale(staff_actor, cart, [cash("229.00")])
    assert again.id == sale.id and FollowUp.select().count() == 3


def test_a_come_back_visit_adds_a_follow_up_on_its_day_once(staff_actor, fixed_clock):
    v = visits.start(staff_actor, customer_id=customer("C0003").id)
    visits.set_outcome(staff_actor, v.id, "come_back", come_back="2026-03-04")
    assert aftersales.sweep(staff_actor.store_id) == 0  # not yet
    fixed_clock.advance(days=2)
    assert [i.kind for i in aftersales.due_list(staff_actor)] == ["come_back"]
    assert aftersales.sweep(staff_actor.store_id) == 0  # never twice
    fu = FollowUp.get(FollowUp.kind == "come_back")
    assert (fu.visit_id, fu.due_date, fu.owner_id, fu.channel) == (v.id, dt.date(2026, 3, 4),
                                                                   staff_actor.staff_id, "in_store")


def test_a_missed_come_back_day_is_still_caught_and_shows_overdue(staff_actor, fixed_clock):
    v = visits.start(staff_actor)
    visits.set_outcome(staff_actor, v.id, "come_back", come_back="+1")
    fixed_clock.advance(days=3)
    items = aftersales.due_list(staff_actor)
    assert [(i.kind, i.overdue_days, i.customer_id) for i in items] == [("come_back", 2, None)]


def test_a_quote_two_days_from_expiry_adds_quote_expiring_once(staff_actor, fixed_clock):
    q = quotes.create(staff_actor, customer_id=customer("C0004").id)
    quotes.add_line(staff_actor, q.id, product("SA-0001").id, 1)
    quotes.give(staff_actor, q.id)  # valid 7 days: until 03-09
    assert aftersales.sweep(staff_actor.store_id) == 0
    fixed_clock.advance(days=5)  # 03-07: two days left
    assert aftersales.sweep(staff_actor.store_id) == 1
    assert aftersales.sweep(staff_actor.store_id) == 0
    fu = FollowUp.get(FollowUp.kind == "quote_expiring")
    assert (fu.quote_id, fu.due_date, fu.customer_id) == (q.id, dt.date(2026, 3, 7), customer("C0004").id)


def test_an_accepted_quote_is_not_chased(staff_actor, fixed_clock):
    accepted_quote(staff_actor, product("SA-0001").id)
    fixed_clock.advance(days=6)
    assert aftersales.sweep(staff_actor.store_id) == 0


def test_a_voided_sale_cancels_its_follow_ups(staff_actor, manager_actor):
    from storepos.services.core import approvals

    open_till(staff_actor)
    cart = cart_of(staff_actor, ("SA-0001", 1), customer_id=customer("C0001").id)
    cart.options.fulfilment = "deliver"
    cart.options.delivery_date = dt.date(2026, 3, 6)
    sale = checkout.complete_sale(staff_actor, cart, [cash("229.00")])
    appr = approvals.grant(staff_actor, "void", "9001", "9999", "test", entity="sale", entity_id=sale.id)
    checkout.void_sale(staff_actor, sale.id, appr.id)
    aftersales.sweep(staff_actor.store_id)
    assert {f.status for f in _fus(sale.id).values()} == {"cancelled"}


# -- the due list and attempts ------------------------------------------------------------------

def _due_today(actor, fixed_clock, days=3):
    open_till(actor)
    sale = _sell_to(actor, ("SA-0001", 1))
    fixed_clock.advance(days=days)
    return sale


def test_due_list_is_oldest_first_and_counts_feed_home(staff_actor, fixed_clock):
    _due_today(staff_actor, fixed_clock, days=0)
    _sell_to(staff_actor, ("SA-0002", 1), number="C0002")
    fixed_clock.advance(days=4)  # the first sale's thanks_call was due 03-05, today 03-06
    items = aftersales.due_list(staff_actor)
    assert [i.kind for i in items] == ["thanks_call", "thanks_call"]
    assert all(i.overdue_days == 1 for i in items)
    assert aftersales.counts(staff_actor) == (0, 2)
    fig = aftersales.home_figure(staff_actor)
    assert fig.alert and "2" in fig.value


def test_reached_closes_it_on_time(staff_actor, fixed_clock):
    _due_today(staff_actor, fixed_clock)
    item = aftersales.due_list(staff_actor)[0]
    fu = aftersales.record_attempt(staff_actor, item.id, "reached", note="works well")
    assert (fu.status, fu.on_time, fu.attempts, fu.note) == ("done", True, 1, "works well")
    assert aftersales.due_list(staff_actor) == []
    with pytest.raises(DomainError) as e:
        aftersales.record_attempt(staff_actor, item.id, "reached")
    assert e.value.key == "err.followup_closed"


def test_no_answer_reschedules_to_tomorrow_by_default_and_keeps_the_history(staff_actor, fixed_clock):
    _due_today(staff_actor, fixed_clock)
    item = aftersales.due_list(staff_actor)[0]
    fu = aftersales.record_attempt(staff_actor, item.id, "no_answer")
    assert (fu.status, fu.due_date, fu.first_due) == ("rescheduled", dt.date(2026, 3, 6), dt.date(2026, 3, 5))
    assert aftersales.due_list(staff_actor) == []
    fixed_clock.advance(days=1)
    assert [i.id for i in aftersales.due_list(staff_actor)] == [item.id]
    fu = aftersales.record_attempt(staff_actor, item.id, "no_answer", next_date="3-10")
    assert fu.due_date == dt.date(2026, 3, 10)
    fixed_clock.advance(days=4)
    fu = aftersales.record_attempt(staff_actor, item.id, "reached")
    assert fu.status == "done" and fu.on_time is True  # the first attempt was on its due day
    rows = aftersales.attempts_of(item.id)
    assert [(r.outcome, r.next_date) for r in rows] == [
        ("no_answer", dt.date(2026, 3, 6)), ("no_answer", dt.date(2026, 3, 10)), ("reached", None)]


def test_rescheduling_needs_a_later_day(staff_actor, fixed_clock):
    _due_today(staff_actor, fixed_clock)
    item = aftersales.due_list(staff_actor)[0]
    for bad, key in (("2026-03-01", "err.followup_date_future"), ("today", "err.bad_date"),
                     ("2026-03-05", "err.followup_date_future"), ("2026-02-30", "err.bad_date")):
        with pytest.raises(DomainError) as e:
            aftersales.record_attempt(staff_actor, item.id, "no_answer", next_date=bad)
        assert (e.value.key, e.value.field) == (key, "next_date"), bad
    assert FollowUpAttempt.select().count() == 0 and FollowUp.get_by_id(item.id).status == "open"


def test_late_first_attempt_is_not_on_time_and_wrong_number_cancels(staff_actor, fixed_clock):
    _due_today(staff_actor, fixed_clock, days=5)
    first, = [i for i in aftersales.due_list(staff_actor) if i.kind == "thanks_call"]
    fu = aftersales.record_attempt(staff_actor, first.id, "wrong_number")
    assert (fu.status, fu.on_time) == ("cancelled", False)


def test_only_the_owner_or_a_manager_records_attempts(staff_actor, manager_actor, fixed_clock):
    from storepos.services import staff

    _due_today(staff_actor, fixed_clock)
    lily = staff.login(staff_actor.store_id, "1002", "2222", "T1")
    item = aftersales.due_list(staff_actor)[0]
    assert aftersales.due_list(lily) == []
    with pytest.raises(PermissionDenied):
        aftersales.record_attempt(lily, item.id, "reached")
    assert aftersales.record_attempt(manager_actor, item.id, "reached").status == "done"


def test_reassign_is_for_managers_only(staff_actor, manager_actor, fixed_clock):
    from storepos.services import staff

    _due_today(staff_actor, fixed_clock)
    item = aftersales.due_list(staff_actor)[0]
    with pytest.raises(PermissionDenied):
        aftersales.reassign(staff_actor, item.id, "1002")
    with pytest.raises(DomainError) as e:
        aftersales.reassign(manager_actor, item.id, "7777")
    assert e.value.field == "staff"
    fu = aftersales.reassign(manager_actor, item.id, "1002")
    lily = staff.login(staff_actor.store_id, "1002", "2222", "T1")
    assert fu.owner_id == lily.staff_id
    assert [i.id for i in aftersales.due_list(lily)] == [item.id]
    assert item.id not in [i.id for i in aftersales.due_list(staff_actor)]
    assert item.id in [i.id for i in aftersales.due_list(manager_actor, mine=False)]
    assert AuditLog.select().where(AuditLog.action == "followup.reassign").count() == 1


def test_an_interest_starts_a_visit_with_the_customer(staff_actor, fixed_clock):
    _due_today(staff_actor, fixed_clock)
    item = aftersales.due_list(staff_actor)[0]
    v = aftersales.record_interest(staff_actor, item.id, "wants the 5 L model")
    assert isinstance(v, Visit) and v.customer_id == customer("C0001").id and v.status == "open"
    fu = FollowUp.get_by_id(item.id)
    assert (fu.status, fu.interest, fu.led_to_visit) == ("done", True, v.id)


def test_a_follow_up_by_hand_needs_a_kind_and_a_day(staff_actor):
    with pytest.raises(DomainError) as e:
        aftersales.create(staff_actor, customer_id=customer("C0001").id, kind="upsell", due="2026-03-01")
    assert e.value.field == "due"
    fu = aftersales.create(staff_actor, customer_id=customer("C0001").id, kind="upsell", due="+7")
    assert (fu.due_date, fu.source, fu.channel) == (dt.date(2026, 3, 9), None, "phone")


# -- surveys and tickets ------------------------------------------------------------------------

GOOD = {"product_quality": 5, "delivery_service": 4, "response_speed": "5", "aftersales_support": 4,
        "overall": 5}


def test_survey_validation_names_the_bad_field_and_writes_nothing(staff_actor):
    open_till(staff_actor)
    sale = _sell_to(staff_actor, ("SA-0001", 1))
    for bad, key in (("6", "err.survey_score_range"), ("0", "err.survey_score_range"),
                     ("x", "err.survey_score_range"), ("", "err.survey_score_required"),
                     (None, "err.survey_score_required"), ("4.5", "err.survey_score_range")):
        with pytest.raises(DomainError) as e:
            aftersales.submit_survey(staff_actor, sale.id, GOOD | {"response_speed": bad})
        assert (e.value.key, e.value.field) == (key, "response_speed"), bad
    assert SurveyResponse.select().count() == 0 and ServiceTicket.select().count() == 0


def test_a_good_survey_is_linked_to_the_sale_and_seller_and_closes_its_follow_up(staff_actor, manager_actor):
    open_till(staff_actor)
    sale = _sell_to(staff_actor, ("SA-0001", 1))
    res = aftersales.submit_survey(manager_actor, sale.id, GOOD, comment="送货很快", channel="message")
    s = res.survey
    assert res.ticket is None and res.low == ()
    assert (s.sale_id, s.sold_by_id, s.taken_by_id, s.customer_id) == (
        sale.id, staff_actor.staff_id, manager_actor.staff_id, customer("C0001").id)
    assert (s.lowest, s.average_x100, s.scores["response_speed"]) == (4, 460, 5)
    assert FollowUp.get(FollowUp.sale == sale.id, FollowUp.kind == "survey").status == "done"
    assert aftersales.satisfaction(staff_actor.store_id, staff_id=staff_actor.staff_id) == (1, D("4.60"))


def test_a_low_score_opens_a_ticket_and_tells_the_manager(staff_actor, manager_actor):
    open_till(staff_actor)
    sale = _sell_to(staff_actor, ("SA-0001", 1))
    res = aftersales.submit_survey(staff_actor, sale.id, GOOD | {"delivery_service": 2}, comment="送货迟到")
    assert res.low == ("delivery_service",)
    tk = res.ticket
    assert (tk.status, tk.sale_id, tk.customer_id, tk.source_survey_id) == ("open", sale.id,
                                                                            customer("C0001").id, res.survey.id)
    assert "送货迟到" in tk.problem and "2" in tk.problem
    assert AuditLog.select().where(AuditLog.action == "ticket.low_score").count() == 1
    notes = home.notices(manager_actor)
    assert any(f"#{tk.id}" in n for n in notes)
    assert not any(f"#{tk.id}" in n for n in home.notices(staff_actor))
    aftersales.move_ticket(manager_actor, tk.id, "in_progress")
    assert not any(f"#{tk.id}" in n for n in home.notices(manager_actor))


def test_ticket_transitions_with_actions_and_resolution(staff_actor, manager_actor):
    open_till(staff_actor)
    sale = _sell_to(staff_actor, ("SA-0001", 1))
    tk = aftersales.open_ticket(staff_actor, problem="内胆涂层脱落", receipt_text="T1-000001")
    assert (tk.sale_id, tk.customer_id, tk.assigned_to_id) == (sale.id, customer("C0001").id, staff_actor.staff_id)
    with pytest.raises(DomainError) as e:
        aftersales.move_ticket(staff_actor, tk.id, "resolved")
    assert e.value.key == "err.ticket_bad_move"
    aftersales.move_ticket(staff_actor, tk.id, "in_progress")
    aftersales.add_action(staff_actor, tk.id, "已联系厂家，寄出换新内胆")
    with pytest.raises(DomainError) as e:
        aftersales.move_ticket(staff_actor, tk.id, "resolved")
    assert (e.value.key, e.value.field) == ("err.ticket_resolution_required", "resolution")
    tk = aftersales.move_ticket(staff_actor, tk.id, "resolved", text="更换内胆")
    assert (tk.status, tk.resolution) == ("resolved", "更换内胆") and tk.resolved_at is not None
    tk = aftersales.move_ticket(manager_actor, tk.id, "closed")
    assert tk.status == "closed" and tk.closed_at is not None
    with pytest.raises(DomainError):
        aftersales.add_action(staff_actor, tk.id, "again")
    acts = aftersales.actions_of(tk.id)
    assert [a.status for a in acts] == ["open", "in_progress", "", "resolved", "closed"]
    assert all(a.staff_id and a.at for a in acts)


def test_a_ticket_needs_a_problem_and_a_customer_or_sale(staff_actor):
    with pytest.raises(DomainError) as e:
        aftersales.open_ticket(staff_actor, problem="  ", customer_id=customer("C0001").id)
    assert e.value.field == "problem"
    with pytest.raises(DomainError) as e:
        aftersales.open_ticket(staff_actor, problem="漏水")
    assert e.value.field == "customer"
    with pytest.raises(DomainError) as e:
        aftersales.open_ticket(staff_actor, problem="漏水", receipt_text="T1-000999")
    assert e.value.field == "receipt"
    assert ServiceTicket.select().count() == 0 and TicketAction.select().count() == 0


def test_staff_see_their_tickets_managers_see_all(staff_actor, manager_actor):
    from storepos.services import staff

    lily = staff.login(staff_actor.store_id, "1002", "2222", "T1")
    mine = aftersales.open_ticket(staff_actor, problem="a", customer_id=customer("C0001").id)
    hers = aftersales.open_ticket(lily, problem="b", customer_id=customer("C0002").id)
    assert [t.id for t in aftersales.tickets(staff_actor)] == [mine.id]
    assert [t.id for t in aftersales.tickets(manager_actor)] == [mine.id, hers.id]
    with pytest.raises(DomainError):
        aftersales.get_ticket(staff_actor, hers.id)


def test_customer_history_shows_follow_ups_surveys_and_tickets(staff_actor):
    open_till(staff_actor)
    sale = _sell_to(staff_actor, ("SA-0001", 1))
    aftersales.submit_survey(staff_actor, sale.id, GOOD | {"overall": 1})
    kinds = {r.kind for r in customers.history(staff_actor.store_id, customer("C0001").id)}
    assert {"followups", "surveys", "tickets", "sales"} <= kinds or {"followups", "surveys", "tickets"} <= kinds


# -- what the screens show (names of the actor's store only, exactly as typed) -------------------

def _other_store_staff():
    from storepos import clock
    from storepos.models import Staff, Store

    other = Store.create(code="S999", name_zh="别店", created_at=clock.now())
    return Staff.create(store=other.id, code="5555", name="Other store", pin_hash="x", created_at=clock.now())


def test_ticket_rows_name_customer_owner_and_sale_of_the_store(staff_actor, manager_actor):
    from storepos.services import staff

    _other_store_staff()
    open_till(staff_actor)
    c = customer("C0001")
    customers.update(manager_actor, c.id, {"name": "[/b]x"})
    sale = _sell_to(staff_actor, ("SA-0001", 1))
    staff.update_staff(manager_actor, staff_actor.staff_id, {"name": "[red]Ann"})
    tk = aftersales.open_ticket(staff_actor, problem="[/bold]lid", sale_id=sale.id)
    walk_in = aftersales.open_ticket(staff_actor, problem="p", customer_id=customer("C0002").id)
    rows = aftersales.ticket_rows(manager_actor)
    first = rows[0]
    assert (first.id, first.label, first.customer, first.owner, first.problem, first.receipt, first.status) == (
        tk.id, f"#{tk.id}", "[/b]x", "[red]Ann", "[/bold]lid", checkout.label(sale), "open")
    assert rows[1].id == walk_in.id and rows[1].receipt == "" and rows[1].sale_id is None
    aftersales.add_action(staff_actor, tk.id, "[/b] called")
    row, actions = aftersales.ticket_view(staff_actor, tk.id)
    assert row == rows[0]
    assert [(a.who, a.status, a.text) for a in actions] == [("[red]Ann", "open", "[/bold]lid"),
                                                            ("[red]Ann", "", "[/b] called")]
    assert aftersales.ticket_sale(staff_actor, tk.id).id == sale.id
    with pytest.raises(DomainError):
        aftersales.ticket_sale(staff_actor, walk_in.id)


def test_a_survey_names_its_sale_and_refuses_a_return(staff_actor, manager_actor):
    open_till(staff_actor)
    sale = _sell_to(staff_actor, ("SA-0001", 1))
    found = aftersales.find_survey_sale(staff_actor, checkout.label(sale))
    assert found == aftersales.sale_summary(staff_actor, sale.id)
    assert (found.sale_id, found.receipt, found.customer) == (sale.id, checkout.label(sale), customer("C0001").name)
    assert found.seller
    with pytest.raises(DomainError) as e:
        aftersales.find_survey_sale(staff_actor, "T1-000999")
    assert e.value.field == "receipt"


def test_assignees_are_the_active_staff_of_the_store_for_managers_only(staff_actor, manager_actor):
    from storepos.services import staff

    other = _other_store_staff()
    lily = next(a for a in aftersales.assignees(manager_actor) if a.code == "1002")
    staff.update_staff(manager_actor, lily.id, {"active": False})
    found = aftersales.assignees(manager_actor)
    codes = [a.code for a in found]
    assert codes == sorted(codes) and "1001" in codes and "9001" in codes
    assert "1002" not in codes and other.id not in {a.id for a in found}
    with pytest.raises(PermissionDenied):
        aftersales.assignees(staff_actor)


def test_a_low_score_ticket_reads_in_the_language_of_the_reader(staff_actor, manager_actor):
    from storepos import i18n

    open_till(staff_actor)
    sale = _sell_to(staff_actor, ("SA-0001", 1))
    before = i18n.get_language()
    try:
        i18n.set_language("en")
        tk = aftersales.submit_survey(staff_actor, sale.id, GOOD | {"delivery_service": 2}, comment="[/b]late").ticket
        assert tk.problem.startswith("Low satisfaction score")
        i18n.set_language("zh_CN")
        row, actions = aftersales.ticket_view(manager_actor, tk.id)
        assert "Low" not in row.problem and "[/b]late" in row.problem and "2" in row.problem
        assert actions[0].text == row.problem
        assert aftersales.ticket_rows(manager_actor)[0].problem == row.problem
        assert row.problem[:20] in aftersales.ticket_history(staff_actor.store_id, customer("C0001").id)[0].summary
    finally:
        i18n.set_language(before)


def test_the_due_list_runs_the_same_statements_for_two_follow_ups_as_for_twelve(staff_actor, fixed_clock):
    """One query for the rows, one for their receipts: no lookup per follow-up."""
    from support.queries import counted

    open_till(staff_actor)
    _sell_to(staff_actor, ("SA-0001", 1))
    fixed_clock.advance(days=4)
    aftersales.due_list(staff_actor)  # the sweep's first run writes; the count is of the reads after
    with counted() as few:
        small = aftersales.due_list(staff_actor)
    fixed_clock.advance(days=-4)
    for number in ("C0002", "C0003", "C0001", "C0002", "C0003"):
        _sell_to(staff_actor, ("SA-0002", 1), number=number)
    fixed_clock.advance(days=4)
    aftersales.due_list(staff_actor)
    with counted() as many:
        big = aftersales.due_list(staff_actor)
    assert len(big) >= len(small) + 5 and all(i.receipt.startswith("T1-") for i in big)
    assert many.n == few.n, many.sql
