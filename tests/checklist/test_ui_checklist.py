"""The opening checklist as staff and managers meet it, by keys, at 80x24, in zh and en."""

from __future__ import annotations

import datetime as dt
import io

from rich.console import Console
from support import login
from textual.widgets import OptionList, Static

from storepos.models import Approval, ChecklistEntry, ChecklistItem, ChecklistRun
from storepos.services import checklist
from storepos.services.core import store
from storepos.ui.checklist.gate import ensure_gate
from storepos.ui.checklist.review import ChecklistReviewScreen, ReturnForm
from storepos.ui.checklist.run import ChecklistScreen
from storepos.ui.home.home import HomeScreen
from storepos.ui.kit.approval import ManagerApproval

SIZE = (80, 24)


def _text(screen, selector: str) -> str:
    content = screen.query_one(selector, Static).content
    if isinstance(content, str):
        return content
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


def _row(screen, code: str) -> str:
    item = ChecklistItem.get(ChecklistItem.code == code)
    # the run screen, also while a note form is open over it
    screen = next(s for s in reversed(screen.app.screen_stack) if isinstance(s, ChecklistScreen))
    ol = screen.query_one("#cl-items", OptionList)
    return str(ol.get_option(f"i-{item.id}").prompt)


async def _whole_run(pilot, app, *, problem_note: str) -> None:
    """o for every item, except p + note on the second one; then s."""
    await pilot.press("1")
    await pilot.pause()
    assert isinstance(app.screen, ChecklistScreen)
    await pilot.press("o")
    await pilot.press("p")
    await pilot.pause()
    await pilot.press(*list(problem_note), "enter")
    await pilot.pause()
    for _ in range(10):
        await pilot.press("o")
    await pilot.pause()
    await pilot.press("s")
    await pilot.pause()


async def test_whole_run_by_keys_in_english(staff_actor, make_app, fixed_clock):
    fixed_clock.set(dt.datetime(2026, 3, 2, 0, 52))  # 08:52 local: within the 10-minute window
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "1002", "2222")  # Lily works in English
        await pilot.press("1")
        await pilot.pause()
        header = _text(app.screen, "#cl-header")
        assert "0/12 answered" in header and "8 min to opening" in header
        assert "Opening checklist" in str(app.screen.query_one("#rail", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        await _whole_run(pilot, app, problem_note="dust")
        assert "Checklist submitted." in _text(app.screen, "#message")
        assert "12/12 answered" in _text(app.screen, "#cl-header")
        assert "1 problem(s)" in _text(app.screen, "#cl-header")
        run = ChecklistRun.get()
        assert run.status == "submitted" and not run.late
        samples = ChecklistItem.get(ChecklistItem.code == "samples_clean")
        entry = ChecklistEntry.get(ChecklistEntry.item == samples.id)
        assert (entry.answer, entry.note) == ("problem", "dust")
        # read-only after submit
        await pilot.press("o")
        await pilot.pause()
        assert "can no longer be changed" in _text(app.screen, "#message")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "submitted" in _text(app.screen, "#glance")


async def test_whole_run_by_keys_in_chinese_marked_late(staff_actor, make_app, fixed_clock):
    fixed_clock.set(dt.datetime(2026, 3, 2, 1, 10))  # 09:10 local, after opening
    app = make_app(lang=None)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "1001", "1111")  # prefers Chinese
        await _whole_run(pilot, app, problem_note="ok")  # the note may be any text
        assert "晚于开门时间" in _text(app.screen, "#message")
        assert "已提交" in _text(app.screen, "#cl-header") and "迟交" in _text(app.screen, "#cl-header")
        assert ChecklistRun.get().late


async def test_cursor_jumps_to_next_open_item(staff_actor, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "1002", "2222")
        await pilot.press("1", "down", "down")  # on the 3rd item
        await pilot.press("o")
        await pilot.pause()
        assert app.screen.current_item().code == "samples_arranged"  # next open after it
        await pilot.press("up", "up", "up")  # back to the first (the group heading is skipped)
        await pilot.press("o")
        await pilot.pause()
        assert app.screen.current_item().code == "samples_clean"


async def test_problem_without_note_refused_next_to_item(staff_actor, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "1002", "2222")
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert app.screen.query_one("#note").has_focus
        await pilot.press("enter")
        await pilot.pause()
        message = "A problem needs a note"
        assert message in _text(app.screen, "#field-note .field-error")
        assert message in _row(app.screen, "counter_clean")
        assert ChecklistEntry.select().count() == 0
        # n/a on a mandatory item: refused, said beside the item
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert "N/A is not allowed" in _row(app.screen, "counter_clean")
        assert ChecklistEntry.select().count() == 0
        # n/a on an optional item is fine
        await pilot.press("down", "down", "down", "down", "down")
        assert app.screen.current_item().code == "long_displayed_handled"
        await pilot.press("n")
        await pilot.pause()
        assert ChecklistEntry.get().answer == "na"


async def test_submit_with_missing_items_names_them(staff_actor, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "1002", "2222")
        await pilot.press("1", "o", "s")
        await pilot.pause()
        text = _text(app.screen, "#message")
        assert "9 mandatory item(s) not answered yet" in text and "Samples free of dust" in text
        assert ChecklistRun.get().status == "open"


def _submitted_run(actor, fixed_clock, day: dt.date, note: str = "") -> int:
    fixed_clock.set(dt.datetime(day.year, day.month, day.day, 0, 50))
    for item in checklist.items(actor.store_id):
        if note and item.code == "grooming":
            checklist.answer(actor, item.id, "problem", note)
        else:
            checklist.answer(actor, item.id, "ok")
    return checklist.submit(actor).id


async def test_manager_returns_then_approves(staff_actor, make_app, fixed_clock):
    earlier = _submitted_run(staff_actor, fixed_clock, dt.date(2026, 3, 1))
    today = _submitted_run(staff_actor, fixed_clock, dt.date(2026, 3, 2), note="no badge")
    app = make_app(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "9001", "9999")
        await pilot.press("w")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChecklistReviewScreen)
        assert [r.run_id for r in screen.rows] == [today, earlier]  # problems first
        detail = _text(screen, "#rv-detail")
        assert "no badge" in detail and detail.index("no badge") < detail.index("Counter free")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReturnForm)
        await pilot.press("enter")  # empty comment refused beside the field
        await pilot.pause()
        assert "Please fill this in" in _text(app.screen, "#field-comment .field-error")
        await pilot.press(*list("Wear the badge"), "enter")
        await pilot.pause()
        assert app.screen is screen
        assert ChecklistRun.get_by_id(today).status == "returned"
        assert [r.run_id for r in screen.rows] == [earlier]
        await pilot.press("a")
        await pilot.pause()
        assert ChecklistRun.get_by_id(earlier).status == "approved"
        assert "Nothing waiting" in _text(screen, "#rv-detail")
        await pilot.press("h")
        await pilot.pause()
        assert {r.run_id for r in screen.rows} == {today, earlier}
        await pilot.press("c")
        await pilot.pause()
        assert "Approved first time" in _text(screen, "#rv-detail")


