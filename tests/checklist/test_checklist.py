"""Opening checklist rules: answers, one run a day, concurrency, late flag, the gate, review,
home notices, items as data, the CLI report."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from storepos import cli
from storepos.db import database
from storepos.models import Approval, AuditLog, Store, ChecklistEntry, ChecklistItem, ChecklistRun
from storepos.services.core import approvals, store
from storepos.services import checklist, home
from storepos.services.core.errors import DomainError, PermissionDenied

TODAY = dt.date(2026, 3, 2)


def _item(store_id: int, code: str) -> ChecklistItem:
    checklist.ensure_items(store_id)
    return ChecklistItem.get(ChecklistItem.store == store_id, ChecklistItem.code == code)


def _answer_all(actor, value: str = "ok") -> None:
    for item in checklist.items(actor.store_id):
        checklist.answer(actor, item.id, value if (value != "na" or not item.mandatory) else "ok")


def _at_local(fixed_clock, hh: int, mm: int, day: dt.date = TODAY) -> None:
    fixed_clock.set(dt.datetime(day.year, day.month, day.day, hh, mm,
                                tzinfo=dt.timezone(dt.timedelta(hours=8))))


# -- items --------------------------------------------------------------------------------------


def test_items_seeded_from_fixture_once(staff_actor):
    assert checklist.seed_items(staff_actor.store_id) == 12
    assert checklist.seed_items(staff_actor.store_id) == 0
    rows = checklist.items(staff_actor.store_id)
    assert [r.group for r in rows][:3] == ["environment"] * 3
    assert {r.code for r in rows} >= {"fifo_no_expired", "counter_clean", "no_bad_behaviour"}
    assert not _item(staff_actor.store_id, "long_displayed_handled").mandatory


def test_init_seeds_the_checklist(settings, fixed_clock):
    from storepos.services.core.bootstrap import close_database

    home_dir = str(settings.home)
    assert cli.main(["init", "--demo", "--home", home_dir, "--lang", "en"]) == 0
    assert ChecklistItem.select().count() == 12
    close_database()
    database.initialize(None)


# -- answering ----------------------------------------------------------------------------------


def test_problem_needs_a_note_and_na_refused_on_mandatory(staff_actor):
    counter = _item(staff_actor.store_id, "counter_clean")
    with pytest.raises(DomainError) as exc:
        checklist.answer(staff_actor, counter.id, "problem", "  ")
    assert exc.value.field == "note" and "needs a note" in exc.value.message
    with pytest.raises(DomainError) as exc:
        checklist.answer(staff_actor, counter.id, "na")
    assert exc.value.field == "answer" and "mandatory" in exc.value.message
    optional = _item(staff_actor.store_id, "long_displayed_handled")
    checklist.answer(staff_actor, optional.id, "na")
    checklist.answer(staff_actor, counter.id, "problem", "glass smeared")
    st = checklist.today_state(staff_actor)
    assert st.answered == 2 and [p.code for p in st.problems] == ["counter_clean"]
    assert st.problems[0].note == "glass smeared"
    with pytest.raises(DomainError):
        checklist.answer(staff_actor, counter.id, "maybe")


def test_same_item_twice_keeps_latest_and_history(staff_actor, manager_actor):
    item = _item(staff_actor.store_id, "samples_clean")
    checklist.answer(staff_actor, item.id, "problem", "dust on the oven")
    checklist.answer(manager_actor, item.id, "ok")
    st = checklist.today_state(staff_actor)
    it = next(i for i in st.all_items if i.code == "samples_clean")
    assert it.answer == "ok" and it.staff_name == "刘建国" and it.answers_given == 2
    hist = checklist.answer_history(staff_actor, st.run_id, item.id)
    assert [(e.answer, e.staff_id) for e in hist] == [("problem", staff_actor.staff_id),
                                                      ("ok", manager_actor.staff_id)]


def test_one_run_per_store_and_day(staff_actor, manager_actor, fixed_clock):
    r1 = checklist.open_run(staff_actor)
    r2 = checklist.open_run(manager_actor)
    assert r1.id == r2.id and r1.business_date == TODAY
    fixed_clock.advance(days=1)
    r3 = checklist.open_run(staff_actor)
    assert r3.id != r1.id and r3.business_date == TODAY + dt.timedelta(days=1)
    assert ChecklistRun.select().count() == 2


def test_business_date_is_store_local(staff_actor, fixed_clock):
    # 23:30 UTC on 1 March is already 07:30 on 2 March in Shanghai.
    fixed_clock.set(dt.datetime(2026, 3, 1, 23, 30))
    assert checklist.open_run(staff_actor).business_date == TODAY


def _thread_actor_run(fn, results, errors):
    try:
        results.append(fn())
    except Exception as exc:  # noqa: BLE001
        errors.append(exc)
    finally:
        if not database.obj.is_closed():
            database.obj.close()  # this thread's own connection


def test_two_terminals_start_and_answer_at_once(staff_actor, manager_actor):
    """Two connections (threads) start the run and answer different items at the same moment."""
    checklist.ensure_items(staff_actor.store_id)
    a = _item(staff_actor.store_id, "counter_clean").id
    b = _item(staff_actor.store_id, "grooming").id
    barrier = threading.Barrier(2)
    results: list = []
    errors: list = []

    def go(actor, item_id):
        def fn():
            barrier.wait()
            return checklist.answer(actor, item_id, "ok").run_id
        return fn

    threads = [threading.Thread(target=_thread_actor_run, args=(go(staff_actor, a), results, errors)),
               threading.Thread(target=_thread_actor_run, args=(go(manager_actor, b), results, errors))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(20)
    assert errors == []
    assert len(set(results)) == 1
    assert ChecklistRun.select().count() == 1
    st = checklist.today_state(staff_actor)
    assert {i.code for i in st.all_items if i.answer} == {"counter_clean", "grooming"}


def test_race_on_run_creation_rereads_the_winner(staff_actor, monkeypatch):
    """The loser of the unique (store, business_date) race gets the winner's run, no error."""
    winner = checklist.open_run(staff_actor)
    real = checklist.find_run
    calls = {"n": 0}

    def stale_first(store_id, day):  # the first look sees nothing, as if read before the winner
        calls["n"] += 1
        return None if calls["n"] == 1 else real(store_id, day)

    monkeypatch.setattr("storepos.services.checklist.runs.find_run", stale_first)
    assert checklist.open_run(staff_actor).id == winner.id


