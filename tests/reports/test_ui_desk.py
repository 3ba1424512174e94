"""The manager's desk at 80x24 with awkward data: staff, customers and reasons whose names look like
markup show exactly as typed (they crashed the desk with MarkupError), amounts are ¥ with two
decimals right-aligned, the cursor stays on the staff member acted on, the period form replaces
its prefilled date with the first key typed and a bad date stays beside its field."""

from __future__ import annotations

import datetime as dt

import pytest
from rich.text import Text
from support import login
from support.checkout import cart_of, open_till, sell

from storepos.i18n import t
from storepos.services import checkout, customers, reports
from storepos.services.checkout import PaymentIn
from storepos.services.core import approvals
from storepos.services.staff import create_staff
from storepos.services.staff import login as staff_login
from storepos.ui.kit.table import Table
from storepos.ui.reports.desk import ManagerDeskScreen
from storepos.ui.reports.drill import RangeForm, StaffDrillScreen

CLERK = "[/b]x Clerk"
BUYER = "[/bold]y [red]z"
REASON = "[red]display[/red] [/b]"


def _text(app) -> str:
    from rich.console import Console
    from textual.widgets import DataTable, Static

    console = Console(width=200, record=True, file=open("/dev/null", "w"))
    for w in app.screen.query(Static):
        console.print(w.content, markup=False)
    parts = [console.export_text()]
    for table in app.screen.query(DataTable):
        parts += [str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)]
    return "\n".join(parts)


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def hostile_sale(manager_actor, staff_actor, fixed_clock):
    """A clerk named like markup sells on account to a customer named like markup, with a
    discount a manager approved for a reason written like markup."""
    clerk = create_staff(manager_actor, {"code": "7777", "name": CLERK, "role": "staff", "discount_authority": "0",
                                         "language": "en"}, "7777")
    actor = staff_login(manager_actor.store_id, "7777", "7777", "T1")
    buyer = customers.create(manager_actor, {"name": BUYER, "phone": "13900001234", "segment": "retail",
                                             "credit_limit": "999999.99", "credit_days": "30"},
                             confirm_duplicate=True)
    open_till(actor)
    cart = cart_of(actor, ("SA-0015", 1), customer_id=buyer.id)
    cart.set_discount(0, "8%")
    appr = approvals.grant(actor, "discount", "9001", "9999", REASON, entity="cart", entity_id=cart.uuid)
    cart.approvals["authority"] = appr.id
    sale = checkout.complete_sale(actor, cart, [PaymentIn("account", cart.totals().total)])
    sell(staff_actor, ("KC-0001", 1))  # 王小明 sells more: the clerk is not the first row
    return clerk, sale


async def _desk(pilot, app) -> ManagerDeskScreen:
    await login(pilot, "9001", "9999")
    await pilot.press("m")
    await settle(pilot)
    assert isinstance(app.screen, ManagerDeskScreen)
    return app.screen


async def test_names_and_reasons_like_markup_show_as_typed_everywhere(hostile_sale, make_app):
    clerk, _sale = hostile_sale
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        desk = await _desk(pilot, app)
        text = _text(app)
        assert CLERK in text and BUYER in text and REASON in text  # discounts, approved list, receivables
        assert t("report.col_terminal") == "Terminal" and "Terminal" in text
        await pilot.press("f")
        await settle(pilot)
        assert app.is_running and "Conversion funnel" in _text(app)
        await pilot.press("s")
        await settle(pilot)
        table = desk.query_one("#desk-table", Table)
        row = table.get_row(str(clerk.id))
        assert str(row[1]) == CLERK
        net = row[2]
        assert isinstance(net, Text) and net.justify == "right"
        r = next(r for r in desk.staff_rows if r.staff_id == clerk.id)
        assert net.plain == f"¥{r.net_amount / 100:,.2f}"
        await pilot.press("a")
        await settle(pilot)
        assert REASON in _text(app) and CLERK in _text(app)
        await pilot.press("c")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, ManagerDeskScreen)


async def test_the_cursor_stays_on_the_staff_member_and_the_drill_names_them(hostile_sale, make_app):
    clerk, _sale = hostile_sale
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        desk = await _desk(pilot, app)
        await pilot.press("s")
        await settle(pilot)
        table = desk.query_one("#desk-table", Table)
        key = str(clerk.id)
        assert table.row_keys.index(key) > 0  # not the first row: the test means something
        while table.current_key != key:
            await pilot.press("down")
        await pilot.press("left")  # an earlier period: the same person stays highlighted
        await settle(pilot)
        assert table.current_key == key
        await pilot.press("right")
        await settle(pilot)
        assert table.current_key == key
        await pilot.press("enter")
        await pilot.pause()
        drill = app.screen
        assert isinstance(drill, StaffDrillScreen) and drill.row.staff_id == clerk.id
        assert CLERK in _text(app)
        assert drill.items and all(d.kind == "sale" for d in drill.items)
        amount = drill.table.get_row_at(0)[2]
        assert isinstance(amount, Text) and amount.justify == "right" and amount.plain.startswith("¥")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is desk and table.current_key == key


async def test_the_period_form_replaces_the_prefill_and_keeps_a_bad_date_beside_its_field(demo, make_app,
                                                                                           fixed_clock):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        desk = await _desk(pilot, app)
        before = desk.period
        await pilot.press("r")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RangeForm)
        frm = form.widget("from")
        assert frm.has_focus and frm.value == before[0].isoformat()
        await pilot.press(*"2026-02-30")  # the first key replaces the prefilled date
        assert frm.value == "2026-02-30"
        await pilot.press("enter")  # to the next field
        await pilot.press("enter")  # save
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#field-from").has_class("-invalid")
        assert "“2026-02-30” is not a date" in _text(app)
        assert frm.value == "2026-02-30" and desk.period == before  # nothing changed
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is desk and desk.period == before
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"2026-02-01", "enter", *"2026-02-10", "enter")
        await settle(pilot)
        assert app.screen is desk and desk.mode == "staff"
        assert desk.period == (dt.date(2026, 2, 1), dt.date(2026, 2, 10))


async def test_export_waits_for_the_figures_and_names_the_file(demo, make_app, fixed_clock):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        desk = await _desk(pilot, app)
        desk.csv_rows = []
        desk.loading_report = True  # as while a worker is still counting
        await pilot.press("e")
        await pilot.pause()
        assert t("desk.export_wait") in _text(app)
        assert not (app.settings.home / "exports").exists()
        desk.load()
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        d = desk.day
        path = app.settings.home / "exports" / f"daily-S001-{d.isoformat()}.csv"
        assert path.exists() and str(path) in _text(app)
        assert reports.read_csv(path) == reports.daily_csv(reports.daily(1, d))


async def test_a_wider_terminal_shows_more_of_a_long_name_without_counting_again(hostile_sale, make_app):
    clerk, _sale = hostile_sale
    from storepos.services.staff import update_staff

    long_name = "长" * 30 + "[/b]"
    update_staff(staff_login(1, "9001", "9999", "T1"), clerk.id, {"name": long_name})
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        desk = await _desk(pilot, app)
        await pilot.press("s")
        await settle(pilot)
        table = desk.query_one("#desk-table", Table)
        narrow = str(table.get_row(str(clerk.id))[1])
        assert narrow.endswith("…") and long_name.startswith(narrow[:-1].rstrip())
        gen = desk._gen
        await pilot.resize_terminal(140, 30)
        await settle(pilot)
        wide = str(table.get_row(str(clerk.id))[1])
        assert wide == long_name and desk._gen == gen
