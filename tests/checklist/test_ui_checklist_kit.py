"""The checklist screens on the kit: data shown exactly as typed (a staff name or a note like
``[/b]x`` or ``[red]x``), forms that keep a draft on Esc and replace a prefill with the first key,
lists whose results name the run or item and keep the cursor on it."""

from __future__ import annotations

import datetime as dt
import io

from rich.console import Console
from support import login, type_text
from textual.widgets import OptionList, Static

from storepos.models import ChecklistEntry, ChecklistItem, ChecklistRun, Staff
from storepos.services import checklist, staff
from storepos.ui.checklist.items import ChecklistItemsScreen
from storepos.ui.checklist.review import ChecklistReviewScreen, ReturnForm
from storepos.ui.checklist.run import ChecklistScreen
from storepos.ui.kit.prompt import Prompt

SIZE = (80, 24)
NAME = "Lily [/b]x"
NOTE = "[red]x dust [/bold]"


def _render(renderable) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def _text(screen, selector: str) -> str:
    content = screen.query_one(selector, Static).content
    return content if isinstance(content, str) else _render(content)


def _table_text(screen) -> str:
    table = screen.query_one("#list-table")
    return "\n".join(" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count))


def _rename(manager_actor, code: str, name: str) -> None:
    member = Staff.get(Staff.code == code)
    staff.update_staff(manager_actor, member.id, {"name": name})


def _submitted_run(actor, fixed_clock, day: dt.date, note: str = "") -> int:
    fixed_clock.set(dt.datetime(day.year, day.month, day.day, 0, 50))
    for item in checklist.items(actor.store_id):
        if note and item.code == "grooming":
            checklist.answer(actor, item.id, "problem", note)
        else:
            checklist.answer(actor, item.id, "ok")
    return checklist.submit(actor).id


def _row(app, code: str) -> str:
    item = ChecklistItem.get(ChecklistItem.code == code)
    screen = next(s for s in reversed(app.screen_stack) if isinstance(s, ChecklistScreen))
    return str(screen.query_one("#cl-items", OptionList).get_option(f"i-{item.id}").prompt)


async def test_review_shows_staff_name_and_note_exactly_as_typed(staff_actor, manager_actor, make_app,
                                                               fixed_clock):
    _rename(manager_actor, "1001", NAME)
    run_id = _submitted_run(staff_actor, fixed_clock, dt.date(2026, 3, 2), note=NOTE)
    app = make_app(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "9001", "9999")
        await pilot.press("w")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChecklistReviewScreen)
        assert NAME in _table_text(screen)
        detail = _text(screen, "#rv-detail")
        assert NOTE in detail and NAME in detail
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReturnForm)
        assert NAME in _text(app.screen, "#form-title")
        await type_text(pilot, "[b]badge")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        run = ChecklistRun.get_by_id(run_id)
        assert (run.status, run.review_note) == ("returned", "[b]badge")
        # the result names the run: its date and who submitted it
        assert f"2026-03-02 ({NAME}) returned" in _text(screen, "#message")
        await pilot.press("h")
        await pilot.pause()
        assert NAME in _table_text(screen)
        assert "[b]badge" in _text(screen, "#rv-detail")


async def test_approve_names_the_run_and_keeps_the_cursor_on_it(staff_actor, manager_actor, make_app,
                                                               fixed_clock):
    _rename(manager_actor, "1001", NAME)
    first = _submitted_run(staff_actor, fixed_clock, dt.date(2026, 2, 28))
    second = _submitted_run(staff_actor, fixed_clock, dt.date(2026, 3, 1))
    app = make_app(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "9001", "9999")
        await pilot.press("w", "h")  # history: approved runs stay in the list
        await pilot.pause()
        screen = app.screen
        assert [r.run_id for r in screen.rows] == [second, first]
        await pilot.press("down", "a")
        await pilot.pause()
        assert ChecklistRun.get_by_id(first).status == "approved"
        assert ChecklistRun.get_by_id(second).status == "submitted"
        assert f"Checklist of 2026-02-28 ({NAME}) approved." in _text(screen, "#message")
        assert screen.current.run_id == first


async def test_return_comment_kept_on_esc(staff_actor, make_app, fixed_clock):
    run_id = _submitted_run(staff_actor, fixed_clock, dt.date(2026, 3, 2))
    app = make_app(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "9001", "9999")
        await pilot.press("w", "r")
        await pilot.pause()
        await pilot.press(*list("Wear the"), "escape")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistReviewScreen)
        assert ChecklistRun.get_by_id(run_id).status == "submitted"
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*list(" badge"), "enter")
        await pilot.pause()
        assert ChecklistRun.get_by_id(run_id).review_note == "Wear the badge"


