"""UI junk: the manager opens every area reachable from home (storepos.ui.kit.areas.AREAS), types
junk — CJK, emoji, control characters, SQL, Rich markup, huge and odd numbers — into every Input
of the screen, presses Enter and Ctrl+S: the app keeps running and the database stays consistent
(no sale, no payment, `storepos check` clean)."""

from __future__ import annotations

from support import login
from support.reliability_figures import record
from textual.widgets import Input

from storepos.cli import run_checks
from storepos.models import Payment, Sale
from storepos.ui.kit import areas

JUNK = ["'; DROP TABLE sale; --", "[bold]x[/]", "[/]", "咖啡机😀", "\x1b[31m\x07\x00", "\u202eRTL",
        "1e309", "-1", "NaN", "１２３４", "9" * 30, "1,000.00", "{name}%s"]


async def test_junk_in_every_input_of_every_area(demo, make_app):
    app = make_app()
    typed = 0
    screens = 0
    async with app.run_test(size=(100, 32)) as pilot:
        await login(pilot, "9001", "9999")
        for area_id in sorted(areas.AREAS):
            app.action_go_home()
            await pilot.pause()
            app.open_area(area_id)
            await pilot.pause()
            screens += 1
            for round_ in range(1):
                inputs = [w for w in app.screen.query(Input) if w.display and not w.disabled]
                for i, inp in enumerate(inputs):
                    junk = JUNK[(i + round_ * 5 + screens) % len(JUNK)]
                    inp.focus()
                    inp.value = ""
                    if i == 0:
                        for ch in "咖啡[b]x'":  # typed key by key, like a user
                            await pilot.press(ch)
                    inp.value = junk
                    typed += 1
                    await pilot.press("enter")
                    await pilot.pause()
                    assert app.is_running, (area_id, junk)
                await pilot.press("ctrl+s")
                await pilot.pause()
            for _ in range(3):
                await pilot.press("escape")
                await pilot.pause()
            assert app.is_running, area_id
    assert Sale.select().count() == 0 and Payment.select().count() == 0
    assert run_checks() == []
    record("fuzz_ui", areas=screens, inputs_typed=typed, anomalies=0)