# -- submit and late ----------------------------------------------------------------------------


def test_submit_needs_every_mandatory_item(staff_actor):
    item = _item(staff_actor.store_id, "counter_clean")
    checklist.answer(staff_actor, item.id, "ok")
    with pytest.raises(DomainError) as exc:
        checklist.submit(staff_actor)
    assert "9 mandatory item(s)" in exc.value.message and "Samples free of dust" in exc.value.message
    _answer_all(staff_actor)
    run = checklist.submit(staff_actor)
    assert run.status == "submitted" and run.submitted_by_id == staff_actor.staff_id


def test_submitted_run_is_read_only(staff_actor):
    _answer_all(staff_actor)
    checklist.submit(staff_actor)
    item = _item(staff_actor.store_id, "counter_clean")
    with pytest.raises(DomainError) as exc:
        checklist.answer(staff_actor, item.id, "problem", "late finding")
    assert "can no longer be changed" in exc.value.message
    with pytest.raises(DomainError):
        checklist.submit(staff_actor)


def test_late_flag_after_opening_time(staff_actor, fixed_clock):
    _at_local(fixed_clock, 8, 55)
    _answer_all(staff_actor)
    assert checklist.submit(staff_actor).late is False
    fixed_clock.advance(days=1)  # 3 March 08:55
    _answer_all(staff_actor)
    fixed_clock.advance(minutes=6)  # 09:01, after opening at 09:00
    assert checklist.submit(staff_actor).late is True


