"""A customer's history: the rows every area keeps about them, newest first.

The areas that keep records about a customer are listed in
storepos.services.manifest.CUSTOMER_HISTORY; each gives HistoryRow values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from storepos.services import manifest


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime  # naive UTC
    kind: str  # "visits", "quotes", "sales", "followups", …
    summary: str  # already translated
    ref: Any = None  # the id of the record it shows


# Rows at the same moment sort as if they happened in this order (a visit, its quote, its sale, a
# follow-up), newest first like the rest.
HISTORY_ORDER = ("visits", "quotes", "sales", "followups")


def history(store_id: int, customer_id: int) -> list[HistoryRow]:
    """Everything the areas keep about a customer (storepos.services.manifest), newest first."""
    rows: list[HistoryRow] = []
    for _kind, ref in manifest.CUSTOMER_HISTORY:
        rows.extend(manifest.load(ref)(store_id, customer_id))
    return sorted(rows, key=lambda r: (r.at, HISTORY_ORDER.index(r.kind) if r.kind in HISTORY_ORDER else 99),
                  reverse=True)
