"""Finding a quote and reading it: its lines, their names, the customer, the days left."""

from __future__ import annotations

import datetime as dt
from typing import Any

from storepos.i18n import pick, t
from storepos.models import Customer, Quote, QuoteLine
from storepos.services.core.context import Actor
from storepos.services.core.errors import NotFound
from storepos.services.core.store import business_date, get_store


def get(actor_or_store: Actor | int, quote_id: int) -> Quote:
    """The quote *quote_id* of the actor's store.  Raises NotFound."""
    store_id = actor_or_store.store_id if isinstance(actor_or_store, Actor) else actor_or_store
    quote = Quote.get_or_none(Quote.id == quote_id, Quote.store == store_id)
    if quote is None:
        raise NotFound("err.quote_not_found")
    return quote


def lines_of(quote_id: int) -> list[QuoteLine]:
    """The quote's lines in the order they were added.  Raises nothing (no lines: [])."""
    return list(QuoteLine.select().where(QuoteLine.quote == quote_id).order_by(QuoteLine.position))


def line_name(line: QuoteLine | dict[str, Any]) -> str:
    """A line's product name in the current language; *line* may be a revision's snapshot dict."""
    if isinstance(line, dict):
        return pick(line.get("name_zh"), line.get("name_en"))
    return pick(line.name_zh, line.name_en)


def customer_label(quote: Quote) -> str:
    """Who the quote is for: "name phone", or walk-in when it has no customer."""
    if quote.customer_id is None:
        return t("quote.walk_in")
    c = Customer.get_by_id(quote.customer_id)
    return f"{c.name} {c.phone}".strip()


def today_of(store_id: int) -> dt.date:
    """The store's business date (what a quote's validity is counted against)."""
    return business_date(get_store(store_id))


def days_left(quote: Quote, today: dt.date) -> int:
    """Days from *today* to the quote's last valid day (0: its last day; negative: passed)."""
    return (quote.valid_until - today).days


def audit_view(quote: Quote) -> dict[str, Any]:
    """The quote's headline as the audit log keeps it before and after a change."""
    return {"status": quote.status, "revision": quote.revision, "total": quote.total,
            "discount": quote.discount, "valid_until": str(quote.valid_until)}
