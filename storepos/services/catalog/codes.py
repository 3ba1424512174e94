"""SKUs and barcodes: what a code may look like, and a cell that holds several of them.

The product form and the CSV import share these rules, so a code the one accepts the other does.
"""

from __future__ import annotations

import re
from typing import Any

from storepos.services.catalog.search import normalize_query

CODE_RE = re.compile(r"^[0-9A-Za-z._/-]{1,40}$")


def split_codes(value: Any) -> list[str]:
    """'a|b, c' or a list -> ['a', 'b', 'c'] (normalised, empty ones dropped, order kept)."""
    if value is None:
        return []
    parts = value if isinstance(value, (list, tuple)) else re.split(r"[|,;，；\s]+", str(value))
    out: list[str] = []
    for part in parts:
        code = normalize_query(str(part))
        if code and code not in out:
            out.append(code)
    return out
