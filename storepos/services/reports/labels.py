"""How the desk names and writes what it shows: staff by id, receipt labels, amounts, the dash."""

from __future__ import annotations

from storepos.models import Sale, Staff, Terminal
from storepos.money import from_fen

# Shown where there is nothing behind a figure (never 0, which would read as a result).
DASH = "—"


def amount_text(fen: int | None) -> str:
    """Fen as plain yuan with two decimals ("1234.50"), as the CSV writes it; "" for None."""
    return "" if fen is None else f"{from_fen(int(fen)):.2f}"


def staff_by_id(ids: set[int]) -> dict[int, Staff]:
    """staff id -> Staff for the given ids (empty or None ids skipped), one query."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {s.id: s for s in Staff.select().where(Staff.id.in_(sorted(ids)))}


def receipt_labels(sale_ids: set[int]) -> dict[int, str]:
    """sale id -> receipt label (T1-000012), one query."""
    ids = sorted(i for i in sale_ids if i)
    if not ids:
        return {}
    rows = (Sale.select(Sale.id, Terminal.code, Sale.receipt_no)
            .join(Terminal, on=(Sale.terminal == Terminal.id)).where(Sale.id.in_(ids)).tuples())
    return {sid: f"{code}-{no:06d}" for sid, code, no in rows}
