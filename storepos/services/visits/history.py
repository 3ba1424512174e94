"""A customer's visits, as rows of their history page (listed in storepos.services.manifest)."""

from __future__ import annotations

from storepos.i18n import t
from storepos.models import Visit
from storepos.services import customers
from storepos.services.visits.lists import summary


def visit_history(store_id: int, customer_id: int) -> list[customers.HistoryRow]:
    """The customer's visits, newest first (the last 200), each summed up in one line."""
    rows = Visit.select().where(Visit.store == store_id, Visit.customer == customer_id).order_by(
        Visit.started_at.desc()).limit(200)
    return [customers.HistoryRow(v.started_at, "visits", t("visit.history_row", summary=summary(v)), v.id)
            for v in rows]
