"""The visits figure on home's "today at a glance" (listed in storepos.services.manifest)."""

from __future__ import annotations

from storepos.i18n import t
from storepos.services.core.context import Actor
from storepos.services.home import Figure
from storepos.services.visits.lists import counts_today


def home_figure(actor: Actor) -> Figure:
    """The actor's visits today and the store's."""
    mine, total = counts_today(actor)
    return Figure("home.glance_visits", t("visit.glance_value", mine=mine, total=total))
