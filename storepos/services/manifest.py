"""What each area contributes to the others, in one list a reader can open.

Every entry names a function as "module:name"; it is imported on first use (start-up stays light,
and no list fills up by whichever modules happen to be imported).  A new figure, notice, hook or
check is one line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from typing import Any

# The home screen's "today at a glance", in this order: name -> fn(actor) -> home.Figure
HOME_FIGURES: tuple[tuple[str, str], ...] = (
    ("checklist", "storepos.services.checklist:home_figure"),
    ("visits", "storepos.services.visits:home_figure"),
    ("quotes", "storepos.services.quotes:home_figure"),
    ("sales", "storepos.services.checkout:sales_figure"),
    ("followups", "storepos.services.aftersales:home_figure"),
    ("low_stock", "storepos.services.catalog:low_stock_figure"),
    ("expiring", "storepos.services.catalog:expiring_figure"),
)

# Notices above home's rail: fn(actor) -> [text]
HOME_NOTICES: tuple[str, ...] = (
    "storepos.services.checklist:returned_notices",
    "storepos.services.quotes:home_notices",
    "storepos.services.aftersales:home_notices",
    "storepos.services.catalog:expired_notices",
    "storepos.services.practice:home_notices",
    "storepos.services.core.printout:home_notices",  # failed prints of this terminal (d retries)
)

# A customer's page, its history: kind -> fn(store_id, customer_id) -> [customers.HistoryRow]
CUSTOMER_HISTORY: tuple[tuple[str, str], ...] = (
    ("visits", "storepos.services.visits:visit_history"),
    ("quotes", "storepos.services.quotes:quote_history"),
    ("sales", "storepos.services.checkout:sale_history"),
    ("followups", "storepos.services.aftersales:followup_history"),
    ("surveys", "storepos.services.aftersales:survey_history"),
    ("tickets", "storepos.services.aftersales:ticket_history"),
)

# Inside a completed sale's transaction, before its audit record: fn(actor, sale).  An exception
# rolls the sale back.
AFTER_SALE: tuple[str, ...] = (
    "storepos.services.aftersales:schedule_for_sale",
)

# Once the app has loaded its store (before login): fn(store).  Keep them cheap (an indexed check).
AT_START: tuple[str, ...] = (
    "storepos.services.visits:close_earlier_days",
    "storepos.services.quotes:expire_if_new_day",
)

# `storepos check`: fn() -> [problem text], beyond the schema and the audit chain
CHECKS: tuple[str, ...] = (
    "storepos.services.checkout:sales_add_up",
    "storepos.services.checkout:sales_match_stock",
    "storepos.services.checkout:receipts_gapless",
    "storepos.services.checkout:returns_within_sold",
    "storepos.services.checkout:register_sessions_add_up",
    "storepos.services.catalog:ledger_problems",
    "storepos.services.practice:validate_scenarios",
)

# `storepos init`, after the schema (and the demo) are in place: fn()
AFTER_INIT: tuple[str, ...] = (
    "storepos.services.checklist:seed_all_stores",
)


@cache
def load(ref: str) -> Callable[..., Any]:
    """The function a "module:name" entry names."""
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def each(refs: tuple[str, ...]) -> list[Callable[..., Any]]:
    return [load(r) for r in refs]