async def test_returned_comment_on_staff_home_and_resubmit(staff_actor, manager_actor, make_app, fixed_clock):
    run_id = _submitted_run(staff_actor, fixed_clock, dt.date(2026, 3, 2), note="tie")
    checklist.return_run(manager_actor, run_id, "Fix the tie first")
    app = make_app(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "1001", "1111")
        assert "Fix the tie first" in _text(app.screen, "#notices")
        await pilot.press("1")
        await pilot.pause()
        assert "Fix the tie first" in _text(app.screen, "#cl-header")
        item = ChecklistItem.get(ChecklistItem.code == "grooming")
        ol = app.screen.query_one("#cl-items", OptionList)
        ol.highlighted = ol.get_option_index(f"i-{item.id}")
        await pilot.press("o", "s")
        await pilot.pause()
        assert ChecklistRun.get_by_id(run_id).status == "submitted"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#notices").display is False


async def test_staff_cannot_open_review(staff_actor, make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "1002", "2222")
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_gate_warns_or_asks_manager_and_records_override(staff_actor, manager_actor, make_app):
    passed: list = []
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "1002", "2222")
        status = ensure_gate(app.screen, passed.append)  # warn: a warning, then on
        assert status.warn and passed == [None]
        store.update_settings(manager_actor, {"checklist_gate": "block"})
        status = ensure_gate(app.screen, passed.append)
        await pilot.pause()
        assert status.blocked and isinstance(app.screen, ManagerApproval)
        await pilot.press(*list("9001"), "enter", *list("9999"), "enter", "enter")
        await pilot.pause()
        assert len(passed) == 2 and isinstance(passed[1], Approval)
        row = Approval.get()
        assert row.kind == "checklist_gate" and row.approved_by_id == manager_actor.staff_id
        # cancelled: the sale does not start
        ensure_gate(app.screen, passed.append)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert len(passed) == 2


async def test_manager_adds_and_retires_an_item_in_the_app(manager_actor, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "9001", "9999")
        await pilot.press("w", "i")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("ctrl+s")  # empty Chinese text refused beside its field
        await pilot.pause()
        assert "Please fill this in" in _text(app.screen, "#field-text_zh .field-error")
        await pilot.press(*list("badge"), "tab")
        await pilot.press(*list("Badge on"), "ctrl+s")
        await pilot.pause()
        added = ChecklistItem.get(ChecklistItem.text_en == "Badge on")
        assert added.group == "environment" and added.mandatory
        await pilot.press("ctrl+home")  # the cursor is on the item just added: back to the first
        await pilot.press("d")  # retire the first item
        await pilot.pause()
        assert ChecklistItem.get(ChecklistItem.code == "counter_clean").retired
