"""The register area: a terminal's cash register (钱箱) session, from the counted float at opening to the
counted cash at close (expected vs counted, a manager's PIN beyond the store's limit).

Its public API is the names below; the module is sessions.
"""

from __future__ import annotations

from storepos.services.register.sessions import (
    DENOMINATIONS,
    CashSummary,
    cash_summary,
    close_session,
    count_denominations,
    current_session,
    open_session,
    opened_by_name,
    terminal_of,
)

__all__ = [
    "DENOMINATIONS", "terminal_of", "current_session", "open_session", "opened_by_name", "CashSummary", "cash_summary",
    "count_denominations", "close_session",
]
