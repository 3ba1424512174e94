"""A customer's sales and returns, as rows of their history page (listed in
storepos.services.manifest)."""

from __future__ import annotations

from storepos.i18n import t
from storepos.models import Sale, Terminal
from storepos.money import fmt
from storepos.services import customers
from storepos.services.checkout.receipt import receipt_label


def sale_history(store_id: int, customer_id: int) -> list[customers.HistoryRow]:
    """The customer's sales and returns, newest first (the last 200): receipt, status, total."""
    rows = list(Sale.select().where(Sale.store == store_id, Sale.customer == customer_id).order_by(
        Sale.created_at.desc()).limit(200))
    codes = dict(Terminal.select(Terminal.id, Terminal.code).where(
        Terminal.id.in_({s.terminal_id for s in rows} or {0})).tuples())
    return [customers.HistoryRow(s.created_at, "sales", t(
        "checkout.history_return" if s.kind == "return" else "checkout.history_sale", no=receipt_label(codes[s.terminal_id], s.receipt_no),
        status=t(f"returns.status_{s.status}"), total=fmt(s.total, fen=True)), s.id) for s in rows]