def test_opening_window_countdown_is_pure():
    opening = dt.datetime(2026, 3, 2, 9, 0)
    w = checklist.opening_window(dt.datetime(2026, 3, 2, 8, 30), opening)
    assert (w.state, w.minutes) == ("early", 30)
    w = checklist.opening_window(dt.datetime(2026, 3, 2, 8, 50), opening)
    assert (w.state, w.minutes) == ("window", 10)
    w = checklist.opening_window(dt.datetime(2026, 3, 2, 8, 55, 30), opening)
    assert (w.state, w.minutes, w.seconds) == ("window", 5, 270)
    w = checklist.opening_window(dt.datetime(2026, 3, 2, 9, 0), opening)
    assert (w.state, w.minutes) == ("open", 0)
    w = checklist.opening_window(dt.datetime(2026, 3, 2, 9, 30), opening)
    assert (w.state, w.minutes) == ("open", 30)


# -- gate ---------------------------------------------------------------------------------------


def test_gate_warns_until_submitted(staff_actor):
    g = checklist.gate(staff_actor)
    assert not g.passed and g.policy == "warn" and g.warn and not g.blocked
    assert g.status == "not_started" and "not submitted" in g.message
    _answer_all(staff_actor)
    assert checklist.gate(staff_actor).status == "open"
    checklist.submit(staff_actor)
    g = checklist.gate(staff_actor)
    assert g.passed and g.message == ""


def test_gate_blocks_and_manager_override_is_recorded(staff_actor, manager_actor):
    store.update_settings(manager_actor, {"checklist_gate": "block"})
    g = checklist.gate(staff_actor)
    assert g.blocked and "manager" in g.message
    with pytest.raises(DomainError):
        approvals.grant(staff_actor, "checklist_gate", "1001", "1111", checklist.gate_reason())
    approval = approvals.grant(staff_actor, "checklist_gate", "9001", "9999", checklist.gate_reason(),
                               entity="checklist_run", detail={"checklist_status": g.status})
    row = Approval.get_by_id(approval.id)
    assert row.kind == "checklist_gate" and row.approved_by_id == manager_actor.staff_id
    assert row.requested_by_id == staff_actor.staff_id
    assert AuditLog.select().where(AuditLog.action == "approval.checklist_gate").count() == 1


# -- review -------------------------------------------------------------------------------------


def test_review_approve_and_return_transitions(staff_actor, manager_actor, fixed_clock):
    _answer_all(staff_actor)
    run = checklist.submit(staff_actor)
    with pytest.raises(PermissionDenied):
        checklist.approve(staff_actor, run.id)
    with pytest.raises(DomainError) as exc:
        checklist.return_run(manager_actor, run.id, "  ")
    assert exc.value.field == "comment"
    returned = checklist.return_run(manager_actor, run.id, "Counter glass still smeared")
    assert returned.status == "returned" and returned.returned_count == 1
    with pytest.raises(DomainError):
        checklist.approve(manager_actor, run.id)  # not submitted now
    item = _item(staff_actor.store_id, "counter_clean")
    checklist.answer(staff_actor, item.id, "ok", "wiped again")  # editable again
    checklist.submit(staff_actor)
    approved = checklist.approve(manager_actor, run.id)
    assert approved.status == "approved" and approved.reviewer_id == manager_actor.staff_id
    with pytest.raises(DomainError):
        checklist.return_run(manager_actor, run.id, "too late")


def test_queue_lists_problems_first_with_notes(staff_actor, manager_actor, fixed_clock):
    _at_local(fixed_clock, 8, 50, TODAY - dt.timedelta(days=1))
    _answer_all(staff_actor)
    checklist.submit(staff_actor)
    _at_local(fixed_clock, 8, 50)
    _answer_all(staff_actor)
    checklist.answer(staff_actor, _item(staff_actor.store_id, "grooming").id, "problem", "no name badge")
    checklist.submit(staff_actor)
    queue = checklist.review_queue(manager_actor)
    assert [q.business_date for q in queue] == [TODAY, TODAY - dt.timedelta(days=1)]
    assert [(p.code, p.note) for p in queue[0].problems] == [("grooming", "no name badge")]


