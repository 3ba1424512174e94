"""The register screen by keys at 80x24: open with a float, close by counting; F12 switches the
language of its labels and keeps what was typed."""

from __future__ import annotations

from io import StringIO

from rich.console import Console
from support import login

from storepos.models import RegisterSession
from storepos.ui.register.register import RegisterScreen


def _printed(widget) -> str:
    console = Console(file=StringIO(), width=120)
    console.print(widget.content)
    return console.file.getvalue()


async def test_open_then_close_by_keys_and_switch_language(demo, make_app):
    app = make_app(lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1001", "1111")
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, RegisterScreen)
        await pilot.press(*"500", "enter")
        await pilot.pause()
        assert "Opening float" in _printed(app.screen.query_one("#register-state"))
        await pilot.press("5")  # five ¥100 notes
        await pilot.press("f12")
        await pilot.pause()
        assert "备用金" in _printed(app.screen.query_one("#register-state"))
        assert app.screen.query_one("#d_100").value == "5"
        assert app.screen.focused is app.screen.query_one("#d_100")
        await pilot.press("ctrl+s")
        await pilot.pause()
    session = RegisterSession.get()
    assert session.open_terminal is None and session.counted == 50000 and session.difference == 0
