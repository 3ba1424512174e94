"""The customers area: its public API."""

from __future__ import annotations

from storepos.services.customers.service import (  # noqa: F401
    CREDIT_FIELDS,
    normalize_text,
    normalize_phone,
    CustomerInput,
    CreditInput,
    DuplicateWarning,
    get,
    find,
    similar_names,
    duplicates,
    view,
    create,
    update,
    credit_text,
    HistoryRow,
    HISTORY_ORDER,
    history,
)

__all__ = ['CREDIT_FIELDS', 'normalize_text', 'normalize_phone', 'CustomerInput', 'CreditInput', 'DuplicateWarning', 'get', 'find', 'similar_names', 'duplicates', 'view', 'create', 'update', 'credit_text', 'HistoryRow', 'HISTORY_ORDER', 'history']
