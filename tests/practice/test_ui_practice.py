"""Pilot: a trainer runs one practice scenario end to end and reads the score card; the PRACTICE
mark on every screen and modal; the switch from live restarts into practice."""

from __future__ import annotations

import io

import pytest
from support import login, type_text
from support.practice import actor, journey
from rich.console import Console
from textual.widgets import DataTable, Input, Select, Static

from storepos.db import database
from storepos.i18n import t
from storepos.models import PracticeSession, RubricScore
from storepos.services import practice
from storepos.services.core import sop
from storepos.services.core.bootstrap import close_database
from storepos.ui.app import RESTART_PRACTICE
from storepos.ui.home.home import HomeScreen
from storepos.ui.staff.login import LoginScreen
from storepos.ui.practice.practice import PracticeScreen, PracticeSwitch
from storepos.ui.practice.card import ScoreCardScreen
from storepos.ui.practice.rubric import RubricForm
from storepos.ui.practice.start import PracticeStart, ScenarioBrief


@pytest.fixture
def practice_settings(demo, tmp_path):
    close_database()
    database.initialize(None)
    s = demo.model_copy(update={"practice": True, "practice_db": str(tmp_path / "practice.db")})
    practice.prepare(s)
    return s


def _text(app) -> str:
    """Every Static of the screen as plain text (rich tables included)."""
    console = Console(width=120, file=io.StringIO(), record=True)
    for w in app.screen.query(Static):
        console.print(w.content)
    return console.export_text()


async def _type(pilot, text: str) -> None:
    await type_text(pilot, text)


async def test_trainer_runs_a_scenario_end_to_end_and_reads_the_score_card(practice_settings, make_app,
                                                                       fixed_clock):
    app = make_app(practice=True, practice_db=practice_settings.practice_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "8001", "8888")
        assert isinstance(app.screen, HomeScreen) and app.has_class("-practice")
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        await pilot.press("n")
        await pilot.pause()
        start = app.screen
        assert isinstance(start, PracticeStart) and start.query(".practice-badge")  # marked modal
        await pilot.press("ctrl+s")  # nothing chosen: the message sits beside the trainee field
        await pilot.pause()
        assert "-invalid" in start.query_one("#field-trainee").classes
        await pilot.press("down", "enter")  # first trainee: 1001; Enter moves on to the scenario
        await pilot.press("down")  # first scenario: the restaurant kitchen
        await pilot.pause()
        assert start.query_one("#trainee", Select).value == practice.trainees(app.store.id)[0].id
        assert start.query_one("#scenario", Select).value == "restaurant_kitchen"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ScenarioBrief)
        brief = _text(app)
        assert "餐饮企业" in brief or "restaurant chain" in brief
        await pilot.press("h")  # hand over: the trainer is logged out, the session runs on
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert PracticeSession.get().status == "running"

        # The trainee works the customer on the real services (the trainer plays the customer).
        await login(pilot, "1001", "1111")
        assert t("practice.notice_trainee", trainer="赵丽华") in _text(app)
        journey(actor("1001", "1111"))
        await pilot.press("x")
        await pilot.pause()

        await login(pilot, "8001", "8888")
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("e")  # end the session and score it
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RubricForm) and PracticeSession.get().status == "ended"
        await _type(pilot, "7")
        await pilot.press("ctrl+s")
        await pilot.pause()
        field = form.query_one("#field-score_sales_plan")
        assert "-invalid" in field.classes
        assert t("err.practice_score_range", low=1, high=5) in str(field.query_one(".field-error").render())
        assert RubricScore.select().count() == 0
        form.query_one("#score_sales_plan", Input).value = ""
        form.query_one("#score_sales_plan", Input).focus()
        for score, comment in (("4", "plan ok"), ("5", ""), ("3", "show more"), ("2", "gave in"), ("4", "")):
            await _type(pilot, score)
            await pilot.press("enter")
            await _type(pilot, comment)
            await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ScoreCardScreen)
        card = _text(app)
        assert "18/25" in card
        assert t("practice.obj_greeting") in card and "6/6" in card
        assert t("practice.card_missed") in card
        assert t("practice.missed_rubric", area=sop.rubric_areas()[3].entry.label, score=2) in card
        assert t("practice.obj_follow_up_missed") in card  # a walk-in sale schedules none
        assert "⟦" not in card
        session = PracticeSession.get()
        assert session.status == "scored" and session.rubric_total == 18 and session.sale_ids
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        await pilot.press("g")
        await pilot.pause()
        assert "⟦" not in _text(app)
        await pilot.press("x")
        await pilot.pause()
        assert "practice-progress-1001-" in _text(app)