async def test_problem_note_shown_as_typed_and_kept_on_esc(staff_actor, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "1002", "2222")
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, Prompt)
        assert "Counter" in _text(app.screen, "#form-intro")  # the form names the item
        await type_text(pilot, "[red]x")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)
        assert ChecklistEntry.select().count() == 0
        await pilot.press("p")
        await pilot.pause()
        assert app.screen.query_one("#note").value == "[red]x"  # the draft came back
        await type_text(pilot, " dust [/b]")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)
        entry = ChecklistEntry.get()
        assert (entry.answer, entry.note) == ("problem", "[red]x dust [/b]")
        assert "[!] Counter" in _row(app, "counter_clean")
        assert "[red]x dust [/b]" in _row(app, "counter_clean")


async def test_problem_note_prefill_replaced_by_first_key(staff_actor, make_app):
    item = next(i for i in checklist.items(staff_actor.store_id) if i.code == "counter_clean")
    checklist.answer(staff_actor, item.id, "problem", "old note")
    app = make_app(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "1002", "2222")
        await pilot.press("1")
        await pilot.pause()
        screen = app.screen
        opts = screen.query_one("#cl-items", OptionList)
        opts.highlighted = opts.get_option_index(f"i-{item.id}")
        await pilot.press("p")
        await pilot.pause()
        assert app.screen.query_one("#note").value == "old note"
        await pilot.press(*list("wet"), "enter")
        await pilot.pause()
        latest = ChecklistEntry.select().order_by(ChecklistEntry.id.desc()).get()
        assert latest.note == "wet"


async def test_items_list_shows_item_as_typed_and_names_it(manager_actor, make_app):
    group = next(iter(checklist.group_labels()))
    added = checklist.add_item(manager_actor, {"group": group, "text_zh": "[/b]x", "text_en": "[red]x"})
    app = make_app(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "9001", "9999")
        await pilot.press("w", "i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChecklistItemsScreen)
        assert "[red]x" in _table_text(screen)
        keys = screen.table.row_keys
        screen.table.move_cursor(row=keys.index(str(added.id)))
        await pilot.press("d")
        await pilot.pause()
        assert ChecklistItem.get_by_id(added.id).retired
        assert "Retired: [red]x." in _text(screen, "#message")
        assert screen.current.id == added.id  # the cursor stayed on it
        await pilot.press("e")
        await pilot.pause()
        assert "[red]x" in _text(app.screen, "#form-title")
        await pilot.press("tab")  # to the English text: the prefill is replaced by what is typed
        await type_text(pilot, "[b]y")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert ChecklistItem.get_by_id(added.id).text_en == "[b]y"
        assert "Saved: [b]y." in _text(screen, "#message")
        assert screen.current.id == added.id


async def test_history_dates_prefilled_and_replaced_by_typing(staff_actor, make_app, fixed_clock):
    older = _submitted_run(staff_actor, fixed_clock, dt.date(2026, 2, 27))
    newer = _submitted_run(staff_actor, fixed_clock, dt.date(2026, 3, 1))
    app = make_app(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "9001", "9999")
        await pilot.press("w", "h")
        await pilot.pause()
        screen = app.screen
        assert {r.run_id for r in screen.rows} == {older, newer}
        screen.query_one("#f-from").focus()
        await pilot.press(*list("2026-02-28"), "enter")  # replaces the prefilled date
        await pilot.pause()
        assert screen.query_one("#f-from").value == "2026-02-28"
        assert [r.run_id for r in screen.rows] == [newer]
        await pilot.press("backspace", "enter")
        await pilot.pause()
        assert "From: not a date" in _text(screen, "#message")
        assert screen.rows == []


async def test_item_form_keeps_the_draft_on_esc(manager_actor, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot, "9001", "9999")
        await pilot.press("w", "i", "a")
        await pilot.pause()
        await type_text(pilot, "[b]徽章")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistItemsScreen)
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.query_one("#text_zh").value == "[b]徽章"
        await pilot.press("ctrl+s")
        await pilot.pause()
        added = ChecklistItem.get(ChecklistItem.text_zh == "[b]徽章")
        assert "Added: [b]徽章." in _text(app.screen, "#message")
        assert app.screen.current.id == added.id
