"""Helpers shared by the tests (import as `support`; tests/ is on the path)."""

from __future__ import annotations

import os

# The second pass of the suite runs on PostgreSQL: .ci/run sets STOREPOS_TEST_PG to a server URL.
# Each test process (pytest-xdist worker) has its own databases on that server: PG_URL is this
# process's test database (made afresh for every test by tests/conftest.py), PG_TEMPLATE_URL the
# demo store loaded once, PG_SERVER_URL the server's own database for CREATE/DROP DATABASE.
PG_SERVER_URL = os.environ.get("STOREPOS_TEST_PG") or None
BACKEND = "postgresql" if PG_SERVER_URL else "sqlite"
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


def _pg_database(name: str) -> str | None:
    if not PG_SERVER_URL:
        return None
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(PG_SERVER_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


PG_TEST_DB = f"storepos_test_{WORKER}"
PG_TEMPLATE_DB = f"storepos_demo_{WORKER}"
PG_URL = _pg_database(PG_TEST_DB)
PG_TEMPLATE_URL = _pg_database(PG_TEMPLATE_DB)


async def login(pilot, code: str = "1001", pin: str = "1111") -> None:
    """Type a staff code and PIN on the login screen like a user (each as a quick burst)."""
    await pilot.pause()
    await type_text(pilot, code)
    await pilot.press("enter")
    await type_text(pilot, pin)
    await pilot.press("enter")
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    """Type *text* as a terminal sends it from a quick typist or a scanner: each key with its
    character, one after the other without waiting, then wait for the app to take them all in.
    (The pilot's press() sends some characters by name only, with no character, which no terminal
    does, and waits after each key.)"""
    from textual import events
    from textual.keys import _character_to_key

    app = pilot.app
    named = {"\r": "enter", "\t": "tab"}  # in a burst: Enter and Tab as a terminal sends them
    for ch in text:
        key = named.get(ch) or (_character_to_key(ch) if len(ch) == 1 and not ch.isalnum() else ch)
        event = events.Key(key, ch)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()


async def until(pilot, condition, timeout: float = 5.0) -> bool:
    """Pause until *condition()* holds (a screen pushed by a callback, a worker's result), at
    most *timeout* seconds; returns whether it holds."""
    import time

    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            return False
        await pilot.pause(0.02)
    return True