async def test_live_home_key_asks_then_restarts_into_practice(demo, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("t")  # not a trainer's: nothing opens
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("x")
        await login(pilot, "8001", "8888")
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, PracticeSwitch) and not app.screen.query(".practice-badge")
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_value == RESTART_PRACTICE


async def test_trainer_adds_a_scenario_with_messages_beside_the_fields(practice_settings, make_app):
    app = make_app(practice=True, practice_db=practice_settings.practice_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "8001", "8888")
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        await _type(pilot, "shop_fitter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "-invalid" in form.query_one("#field-title_zh").classes
        assert form.query_one("#code", Input).value == "shop_fitter"  # input kept
        for name, value in (("title_zh", "装修公司"), ("persona_zh", "老板"), ("spec_zh", "厨具"), ("quantity", "x"),
                            ("delivery_zh", "下月"), ("objections_zh", "太贵"), ("outcome_zh", "成交")):
            form.query_one(f"#{name}", Input).value = value
        form.query_one("#signal", Select).value = "eyes_meet"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "-invalid" in form.query_one("#field-quantity").classes
        form.query_one("#quantity", Input).value = "2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        assert practice.get_scenario(app.store.id, "shop_fitter").title == "装修公司"


# -- the kit: lists sized to their content, data never markup, forms on Enter ------------------

MARKUP_NAME = "Pot [/b] [red]x"
MARKUP_TITLE = "[/bold]closing [red]tag"
MARKUP_NOTE = "[red]note[/red] [/b]"


def _table_lines(table) -> list[str]:
    """The lines a DataTable draws, as text."""
    return ["".join(seg.text for seg in table.render_line(y)) for y in range(table.size.height)]


def _hostile_trainee_and_scenario() -> int:
    """A trainee with markup in the name (code 0777: first in the drop-down) and a scenario with
    markup in its title, in the practice database; the trainee's id."""
    from storepos.services.staff import create_staff

    made = create_staff(actor("9001", "9999"), {"code": "0777", "name": MARKUP_NAME, "role": "staff",
                                                "discount_authority": "5", "language": "en"}, "7777")
    practice.add_scenario(actor("8001", "8888"), {
        "code": "hostile", "title_zh": MARKUP_TITLE, "title_en": MARKUP_TITLE, "persona_zh": "[b]老板",
        "signal": "eyes_meet", "spec_zh": "[/]厨具", "quantity": "2", "budget": "", "delivery_zh": "下月",
        "objections_zh": "[red]太贵", "outcome_zh": "成交"})
    return made.id


async def test_session_list_columns_fit_their_content_at_80x24(practice_settings, make_app, fixed_clock):
    trainer = actor("8001", "8888")
    s = practice.start_session(trainer, practice.trainees(trainer.store_id, exclude=trainer.staff_id)[0].id,
                               "restaurant_kitchen")
    practice.end_session(trainer, s.id)
    PracticeSession.update(objective_points=18, objective_max=18).where(PracticeSession.id == s.id).execute()
    app = make_app(practice=True, practice_db=practice_settings.practice_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "8001", "8888")
        await pilot.press("t")
        await pilot.pause()
        lines = _table_lines(app.screen.query_one(DataTable))
        assert any("18/18" in line for line in lines), lines  # not cut to "18/1"


async def test_long_names_leave_the_scores_on_screen_at_80x24(practice_settings, make_app, fixed_clock):
    from storepos.services.staff import create_staff

    trainer = actor("8001", "8888")
    long = create_staff(actor("9001", "9999"), {"code": "0778", "name": "长" * 30 + "L" * 30, "role": "staff",
                                                "discount_authority": "5", "language": "en"}, "7777")
    s = practice.start_session(trainer, long.id, "restaurant_kitchen")
    practice.score_session(trainer, s.id, {code: {"score": "4", "comment": ""} for code in practice.rubric_codes()})
    app = make_app(practice=True, practice_db=practice_settings.practice_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "8001", "8888")
        await pilot.press("t")
        await pilot.pause()
        lines = _table_lines(app.screen.query_one(DataTable))
        assert any("长长" in line and "20/25" in line for line in lines), lines


async def test_trainee_and_scenario_names_show_exactly_as_typed(practice_settings, make_app, fixed_clock):
    trainee_id = _hostile_trainee_and_scenario()
    app = make_app(practice=True, practice_db=practice_settings.practice_db, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "8001", "8888")
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        start = app.screen
        assert isinstance(start, PracticeStart)
        await pilot.press("down")  # the first trainee: the one named with markup
        assert start.query_one("#trainee", Select).value == trainee_id
        await pilot.press("enter")  # Enter moves from the drop-down to the next one
        assert app.focused is start.query_one("#scenario", Select)
        codes = [sc.code for sc in practice.scenarios(app.store.id)]
        for _ in range(codes.index("hostile") + 1):
            await pilot.press("down")
        await pilot.pause()
        assert start.query_one("#scenario", Select).value == "hostile"
        assert MARKUP_TITLE in _text(app) and "[b]老板" in _text(app)  # the preview, as typed
        await pilot.press("enter")  # Enter on the last field starts the session
        await pilot.pause()
        assert isinstance(app.screen, ScenarioBrief)
        brief = _text(app)
        assert MARKUP_TITLE in brief and "[/]厨具" in brief and "[red]太贵" in brief
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        assert MARKUP_NAME in _text(app)  # the result names the session
        lines = _table_lines(app.screen.query_one("#list-table"))
        assert any(MARKUP_NAME[:10] in line for line in lines), lines
        assert any(MARKUP_TITLE[:10] in line for line in lines), lines

        await pilot.press("e")  # end it and score it: a trainer's note with markup
        await pilot.pause()
        assert isinstance(app.screen, RubricForm)
        assert MARKUP_NAME in _text(app)
        for score in ("4", "5", "3", "2", "4"):
            await _type(pilot, score)
            await pilot.press("enter")
            await type_text(pilot, MARKUP_NOTE)
            await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ScoreCardScreen)
        card = _text(app)
        assert MARKUP_NAME in card and MARKUP_TITLE in card and MARKUP_NOTE in card
        assert RubricScore.get(RubricScore.area == "sales_plan").comment == MARKUP_NOTE
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("g")  # the progress of the highlighted trainee
        await pilot.pause()
        progress = _text(app)
        assert MARKUP_NAME in progress and MARKUP_TITLE[:10] in progress


