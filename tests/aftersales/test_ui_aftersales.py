"""After-sales by keyboard at 80x24: working down a due list (reached, no answer with a date,
wrong number, interest starting a visit), a survey with one low score producing a ticket, a ticket
moved through its statuses, reassignment for managers only."""

from __future__ import annotations

import datetime as dt
import io

from support.checkout import customer, open_till, sell
from support import login, type_text
from rich.console import Console
from textual.widgets import Static

from storepos.models import FollowUp, ServiceTicket, Store, SurveyResponse
from storepos.services import aftersales
from storepos.services import staff
from storepos.ui.aftersales.followups import FollowUpsScreen, ReassignForm, RescheduleForm
from storepos.ui.home.home import HomeScreen
from storepos.ui.aftersales.survey import SurveyForm
from storepos.ui.aftersales.tickets import NewTicketForm, SaleReturnsScreen, TicketScreen, TicketsScreen
from storepos.ui.visits.visit import VisitScreen


def _text(screen, selector: str) -> str:
    content = screen.query_one(selector, Static).content
    if isinstance(content, str):
        return content
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


def _actor(code="1001", pin="1111"):
    return staff.login(Store.get(Store.code == "S001").id, code, pin, "T1")


def _three_sales_due(fixed_clock):
    """Three sales to C0001..C0003; four days on, their thank-you calls are one day overdue."""
    a = _actor()
    open_till(a)
    sales = [sell(a, ("SA-0001", 1), customer_id=customer(n).id) for n in ("C0001", "C0002", "C0003")]
    fixed_clock.advance(days=4)
    return sales


async def _type(pilot, text: str) -> None:
    await type_text(pilot, text)


async def test_working_down_the_due_list_by_keys(demo, make_app, fixed_clock):
    sales = _three_sales_due(fixed_clock)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        assert isinstance(app.screen, HomeScreen)
        assert "3 overdue" in _text(app.screen, "#glance")
        await pilot.press("6")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FollowUpsScreen)
        assert [i.customer_id for i in screen.items] == [customer(n).id for n in ("C0001", "C0002", "C0003")]
        assert "⟦" not in str(screen.render())
        # 1: reached, with a note typed in the note field
        await pilot.press("tab")
        await _type(pilot, "ok")
        await pilot.press("enter")
        await pilot.press("r")
        await pilot.pause()
        first = FollowUp.get(FollowUp.sale == sales[0].id, FollowUp.kind == "thanks_call")
        assert (first.status, first.note, first.on_time) == ("done", "ok", False)
        # 2: no answer -> the date asked, tomorrow by default; a bad date is refused beside the field
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, RescheduleForm)
        field = app.screen.query_one("#next_date")
        assert field.value == "2026-03-07"
        field.value = "2026-03-01"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RescheduleForm)
        assert "after today" in _text(app.screen, "#field-next_date .field-error")
        field.value = ""
        await _type(pilot, "+2")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        second = FollowUp.get(FollowUp.sale == sales[1].id, FollowUp.kind == "thanks_call")
        assert (second.status, second.due_date) == ("rescheduled", dt.date(2026, 3, 8))
        # 3: wrong number
        await pilot.press("w")
        await pilot.pause()
        third = FollowUp.get(FollowUp.sale == sales[2].id, FollowUp.kind == "thanks_call")
        assert third.status == "cancelled"
        assert screen.items == []
        # a staff member cannot reassign
        await pilot.press("a")
        await pilot.pause()
        assert not isinstance(app.screen, ReassignForm)


async def test_interest_starts_a_visit_with_the_customer(demo, make_app, fixed_clock):
    _three_sales_due(fixed_clock)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("6")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, VisitScreen)
        assert app.screen.visit.customer_id == customer("C0001").id
        assert FollowUp.get(FollowUp.led_to_visit == app.screen.visit_id).interest


async def test_a_survey_with_one_low_score_opens_a_ticket(demo, make_app, fixed_clock):
    sales = _three_sales_due(fixed_clock)
    fixed_clock.advance(days=10)  # the surveys (14 days) are due now
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("6")
        await pilot.pause()
        screen = app.screen
        row = [i.kind for i in screen.items].index("survey")
        screen.query_one("#list-table").move_cursor(row=row)
        item = screen.items[row]
        await pilot.press("r")  # reached on a survey follow-up: the survey opens
        await pilot.pause()
        survey = app.screen
        assert isinstance(survey, SurveyForm) and survey.sale_id == item.sale_id
        assert "⟦" not in str(survey.render())
        await pilot.press("7")  # out of range: message beside the field, nothing written
        await pilot.pause()
        assert "1–5 only" in _text(survey, "#field-product_quality .field-error")
        await pilot.press("backspace")
        for digit in "54254":  # each valid digit moves on to the next dimension
            await pilot.press(digit)
        await pilot.pause()
        assert survey.scores() == {"product_quality": "5", "delivery_service": "4", "response_speed": "2",
                                   "aftersales_support": "5", "overall": "4"}
        await _type(pilot, "slow reply")
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        s = SurveyResponse.get()
        assert (s.sale_id, s.lowest, s.comment, s.followup_id) == (item.sale_id, 2, "slow reply", item.id)
        ticket = ServiceTicket.get()
        assert (ticket.source_survey_id, ticket.status, ticket.sale_id) == (s.id, "open", item.sale_id)
        assert FollowUp.get_by_id(item.id).status == "done"
        assert sales


