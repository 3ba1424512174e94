"""The crawler on the practice screens themselves: the net (tests/crawl) opens practice from the
live app, where it only asks to switch.  Here the app runs on the practice database with hostile
trainees, scenarios and trainer's notes, and every key of every practice screen is pressed, every
form filled with hostile data."""

from __future__ import annotations

import pytest
from crawl.crawler import Crawl
from crawl.hostile import HOSTILE_NAMES
from support import login
from support.practice import actor

from storepos.db import database
from storepos.services import practice
from storepos.services.core.bootstrap import close_database
from storepos.services.staff import create_staff

ROLES = {"trainer": ("8001", "8888"), "manager": ("9001", "9999")}


@pytest.fixture
def hostile_practice(demo, tmp_path, fixed_clock):
    close_database()
    database.initialize(None)
    s = demo.model_copy(update={"practice": True, "practice_db": str(tmp_path / "practice.db")})
    practice.prepare(s)
    manager, trainer = actor("9001", "9999"), actor("8001", "8888")
    people = []
    for i, name in enumerate(HOSTILE_NAMES[:4]):
        people.append(create_staff(manager, {"code": f"07{i:02d}", "name": name[:60], "role": "staff",
                                             "discount_authority": "5", "language": "en"}, "7777"))
    for i, name in enumerate(HOSTILE_NAMES):
        practice.add_scenario(trainer, {
            "code": f"hostile_{i}", "title_zh": name[:100], "title_en": name[:100], "persona_zh": name,
            "signal": "eyes_meet", "spec_zh": name, "quantity": "2", "budget": "", "delivery_zh": name,
            "objections_zh": name, "outcome_zh": name})
    scores = {code: {"score": "2", "comment": HOSTILE_NAMES[i % len(HOSTILE_NAMES)]}
              for i, code in enumerate(practice.rubric_codes())}
    scored = practice.start_session(trainer, people[0].id, "hostile_0")
    practice.score_session(trainer, scored.id, scores)
    fixed_clock.advance(minutes=3)
    ended = practice.start_session(trainer, people[1].id, "hostile_1")
    practice.end_session(trainer, ended.id)
    fixed_clock.advance(minutes=3)
    practice.start_session(trainer, people[2].id, "hostile_4")
    return s


async def _every_key(crawl: Crawl, base, where: str) -> None:
    """Press every key *base* offers (back on it before each), filling the forms they open."""
    app = crawl.app
    for key, focus in crawl.keys_of(base):
        await crawl.back_to(base)
        if app.screen is not base:
            return
        if focus is not None and focus.is_attached:
            focus.focus()
        crawl.last = f"{where} [{key}]"
        await crawl.pilot.press(key)
        await crawl.settle()
        if not crawl.check(crawl.last):
            return
        if app.screen is not base and base in app.screen_stack:
            await crawl.fill(crawl.last)
    await crawl.back_to(base)


# Both roles and both languages, each once (the screens are the same for both roles).
@pytest.mark.parametrize(("role", "lang"), [("trainer", "zh_CN"), ("manager", "en")])
async def test_every_practice_screen_takes_every_key_with_hostile_data(hostile_practice, make_app, role, lang):
    app = make_app(practice=True, practice_db=hostile_practice.practice_db, lang=lang)
    app.restart_into = lambda to_practice: None  # the switch to live would end the app
    app.action_logout = lambda: None  # handing over would end the crawl of the list
    crawl = Crawl(app, None, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        crawl.pilot = pilot
        await login(pilot, *ROLES[role])
        crawl.check("home")
        await crawl.area("practice")
        # The screens the list opens: each row's score card (or brief) and the progress, every key.
        from storepos.ui.practice.practice import PracticeScreen

        listing = app.screen
        assert isinstance(listing, PracticeScreen)
        for row in range(len(listing.rows)):
            for key in ("c", "g"):
                await crawl.back_to(listing)
                listing.table.move_cursor(row=row)
                await pilot.press(key)
                await crawl.settle()
                if crawl.check(f"practice row {row} [{key}]") and app.screen is not listing:
                    await _every_key(crawl, app.screen, f"practice row {row} [{key}]")
    problems = crawl.report()
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:40])
    assert crawl.steps > 10 and crawl.forms >= 2


async def test_session_list_sizes_its_columns_to_hostile_content_on_first_showing(hostile_practice, make_app):
    from textual.widgets import DataTable

    app = make_app(practice=True, practice_db=hostile_practice.practice_db, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "8001", "8888")
        await pilot.press("t")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        top = table.region.y  # what the terminal shows (the screen as drawn, not the table redrawn)
        lines = [strip.text for strip in app.screen._compositor.render_strips()][top:top + 4]
        assert "running" in lines[1] and "to score" in lines[2], lines  # not "runnin", "to sco"
        assert "10/25" in lines[3] and "03-02 09:30" in lines[3], lines  # not "10/2", "03-02 0"