def test_returned_comment_shows_on_home_until_resubmitted(staff_actor, manager_actor):
    _answer_all(staff_actor)
    run = checklist.submit(staff_actor)
    checklist.return_run(manager_actor, run.id, "Redo the posture check")
    notes = home.notices(staff_actor)
    assert any("Redo the posture check" in n and "刘建国" in n for n in notes)
    assert not any("Redo" in n for n in home.notices(manager_actor))  # only the one who submitted
    fig = next(f for f in home.glance(staff_actor) if f.key == "home.glance_checklist")
    assert fig.value == "returned" and fig.alert
    checklist.submit(staff_actor)
    assert not any("Redo" in n for n in home.notices(staff_actor))


def test_home_figure_follows_the_run(staff_actor, manager_actor, fixed_clock):
    def fig():
        return next(f for f in home.glance(staff_actor) if f.key == "home.glance_checklist")

    _at_local(fixed_clock, 8, 40)
    assert (fig().value, fig().alert) == ("not started", False)
    checklist.answer(staff_actor, _item(staff_actor.store_id, "counter_clean").id, "ok")
    assert fig().value == "1/12"
    _at_local(fixed_clock, 9, 5)
    assert fig().alert  # not submitted after opening
    _answer_all(staff_actor)
    run = checklist.submit(staff_actor)
    assert fig().value == "submitted (late)"
    checklist.approve(manager_actor, run.id)
    assert fig().value.startswith("approved")


def test_history_filters_and_compliance(staff_actor, manager_actor, fixed_clock):
    from storepos.services.staff import login
    lily = login(staff_actor.store_id, "1002", "2222", "T1")
    days = [TODAY - dt.timedelta(days=n) for n in (3, 2, 1, 0)]
    # day -3: staff on time, approved · day -2: Lily late, returned then approved · day -1: none
    # day 0: staff on time, problem on grooming, waiting
    _at_local(fixed_clock, 8, 50, days[0])
    _answer_all(staff_actor)
    r0 = checklist.submit(staff_actor)
    checklist.approve(manager_actor, r0.id)
    _at_local(fixed_clock, 9, 20, days[1])
    _answer_all(lily)
    checklist.answer(lily, _item(lily.store_id, "grooming").id, "problem", "hair")
    r1 = checklist.submit(lily)
    checklist.return_run(manager_actor, r1.id, "fix it")
    checklist.submit(lily)
    checklist.approve(manager_actor, r1.id)
    _at_local(fixed_clock, 8, 55, days[3])
    _answer_all(staff_actor)
    checklist.answer(staff_actor, _item(staff_actor.store_id, "grooming").id, "problem", "tie")
    checklist.submit(staff_actor)

    all_runs = checklist.history(manager_actor, days[0], days[3])
    assert [r.business_date for r in all_runs] == [days[3], days[1], days[0]]
    assert [r.business_date for r in checklist.history(manager_actor, days[0], days[3],
                                                       staff_code="1002")] == [days[1]]
    assert [r.business_date for r in checklist.history(manager_actor, days[0], days[3],
                                                       status="approved")] == [days[1], days[0]]
    with pytest.raises(DomainError):
        checklist.history(manager_actor, days[0], days[3], staff_code="nobody")

    c = checklist.compliance(staff_actor.store_id, days[0], days[3])
    assert (c.days, c.submitted, c.on_time, c.approved_first_time) == (4, 3, 2, 1)
    assert c.share_submitted == 0.75 and c.share_on_time == 0.5
    assert abs(c.share_approved_first_time - 1 / 3) < 1e-9
    assert c.top_problems[0] == ("Grooming: women fresh and light, men neat", 2)
    c7 = checklist.recent_compliance(manager_actor, 7)
    # The store row is from today, but runs go back to days[0]: the window starts at the first run.
    assert c7.days == 4 and c7.submitted == 3
    Store.update(created_at=dt.datetime(2025, 1, 1)).execute()
    c7 = checklist.recent_compliance(manager_actor, 7)
    assert c7.days == 7 and c7.submitted == 3
    with pytest.raises(PermissionDenied):
        checklist.recent_compliance(staff_actor, 7)


# -- items are data -----------------------------------------------------------------------------


