"""What the quotes area shows on the home screen: given quotes waiting for the customer (the
figure) and the actor's own that are about to expire (the notices)."""

from __future__ import annotations

from storepos.i18n import t
from storepos.services import home as home_service
from storepos.services.core.context import Actor
from storepos.services.quotes.lifecycle import expire_if_new_day, given_counts, open_quotes

NEAR_EXPIRY_DAYS = 2


def home_figure(actor: Actor) -> home_service.Figure:
    """How many quotes are given and not yet accepted; alert when one is near expiry.  Expires
    the store's overdue quotes first when the business day has changed."""
    expire_if_new_day(actor.store_id)
    n, near = given_counts(actor.store_id, NEAR_EXPIRY_DAYS)
    return home_service.Figure("quote.glance", str(n), alert=near > 0)


def home_notices(actor: Actor) -> list[str]:
    """One line for each of the actor's given quotes within NEAR_EXPIRY_DAYS of its last day."""
    mine = open_quotes(actor.store_id, staff_id=actor.staff_id, statuses=("given",))
    return [t("quote.notice_expires_today" if q.days_left <= 0 else "quote.notice_near_expiry",
              number=q.number, customer=q.customer, days=q.days_left)
            for q in mine if q.days_left <= NEAR_EXPIRY_DAYS]
