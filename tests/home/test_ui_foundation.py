"""The foundation screens as a user meets them: setup, login, lockout, idle lock, language, home."""

from __future__ import annotations

import asyncio

from support import login
from textual.widgets import Input, Static

from storepos.i18n import set_language
from storepos.ui.home.home import HomeScreen
from storepos.ui.staff.lock import LockScreen
from storepos.ui.staff.login import LoginScreen
from storepos.ui.home.setup import SetupScreen


async def test_first_run_setup_creates_store_and_manager(db, make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        for text in ("My Shop", None, "Ann", "M1", "1234", "1234"):
            if text is not None:
                await pilot.press(*list(text))
            await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.actor.role == "manager"


async def test_setup_refuses_bad_pin_beside_field_and_keeps_input(db, make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for text in ("My Shop", None, "Ann", "M1", "12", "12"):
            if text is not None:
                await pilot.press(*list(text))
            await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        err = app.screen.query_one("#field-manager_pin .field-error", Static)
        assert "4 to 8 digits" in str(err.render())
        assert app.screen.query_one("#store_name", Input).value == "My Shop"


async def test_login_ok_wrong_pin_and_lockout_message(demo, make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        await login(pilot, "1001", "0000")
        err = app.screen.query_one("#field-pin .field-error", Static)
        assert "Wrong PIN" in str(err.render()) and "4 attempt" in str(err.render())
        for _ in range(4):
            await pilot.click("#pin")
            await pilot.press(*list("0000"), "enter")
            await pilot.pause()
        text = str(app.screen.query_one("#field-pin .field-error", Static).render())
        assert "locked for 5 min" in text
        # Even the right PIN is refused while locked, and the screen says for how long.
        await pilot.click("#pin")
        await pilot.press(*list("1111"), "enter")
        await pilot.pause()
        text = str(app.screen.query_one("#field-pin .field-error", Static).render())
        assert "Try again in 5 min" in text
        assert isinstance(app.screen, LoginScreen)


async def test_login_then_home_shows_rail_and_glance(demo, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.actor.code == "1001"


async def test_idle_lock_and_unlock_returns_to_same_input(demo, make_app):
    app = make_app(idle_lock_minutes=5)
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "9001", "9999")
        await pilot.press("s")  # staff screen
        await pilot.pause()
        await pilot.press("a")  # add form
        await pilot.pause()
        await pilot.press(*list("77"))
        # 1.2 s idle from now on (set once the form holds "77": on a busy machine the steps before
        # may themselves take that long)
        app.settings = app.settings.model_copy(update={"idle_lock_minutes": 0.02})
        screen_before = app.screen
        for _ in range(40):  # locks within about 2.2 s; up to 8 s on a loaded machine
            await asyncio.sleep(0.2)
            await pilot.pause()
            if isinstance(app.screen, LockScreen):
                break
        assert isinstance(app.screen, LockScreen)
        await pilot.press(*list("9999"), "enter")
        await pilot.pause()
        assert app.screen is screen_before
        assert app.screen.query_one("#code", Input).value == "77"


async def test_language_switch_on_home_takes_effect_at_once(demo, make_app):
    set_language("zh_CN")
    app = make_app(lang=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "1001", "1111")
        title = str(app.screen.query_one("#glance-title", Static).render())
        assert "今日概况" in title
        await pilot.press("l")
        await pilot.pause()
        title = str(app.screen.query_one("#glance-title", Static).render())
        assert "Today at a glance" in title
    from storepos.models import Staff

    assert Staff.get(Staff.code == "1001").language == "en"


async def test_staff_cannot_open_staff_admin(demo, make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_keys_arriving_while_the_app_closes_are_dropped(demo, make_app):
    """The rest of a scanner's burst can reach the app after its last screen is gone: it is dropped
    (Textual would raise ScreenStackError at exit)."""
    from textual import events

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot)
        stack = app._screen_stack[:]
        app._screen_stack.clear()
        try:
            await app.on_event(events.Key("a", "a"))
        finally:
            app._screen_stack.extend(stack)
        assert app._exception is None