def test_reworded_and_retired_items_keep_old_wording_in_past_runs(staff_actor, manager_actor, fixed_clock):
    counter = _item(staff_actor.store_id, "counter_clean")
    wet = _item(staff_actor.store_id, "no_wet_cloth")
    _answer_all(staff_actor)
    run = checklist.submit(staff_actor)
    fixed_clock.advance(minutes=30)
    checklist.reword_item(manager_actor, counter.id, {"text_zh": "收银台整洁", "text_en": "Till area tidy"})
    checklist.retire_item(manager_actor, wet.id)
    added = checklist.add_item(manager_actor, {"group": "staff", "text_zh": "工牌佩戴", "text_en": "Badge on",
                                               "mandatory": False})
    assert added.code.startswith("custom_")
    past = checklist.state_of(manager_actor, run.id)
    labels = [i.label for i in past.all_items]
    assert "Counter free of dust and stains" in labels and "Till area tidy" not in labels
    assert "No wet cloth on machines or equipment" in labels  # retired, still in the past run
    assert "Badge on" not in labels  # added after that run
    fixed_clock.advance(days=1)
    today = checklist.today_state(staff_actor)
    labels = [i.label for i in today.all_items]
    assert "Till area tidy" in labels and "Badge on" in labels
    assert "No wet cloth on machines or equipment" not in labels
    with pytest.raises(DomainError):
        checklist.answer(staff_actor, wet.id, "ok")
    assert AuditLog.select().where(AuditLog.action.startswith("checklist.item_")).count() == 3
    with pytest.raises(PermissionDenied):
        checklist.retire_item(staff_actor, counter.id)
    with pytest.raises(DomainError) as exc:
        checklist.add_item(manager_actor, {"group": "nope", "text_zh": "x"})
    assert exc.value.field == "group"
    assert ChecklistEntry.select().where(ChecklistEntry.text_en == "Counter free of dust and stains").count() == 1


# -- CLI ----------------------------------------------------------------------------------------


def _cli_db(settings, manager_actor, staff_actor, fixed_clock):
    _at_local(fixed_clock, 8, 50, TODAY - dt.timedelta(days=1))
    _answer_all(staff_actor)
    checklist.answer(staff_actor, _item(staff_actor.store_id, "grooming").id, "problem", "tie, missing")
    checklist.submit(staff_actor)
    _at_local(fixed_clock, 8, 50)
    return ["--home", str(settings.home), "--db", settings.database_target, "--lang", "en"]


def test_cli_report_csv(demo, staff_actor, manager_actor, fixed_clock, capsys):
    args = _cli_db(demo, manager_actor, staff_actor, fixed_clock)
    code = cli.main(["report", "checklist", "--from", "2026-02-28", "--to", "2026-03-02", "--csv", *args])
    out, err = capsys.readouterr()
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("date,status,started_by")
    assert lines[1].startswith("2026-03-02,not_started")
    assert lines[2].startswith("2026-03-01,submitted,王小明,王小明,2026-03-01 08:50,no,12,12,1,0")
    assert '"Grooming: women fresh and light, men neat: tie, missing"' in lines[2]
    assert lines[3].startswith("2026-02-28,not_started")
    assert "submitted 33%" in err


def test_cli_report_table_and_bad_dates(demo, staff_actor, manager_actor, fixed_clock, capsys):
    args = _cli_db(demo, manager_actor, staff_actor, fixed_clock)
    assert cli.main(["report", "checklist", "--from", "2026-03-01", "--to", "2026-03-02", *args]) == 0
    out, _ = capsys.readouterr()
    assert "on time 50%" in out and "2026-03-01" in out and "Grooming" in out
    assert cli.main(["report", "checklist", "--from", "2026-13-01", *args]) == 2
    _, err = capsys.readouterr()
    assert err.strip() == "--from: '2026-13-01' is not a date; use YYYY-MM-DD"
    assert cli.main(["report", "checklist", "--from", "2026-03-02", "--to", "2026-03-01", *args]) == 2
    _, err = capsys.readouterr()
    assert err.strip() == "--from 2026-03-02 is after --to 2026-03-01"
    assert cli.main(["report", "nonsense", *args]) == 2
    _, err = capsys.readouterr()
    assert len(err.strip().splitlines()) == 1
