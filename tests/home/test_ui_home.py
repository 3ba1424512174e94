"""Every key on the home screen opens its screen, and Esc comes back."""

from __future__ import annotations

import pytest
from support import login

from storepos.services.core.permissions import can
from storepos.ui.home.home import HomeScreen
from storepos.ui.kit import areas


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
async def test_every_home_key_opens_its_screen(demo, make_app, lang):
    app = make_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "9001", "9999")
        assert isinstance(app.screen, HomeScreen)
        opened = 0
        for area in areas.rail_areas() + areas.role_areas():
            if not area.home_key or not can(app.actor, area.permission):
                continue
            await pilot.press(area.home_key)
            await pilot.pause()
            assert not isinstance(app.screen, HomeScreen), area.id
            await pilot.pause()
            shot = app.export_screenshot()
            assert "⟦" not in shot, f"{area.id} shows a raw i18n key"
            opened += 1
            app.action_go_home()
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen), area.id
        assert opened >= 1


async def test_palette_lists_areas_for_the_role(demo, make_app):
    from storepos.ui.app import AreaCommands

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "1001", "1111")
        provider = AreaCommands(app.screen)
        labels = [label for label, _h, _cb in provider._commands()]
        from storepos.i18n import t

        assert t("area.staff") not in labels  # a manager's area
        assert t("palette.logout") in labels


def test_home_keys_are_unique():
    seen: dict[str, str] = {}
    for area in areas.AREAS.values():
        for key in filter(None, (area.home_key, area.global_key)):
            assert key not in seen, f"{area.id} and {seen[key]} both use {key!r}"
            assert key not in ("l", "x"), f"{area.id} takes a home key of the app"
            seen[key] = area.id


def test_no_screen_rebinds_a_global_area_key():
    """F2/F3/F4 … open their area from anywhere; a screen binding the same key would shadow it."""
    import importlib
    import pkgutil

    import storepos.ui as pkg

    global_keys = {a.global_key for a in areas.AREAS.values() if a.global_key}
    names = [f"storepos.ui.{a.name}.{m.name}" for a in pkgutil.iter_modules(pkg.__path__) if a.ispkg
             for m in pkgutil.iter_modules([f"{pkg.__path__[0]}/{a.name}"])]
    assert len(names) > 20
    for name in names:
        module = importlib.import_module(name)
        for obj in vars(module).values():
            for binding in getattr(obj, "BINDINGS", []) if isinstance(obj, type) else []:
                keys = set(getattr(binding, "key", "").split(","))
                assert not keys & global_keys, f"{obj.__name__} binds {keys & global_keys}"


async def test_home_notices_show_names_exactly_as_typed(demo, make_app, manager_actor, staff_actor):
    """A low-score ticket's notice names the customer: `[/b]` in a name used to end the app."""
    from crawl.hostile import MARKUP, seed

    seed(manager_actor, staff_actor)
    app = make_app(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot, "9001", "9999")
        assert isinstance(app.screen, HomeScreen)
        notices = app.screen.query_one("#notices").render()
        assert MARKUP in str(notices)


async def test_a_tall_terminal_fills_home_with_what_comes_next(demo, make_app, staff_actor):
    from support.checkout import customer, open_till, sell

    open_till(staff_actor)
    sell(staff_actor, ("SA-0016", 1), customer_id=customer("C0001").id)  # schedules follow-ups
    app = make_app(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await login(pilot)
        screen = app.screen
        assert screen.query_one("#next-box").display
        text = "\n".join(strip.text for strip in screen._compositor.render_strips())
        assert "Up next" in text and "Quotes waiting for an answer" in text and "Follow-ups due" in text
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not screen.query_one("#next-box").display  # 80x24: the figures keep their room
