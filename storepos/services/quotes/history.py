"""A customer's quotes, as rows of their history page (listed in storepos.services.manifest)."""

from __future__ import annotations

from storepos.i18n import t
from storepos.models import Quote
from storepos.money import fmt
from storepos.services import customers


def quote_history(store_id: int, customer_id: int) -> list[customers.HistoryRow]:
    """The customer's quotes, newest first (the last 200): number, revision, status, total."""
    rows = Quote.select().where(Quote.store == store_id, Quote.customer == customer_id).order_by(
        Quote.created_at.desc()).limit(200)
    return [customers.HistoryRow(q.created_at, "quotes", t(
        "quote.history_row", number=q.number, revision=q.revision, status=t(f"quote.status.{q.status}"),
        total=fmt(q.total, fen=True)), q.id) for q in rows]