async def test_a_survey_refuses_an_empty_score_beside_its_field(demo, make_app, fixed_clock):
    sales = _three_sales_due(fixed_clock)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        app.push_screen(SurveyForm(sale_id=sales[0].id))
        await pilot.pause()
        for digit in "55":
            await pilot.press(digit)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, SurveyForm)
        assert "Give a score" in _text(app.screen, "#field-response_speed .field-error")
        assert SurveyResponse.select().count() == 0


async def test_manager_reassigns_and_works_a_ticket_to_a_return(demo, make_app, fixed_clock):
    sales = _three_sales_due(fixed_clock)
    a = _actor()
    tk = aftersales.open_ticket(a, problem="lid cracked", sale_id=sales[0].id)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "9001", "9999")
        await pilot.press("6")
        await pilot.pause()
        screen = app.screen
        assert screen.items == []  # none of them are the manager's own
        await pilot.press("m")
        await pilot.pause()
        assert len(screen.items) == 3
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ReassignForm)
        select = app.screen.query_one("#staff")
        for _ in range(20):  # the salesperson is chosen in the list (↓), not typed
            if select.value == "1002":
                break
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert FollowUp.get_by_id(screen.items[0].id).owner.code == "1002"
        app.action_go_home()
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, TicketsScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TicketScreen)
        await pilot.press("f7")  # resolved straight from open: refused
        await pilot.pause()
        assert ServiceTicket.get_by_id(tk.id).status == "open"
        await pilot.press("f6")
        await _type(pilot, "called the customer")
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("f7")  # resolution missing: message beside the field
        await pilot.pause()
        assert "resolution" in _text(app.screen, "#field-resolution .field-error").lower()
        app.screen.query_one("#tk-resolution").value = "exchanged"
        await pilot.press("f7")
        await pilot.pause()
        row = ServiceTicket.get_by_id(tk.id)
        assert (row.status, row.resolution) == ("resolved", "exchanged")
        assert [a.text for a in aftersales.actions_of(tk.id)][2] == "called the customer"
        assert "⟦" not in str(app.screen.render())
        await pilot.press("f9")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SaleReturnsScreen) and app.screen.sale.id == sales[0].id
        table = app.screen.query_one("#lines")
        assert len(table.columns) == 7 and table.row_count == 1


async def test_after_sales_screens_switch_language_without_raw_keys(demo, make_app, fixed_clock):
    sales = _three_sales_due(fixed_clock)
    aftersales.open_ticket(_actor(), problem="漏水", sale_id=sales[0].id)
    app = make_app(lang="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        for opener in (lambda: app.push_screen(FollowUpsScreen()), lambda: app.push_screen(SurveyForm()),
                       lambda: app.push_screen(TicketsScreen()), lambda: app.push_screen(TicketScreen(1))):
            opener()
            await pilot.pause()
            await pilot.press("f12")
            await pilot.pause()
            assert "⟦" not in str(app.screen.render())
            app.pop_screen()
            await pilot.pause()


# -- data shown exactly as typed; prefilled values give way; results name the customer -----------

def _rename(number: str, name: str) -> None:
    from storepos.services import customers

    manager = _actor("9001", "9999")
    customers.update(manager, customer(number).id, {"name": name})


def _cells(table) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_ticket_list_and_page_show_markup_names_as_typed(demo, make_app, fixed_clock):
    sales = _three_sales_due(fixed_clock)
    _rename("C0001", "[/b]x")
    _rename("C0002", "[red]x")
    a = _actor()
    first = aftersales.open_ticket(a, problem="[/bold]lid [red]cracked", sale_id=sales[0].id)
    aftersales.open_ticket(a, problem="p", customer_id=customer("C0002").id)
    aftersales.add_action(a, first.id, "[/b] called")
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TicketsScreen)
        cells = _cells(screen.table)
        assert [row[2] for row in cells] == ["[/b]x", "[red]x"]
        assert cells[0][5] == "[/bold]lid [red]cracked"
        await pilot.press("enter")
        await pilot.pause()
        page = app.screen
        assert isinstance(page, TicketScreen)
        assert "[/b]x" in _text(page, "#tk-head")
        assert "[/bold]lid [red]cracked" in _text(page, "#tk-problem")
        assert "[/b] called" in _text(page, "#tk-actions")
        await type_text(pilot, "[red]rang")
        await pilot.press("enter")
        await pilot.pause()
        assert [x.text for x in aftersales.actions_of(first.id)][-1] == "[red]rang"
        assert "[/b]x" in _text(page, "#message")  # the result names the ticket's customer
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.table.cursor_row == 0


