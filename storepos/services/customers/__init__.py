"""The customers area: find (phone, name fragment, number), create with phone validation and a
duplicate warning, edit (credit terms by managers only), and a customer's history.

Modules: phones (the phone rules, typed text), search, duplicate_warning, records (the form, create,
update, credit terms), history_rows (the history every area adds to).
"""

from __future__ import annotations

from storepos.services.customers.duplicate_warning import DuplicateWarning, duplicates, similar_names
from storepos.services.customers.history_rows import HISTORY_ORDER, HistoryRow, history
from storepos.services.customers.phones import normalize_phone, normalize_text
from storepos.services.customers.records import (
    CREDIT_FIELDS,
    SEGMENTS,
    CreditInput,
    CustomerInput,
    create,
    credit_text,
    get,
    update,
    view,
)
from storepos.services.customers.search import find

__all__ = [
    # the form and the record
    "SEGMENTS", "CREDIT_FIELDS", "CustomerInput", "CreditInput", "get", "view", "create", "update",
    "credit_text",
    # typed details
    "normalize_text", "normalize_phone",
    # finding one, and the duplicate warning
    "find", "similar_names", "duplicates", "DuplicateWarning",
    # the history
    "HistoryRow", "HISTORY_ORDER", "history",
]
