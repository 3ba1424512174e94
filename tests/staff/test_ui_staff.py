"""Staff and PINs, as a new manager uses them at 80x24: the cursor stays on the person acted on,
every action names them, deactivating asks first."""

from __future__ import annotations

from support import login
from textual.widgets import Input, Static

from storepos.models import Staff
from storepos.services.core import pins
from storepos.ui.kit.confirm import Confirm
from storepos.ui.staff.staff import PinForm, StaffForm, StaffScreen


def _message(app) -> str:
    return str(app.screen.query_one("#message", Static).render())


async def _open(pilot, app) -> StaffScreen:
    await login(pilot, "9001", "9999")
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(app.screen, StaffScreen)
    return app.screen


async def _to(pilot, screen: StaffScreen, code: str) -> None:
    while screen.current.code != code:
        await pilot.press("down")


async def test_pin_reset_stays_on_the_person_and_names_them(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app)
        await _to(pilot, screen, "1002")
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PinForm)
        assert "Lily Chen (1002)" in str(app.screen.query_one("#form-title", Static).render())
        await pilot.press(*"4321", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.current.code == "1002"  # not back on the first row (the manager)
        assert "Lily Chen (1002)" in _message(app)
    lily = Staff.get(Staff.code == "1002")
    assert pins.verify_pin("4321", lily.pin_hash)
    manager = Staff.get(Staff.code == "9001")
    assert pins.verify_pin("9999", manager.pin_hash)  # the manager's own PIN is untouched


async def test_deactivating_asks_naming_the_person_and_esc_changes_nothing(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app)
        await _to(pilot, screen, "1001")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert "王小明 (1001)" in str(app.screen.query_one("#confirm-question", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert Staff.get(Staff.code == "1001").active
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert not Staff.get(Staff.code == "1001").active
        assert screen.current.code == "1001" and "王小明 (1001)" in _message(app)


async def test_new_staff_form_replaces_the_prefilled_authority_and_enter_walks_the_drop_downs(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, StaffForm)
        await pilot.press(*"1005", "enter")
        for ch in "Ann [/b]":
            await pilot.press(ch)
        await pilot.press("enter")
        await pilot.press("down", "enter")  # role: ↓ makes it manager, Enter moves on
        await pilot.press(*"15", "enter")  # authority: the prefilled 0 gives way: 15, not 015
        await pilot.press("enter")  # language: Enter moves on (it used to be skipped)
        assert app.screen.focused is app.screen.query_one("#pin", Input)
        await pilot.press(*"1234", "enter")
        await pilot.pause()
        assert app.screen is screen
        ann = Staff.get(Staff.code == "1005")
        assert (ann.name, ann.role, ann.discount_authority) == ("Ann [/b]", "manager", 15)
        assert screen.current.code == "1005" and "Ann [/b]" in _message(app)
        assert "Ann [/b]" in str(screen.table.get_row(str(ann.id))[1])
