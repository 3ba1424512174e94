"""What after-sales shows on the home screen (the manifest's HOME_FIGURES and HOME_NOTICES): the
follow-ups due and overdue, and the low-score tickets nobody has taken up."""

from __future__ import annotations

from storepos.i18n import t
from storepos.models import Customer, Staff
from storepos.services.aftersales.days import store_today
from storepos.services.aftersales.followups import counts
from storepos.services.aftersales.scheduling import sweep
from storepos.services.aftersales.service_tickets import low_score_tickets, ticket_label
from storepos.services.core.context import Actor
from storepos.services.core.permissions import can
from storepos.services.home import Figure


def home_figure(actor: Actor) -> Figure:
    """The actor's follow-ups due today and overdue (alert when any is overdue), after the sweep;
    "0" for staff who do not work follow-ups."""
    if not can(actor, "followup.work"):
        return Figure("home.glance_followups", "0")
    today = store_today(actor.store_id)
    sweep(actor.store_id, today)
    due, overdue = counts(actor, today)
    return Figure("home.glance_followups", t("followup.glance_value", due=due, overdue=overdue),
                  alert=overdue > 0)


def home_notices(actor: Actor) -> list[str]:
    """For managers, one notice per low-score ticket still open; for anyone, their overdue
    follow-ups."""
    out = []
    if can(actor, "ticket.all"):
        for tk in low_score_tickets(actor.store_id):
            who = Customer.get_by_id(tk.customer_id).name if tk.customer_id else t("followup.walk_in")
            seller = Staff.get_by_id(tk.assigned_to_id).name
            out.append(t("ticket.notice_low_score", ticket=ticket_label(tk), customer=who, seller=seller))
    _due, overdue = counts(actor)
    if overdue:
        out.append(t("followup.notice_overdue", n=overdue))
    return out
