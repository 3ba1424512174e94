"""Every screen at 80x24, in Chinese and in English, as SVG pictures kept in git
(tests/snapshots/__snapshots__/): truncation, overlap and a missing key in the footer show in review.

One app per role and language walks its screens (cheaper than an app per picture).  After an
intended change of a screen: `python -m pytest tests/snapshots --snapshot-update`, then look at
the changed SVGs (a browser shows them) before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from pytest_textual_snapshot import SVGImageExtension
from support import login, until
from textual.widgets import Input

from storepos.i18n import set_language

Step = Callable[[Any, Any], Awaitable[None]]


def area(area_id: str, *keys: str) -> Step:
    async def go(app: Any, pilot: Any) -> None:
        app.open_area(area_id)
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
            await pilot.pause()

    return go


# (picture name, how to reach it from home); a modal is photographed over its screen.
SCREENS: dict[str, list[tuple[str, Step | None]]] = {
    "staff": [
        ("home", None),
        ("checklist", area("checklist")),
        ("visit", area("visit")),
        ("visits", area("visits")),
        ("customers", area("customers")),
        ("customer-form", area("customers", "ctrl+n")),
        ("quote", area("quote")),
        ("quote-list", area("quote_list")),
        ("checkout", area("checkout")),
        ("register", area("register")),
        ("returns", area("returns")),
        ("aftersales", area("aftersales")),
        ("tickets", area("tickets")),
        ("catalog", area("catalog")),
    ],
    "manager": [
        ("home", None),
        ("manager-desk", area("manager")),
        ("checklist-review", area("checklist_review")),
        ("staff", area("staff")),
        ("staff-form", area("staff", "a")),
        ("product-form", area("catalog", "f7")),
        ("receiving", area("receiving")),
        ("stock-count", area("stock_count")),
    ],
    "trainer": [
        ("home", None),
        ("practice", area("practice")),
    ],
}
ROLES = {"staff": ("1001", "1111"), "manager": ("9001", "9999"), "trainer": ("8001", "8888")}


def _steady(app: Any) -> None:
    """No blinking cursor and no passing notification in a picture."""
    app.clear_notifications()
    for inp in app.screen.query(Input):
        inp.cursor_blink = False


async def _shoot(app: Any, pilot: Any, snap: Any, name: str) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    # the focus lands where the screen puts it (the footer shows the focused widget's keys): on a
    # slower database the picture was taken before (stock count on PostgreSQL, no scan box focused)
    await until(pilot, lambda: app.screen.focused is not None or not app.screen.focus_chain)
    _steady(app)
    await pilot.pause()
    # the footer draws the keys the screen has once its bindings have settled (after a worker)
    from storepos.ui.kit.chrome import KeyFooter

    for footer in app.screen.query(KeyFooter):
        await until(pilot, lambda: footer._shown == footer._keys(app.screen))
    await pilot.pause()
    assert snap(name=name) == app.export_screenshot(title=name)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
async def test_login_screen(demo, make_app, snapshot, lang):
    set_language(lang)
    snap = snapshot.use_extension(SVGImageExtension)
    app = make_app(lang=lang, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await _shoot(app, pilot, snap, f"login-{lang}")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("role", list(SCREENS))
async def test_every_screen_at_80x24(demo, make_app, snapshot, role, lang):
    snap = snapshot.use_extension(SVGImageExtension)
    app = make_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, *ROLES[role])
        for name, step in SCREENS[role]:
            app.action_go_home()
            await pilot.pause()
            while len(app.screen_stack) > 2:
                app.pop_screen()
                await pilot.pause()
            if step is not None:
                await step(app, pilot)
            await _shoot(app, pilot, snap, f"{role}-{name}-{lang}")
