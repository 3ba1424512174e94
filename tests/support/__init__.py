"""Helpers shared by the tests (import as `support`; tests/ is on the path)."""

from __future__ import annotations

import os

# The second pass of the suite runs on PostgreSQL: .ci/run sets STOREPOS_TEST_PG to a server URL.
PG_URL = os.environ.get("STOREPOS_TEST_PG") or None
BACKEND = "postgresql" if PG_URL else "sqlite"


async def login(pilot, code: str = "1001", pin: str = "1111") -> None:
    """Type a staff code and PIN on the login screen like a user."""
    await pilot.pause()
    for ch in code:
        await pilot.press(ch)
    await pilot.press("enter")
    for ch in pin:
        await pilot.press(ch)
    await pilot.press("enter")
    await pilot.pause()