async def test_rescoring_replaces_the_prefilled_score_with_the_first_key(practice_settings, make_app,
                                                                         fixed_clock):
    trainer = actor("8001", "8888")
    s = practice.start_session(trainer, practice.trainees(trainer.store_id, exclude=trainer.staff_id)[0].id,
                               "restaurant_kitchen")
    practice.score_session(trainer, s.id, {code: {"score": "4", "comment": "ok"} for code in practice.rubric_codes()})
    app = make_app(practice=True, practice_db=practice_settings.practice_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "8001", "8888")
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RubricForm)
        first = practice.rubric_codes()[0]
        assert form.query_one(f"#score_{first}", Input).value == "4"
        await _type(pilot, "5")
        assert form.query_one(f"#score_{first}", Input).value == "5"  # replaced, not refused
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ScoreCardScreen)
        assert PracticeSession.get_by_id(s.id).rubric_total == 21


async def test_cancelling_a_session_asks_naming_it_and_keeps_the_cursor_on_its_place(practice_settings, make_app,
                                                                                      fixed_clock):
    trainer = actor("8001", "8888")
    people = practice.trainees(trainer.store_id, exclude=trainer.staff_id)
    for person in people[:3]:
        practice.start_session(trainer, person.id, "restaurant_kitchen")
        fixed_clock.advance(minutes=1)
    app = make_app(practice=True, practice_db=practice_settings.practice_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "8001", "8888")
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        await pilot.press("down")
        target = screen.current
        await pilot.press("z")
        await pilot.pause()
        assert target.trainee_name in _text(app)  # the question names the session
        await pilot.press("escape")
        await pilot.pause()
        assert screen.current.id == target.id
        assert PracticeSession.get_by_id(target.id).status == "running"
        await pilot.press("z")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert PracticeSession.get_by_id(target.id).status == "cancelled"
        assert target.trainee_name in _text(app)  # the result names it
        assert [r.id for r in screen.rows] == [r.id for r in practice.session_rows(app.store.id)]
        assert screen.table.cursor_row == 1


async def test_esc_keeps_a_half_typed_scenario_for_the_next_opening(practice_settings, make_app):
    app = make_app(practice=True, practice_db=practice_settings.practice_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "8001", "8888")
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await _type(pilot, "shop_fitter")
        await pilot.press("enter")
        await type_text(pilot, "[/b]装修")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#code", Input).value == "shop_fitter"
        assert form.query_one("#title_zh", Input).value == "[/b]装修"
