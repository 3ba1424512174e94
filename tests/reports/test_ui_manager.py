"""Pilot: a manager opens the daily report, walks the days, drills into one staff member's sales,
exports CSV; staff and trainers cannot open the desk."""

from __future__ import annotations

import datetime as dt

from support import login

from storepos.services import reports
from storepos.ui.home.home import HomeScreen
from storepos.ui.reports.desk import ManagerDeskScreen
from storepos.ui.reports.drill import StaffDrillScreen


def _text(app) -> str:
    from rich.console import Console
    from textual.widgets import DataTable, Static

    console = Console(width=200, record=True, file=open("/dev/null", "w"))
    for w in app.screen.query(Static):
        content = w.content
        console.print(content, markup=False)
    parts = [console.export_text()]
    for table in app.screen.query(DataTable):
        parts += [str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)]
    return "\n".join(parts)


async def settle(pilot) -> None:
    """Let the desk's worker count the figures and show them."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_manager_opens_daily_report_and_drills_into_staff_sales(demo, make_app, fixed_clock):
    from storepos.services.demo import simulate

    simulate(2, seed=4, end=dt.date(2026, 3, 1))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "9001", "9999")
        await pilot.press("m")
        await settle(pilot)
        desk = app.screen
        assert isinstance(desk, ManagerDeskScreen)
        assert desk.day == dt.date(2026, 3, 1)  # nothing sold today: opens on the last day with sales
        r = reports.daily(1, dt.date(2026, 3, 1))
        from storepos.money import fmt

        assert fmt(r.net_amount, fen=True) in _text(app)
        await pilot.press("left")
        await settle(pilot)
        assert desk.day == dt.date(2026, 2, 28)
        await pilot.press("right")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        path = app.settings.home / "exports" / "daily-S001-2026-03-01.csv"
        assert path.exists() and str(path) in str(desk.query_one("#message").content)
        assert reports.read_csv(path) == reports.daily_csv(r)
        for key in ("f", "a", "c"):
            await pilot.press(key)
            await settle(pilot)
            assert "⟦" not in _text(app)
        await pilot.press("s")
        await settle(pilot)
        assert desk.mode == "staff" and desk.staff_rows
        top = desk.staff_rows[0]
        await pilot.press("enter")
        await settle(pilot)
        drill = app.screen
        assert isinstance(drill, StaffDrillScreen) and drill.row.staff_id == top.staff_id
        assert drill.items and all(d.kind == "sale" for d in drill.items)
        assert sum(d.amount for d in drill.items) == top.sales_amount
        assert drill.items[0].label in _text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is desk
        # a range: bad input stays, message beside the field
        await pilot.press("r")
        await settle(pilot)
        from textual.widgets import Input

        frm = app.screen.query_one("#from", Input)
        frm.value = "2026-03-09"
        app.screen.query_one("#to", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        from storepos.i18n import t

        assert t("err.desk_bad_range", date_from="2026-03-09", date_to="2026-03-02") in _text(app)
        assert app.screen.query_one("#field-to").has_class("-invalid") and frm.value == "2026-03-09"
        frm.value = "2026-02-28"
        app.screen.query_one("#to", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is desk and desk.period == (dt.date(2026, 2, 28), dt.date(2026, 3, 2))


async def test_staff_and_trainer_have_no_desk(demo, make_app):
    for code, pin in (("1001", "1111"), ("8001", "8888")):
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await login(pilot, code, pin)
            assert isinstance(app.screen, HomeScreen)
            await pilot.press("m")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            app.open_area("manager")
            await pilot.pause()
            assert not isinstance(app.screen, ManagerDeskScreen)
