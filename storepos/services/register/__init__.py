"""The register area: its public API."""

from __future__ import annotations

from storepos.services.register.sessions import (  # noqa: F401
    DENOMINATIONS,
    terminal_of,
    current_session,
    open_session,
    CashSummary,
    cash_summary,
    count_denominations,
    close_session,
)

__all__ = ['DENOMINATIONS', 'terminal_of', 'current_session', 'open_session', 'CashSummary', 'cash_summary', 'count_denominations', 'close_session']