async def test_new_ticket_form_opens_the_ticket_and_the_list_names_it(demo, make_app, fixed_clock):
    _three_sales_due(fixed_clock)
    _rename("C0003", "[/b]x")
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("i")
        await pilot.pause()
        list_screen = app.screen
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewTicketForm)
        await pilot.press("enter")  # receipt: optional
        await type_text(pilot, "C0003")
        await pilot.press("enter")
        await pilot.press("ctrl+s")  # no problem typed: refused beside its field
        await pilot.pause()
        assert app.screen is form and form.query_one("#field-problem").has_class("-invalid")
        await type_text(pilot, "[red]leaks")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TicketScreen)
        tk = ServiceTicket.get()
        assert (tk.problem, tk.customer_id) == ("[red]leaks", customer("C0003").id)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is list_screen
        assert list_screen.current.id == tk.id
        assert "[/b]x" in _text(list_screen, "#message")


async def test_follow_up_list_shows_markup_names_and_results_name_them(demo, make_app, fixed_clock):
    _three_sales_due(fixed_clock)
    _rename("C0001", "[/b]x")
    _rename("C0002", "[red]x")
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("6")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FollowUpsScreen)
        assert [row[2] for row in _cells(screen.table)] == ["[/b]x", "[red]x", customer("C0003").name]
        await pilot.press("down")
        await pilot.press("r")
        await pilot.pause()
        assert _text(screen, "#message").startswith("[red]x: done")
        # the row acted on is gone: the cursor stays where it was (on the next one), not the first
        assert screen.current.customer == customer("C0003").name


async def test_no_answer_date_prefill_gives_way_to_the_first_key(demo, make_app, fixed_clock):
    sales = _three_sales_due(fixed_clock)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("6")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, RescheduleForm)
        assert app.screen.query_one("#next_date").value == "2026-03-07"
        await type_text(pilot, "+3")  # replaces tomorrow's date, no backspacing first
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpsScreen)
        fu = FollowUp.get(FollowUp.sale == sales[0].id, FollowUp.kind == "thanks_call")
        assert (fu.status, fu.due_date) == ("rescheduled", dt.date(2026, 3, 9))
        assert customer("C0001").name in _text(app.screen, "#message")


async def test_reassign_keeps_the_cursor_on_the_row_and_names_the_customer(demo, make_app, fixed_clock):
    _three_sales_due(fixed_clock)
    _rename("C0002", "[/b]x")
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "9001", "9999")
        await pilot.press("6")
        await pilot.pause()
        screen = app.screen
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("down")
        target = screen.current
        assert target.customer == "[/b]x"
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ReassignForm)
        assert form.query_one("#staff").value == "1001"  # the owner now
        await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert FollowUp.get_by_id(target.id).owner.code == "1002"
        assert screen.current.id == target.id
        assert _text(screen, "#message").startswith("[/b]x: given to")


async def test_survey_names_a_markup_customer_as_typed_and_the_list_says_saved(demo, make_app, fixed_clock):
    sales = _three_sales_due(fixed_clock)
    _rename("C0001", "[red]x [/b]")
    fixed_clock.advance(days=10)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("6")
        await pilot.pause()
        screen = app.screen
        row = next(i for i, it in enumerate(screen.items) if it.kind == "survey" and it.sale_id == sales[0].id)
        screen.table.move_cursor(row=row)
        await pilot.press("s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SurveyForm)
        assert "[red]x [/b]" in _text(form, "#form-intro")
        for digit in "55555":
            await pilot.press(digit)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert _text(screen, "#message").startswith("[red]x [/b]: survey saved")


async def test_survey_esc_keeps_the_scores_typed_for_the_next_time(demo, make_app, fixed_clock):
    _three_sales_due(fixed_clock)
    fixed_clock.advance(days=10)
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("6")
        await pilot.pause()
        screen = app.screen
        screen.table.move_cursor(row=[i.kind for i in screen.items].index("survey"))
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("5", "4")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and SurveyResponse.select().count() == 0
        await pilot.press("s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SurveyForm)
        assert form.scores() == {"product_quality": "5", "delivery_service": "4", "response_speed": "",
                                 "aftersales_support": "", "overall": ""}
        for digit in "455":
            await pilot.press(digit)
        assert form.scores()["overall"] == "5" and form.scores()["delivery_service"] == "4"
