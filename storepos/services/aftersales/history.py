"""A customer's after-sales history, for the customer's page (the manifest's CUSTOMER_HISTORY):
follow-ups, surveys and service tickets."""

from __future__ import annotations

from decimal import Decimal

from storepos.i18n import t
from storepos.models.aftersales import FollowUp, ServiceTicket, SurveyResponse
from storepos.services import customers
from storepos.services.aftersales.service_tickets import problem_of, ticket_label
from storepos.services.aftersales.sop_lists import kind_label


def followup_history(store_id: int, customer_id: int) -> list[customers.HistoryRow]:
    """The customer's follow-ups, latest due first (at most 200)."""
    rows = FollowUp.select().where(FollowUp.store == store_id, FollowUp.customer == customer_id).order_by(
        FollowUp.due_date.desc()).limit(200)
    out = []
    for fu in rows:
        text = t("followup.history_row", kind=kind_label(fu.kind), due=fu.due_date.isoformat(),
                 status=t(f"followup.status_{fu.status}"), attempts=fu.attempts)
        out.append(customers.HistoryRow(fu.done_at or fu.created_at, "followups", text, fu.id))
    return out


def survey_history(store_id: int, customer_id: int) -> list[customers.HistoryRow]:
    """The customer's surveys, newest first (at most 100)."""
    rows = SurveyResponse.select().where(SurveyResponse.store == store_id, SurveyResponse.customer == customer_id
                                         ).order_by(SurveyResponse.created_at.desc()).limit(100)
    return [customers.HistoryRow(s.created_at, "surveys", t(
        "survey.history_row", average=f"{Decimal(s.average_x100) / 100:.1f}", lowest=s.lowest,
        comment=s.comment or "—"), s.id) for s in rows]


def ticket_history(store_id: int, customer_id: int) -> list[customers.HistoryRow]:
    """The customer's service tickets, newest first (at most 100)."""
    rows = list(ServiceTicket.select().where(ServiceTicket.store == store_id, ServiceTicket.customer == customer_id
                                             ).order_by(ServiceTicket.created_at.desc()).limit(100))
    problems = problem_of(store_id, rows)
    return [customers.HistoryRow(tk.created_at, "tickets", t(
        "ticket.history_row", ticket=ticket_label(tk), status=t(f"ticket.status_{tk.status}"),
        problem=problems[tk.id][:60]), tk.id) for tk in rows]
