"""Satisfaction surveys (SOP §8): a survey scores every dimension of fixtures/sop/survey.toml
1–5; any score ≤ LOW_SCORE opens a service ticket at once and tells the managers (home notice +
audit)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from storepos import clock
from storepos.db import transactional
from storepos.i18n import t
from storepos.models import Customer, Sale, Staff
from storepos.models.aftersales import ACTIVE_STATUSES, FollowUp, ServiceTicket, SurveyResponse
from storepos.services import checkout
from storepos.services.aftersales.followups import get, write_attempt
from storepos.services.aftersales.inputs import clean_text, store_sale
from storepos.services.aftersales.service_tickets import write_ticket
from storepos.services.aftersales.sop_lists import channels
from storepos.services.core import audit, sop
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError
from storepos.services.core.permissions import require

LOW_SCORE = 2  # a score at or below this on any dimension opens a service ticket


def dimensions() -> tuple[sop.Entry, ...]:
    """What a survey scores, in the SOP's order."""
    return sop.entries("survey", "dimensions")


def check_score(code: str, value: Any) -> int:
    """A score 1–5 for dimension *code*, or DomainError beside that field."""
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
    if not text:
        raise DomainError("err.survey_score_required", field=code)
    if not text.isdigit() or not 1 <= int(text) <= 5:
        raise DomainError("err.survey_score_range", field=code)
    return int(text)


@dataclass(frozen=True)
class SurveyResult:
    survey: SurveyResponse
    ticket: ServiceTicket | None  # opened because of a low score
    low: tuple[str, ...]  # the dimension codes scored ≤ LOW_SCORE


def _survey_followup(actor: Actor, sale: Sale, followup_id: int | None) -> FollowUp | None:
    """The follow-up the survey answers: *followup_id* (of this sale, or of none), else the
    sale's open survey follow-up, if any."""
    if followup_id is not None:
        fu = get(actor, followup_id)
        if fu.sale_id not in (None, sale.id):
            raise DomainError("err.survey_other_sale")
        return fu
    return (FollowUp.select().where(FollowUp.store == actor.store_id, FollowUp.sale == sale.id,
                                    FollowUp.kind == "survey", FollowUp.status.in_(ACTIVE_STATUSES)).first())


def low_score_problem(scores: dict[str, Any], comment: str) -> str:
    """The problem a low-score ticket names, in the current language: the low scores and what the
    customer said.  (Shown from the survey each time, so a ticket opened in one language reads
    right in the other.)"""
    labels = {d.code: d.label for d in dimensions()}
    low = [c for c in labels if isinstance(scores.get(c), int) and scores[c] <= LOW_SCORE]
    return t("ticket.low_score_problem", scores="; ".join(f"{labels[c]} {scores[c]}" for c in low),
             comment=comment or "—")


def _low_score_ticket(actor: Actor, sale: Sale, survey: SurveyResponse, clean: dict[str, int],
                      low: tuple[str, ...], comment: str) -> ServiceTicket:
    """The ticket the low scores *low* open, recorded for the managers' notice."""
    problem = low_score_problem(clean, comment)
    ticket = write_ticket(actor, problem=problem, customer_id=sale.customer_id, sale=sale,
                          source_survey=survey.id)
    audit.record(actor, "ticket.low_score", "ticket", ticket.id,
                 after={"survey": survey.id, "sale": sale.id, "low": {c: clean[c] for c in low}})
    return ticket


@transactional
def submit_survey(actor: Actor, sale_id: int, scores: dict[str, Any], *, comment: str = "",
                  channel: str = "phone", followup_id: int | None = None) -> SurveyResult:
    """Record a satisfaction survey for a sale.  Every dimension 1–5 (DomainError beside the first
    bad one; nothing written).  The sale's open survey follow-up (or *followup_id*) is done.  A
    score ≤ LOW_SCORE on any dimension opens a service ticket and tells the managers.  Raises
    PermissionDenied without followup.work, NotFound for an unknown sale or follow-up, and
    DomainError for a return, a bad score, channel or comment, or a follow-up of another sale."""
    require(actor, "followup.work")
    sale = store_sale(actor, sale_id)
    if sale.kind != "sale":
        raise DomainError("err.survey_not_a_sale", field="receipt")
    clean = {d.code: check_score(d.code, scores.get(d.code)) for d in dimensions()}
    if channel not in {c.code for c in channels()}:
        raise DomainError("err.not_allowed_value", field="channel")
    comment = clean_text(comment, "comment")
    fu = _survey_followup(actor, sale, followup_id)
    values = list(clean.values())
    avg = (Decimal(sum(values) * 100) / len(values)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    survey = SurveyResponse.create(
        store=actor.store_id, sale=sale.id, customer=sale.customer_id, followup=fu.id if fu else None,
        sold_by=sale.staff_id, taken_by=actor.staff_id, channel=channel, scores=clean, lowest=min(values),
        average_x100=int(avg), comment=comment, created_at=clock.now())
    audit.record(actor, "survey.submit", "survey", survey.id,
                 after={"sale": sale.id, "scores": clean, "channel": channel, "comment": comment})
    if fu is not None and fu.status in ACTIVE_STATUSES:
        write_attempt(actor, fu, "reached", t("followup.survey_taken"), None)
    low = tuple(code for code, v in clean.items() if v <= LOW_SCORE)
    ticket = _low_score_ticket(actor, sale, survey, clean, low, comment) if low else None
    return SurveyResult(survey, ticket, low)


def satisfaction(store_id: int, *, staff_id: int | None = None, start: dt.datetime | None = None,
                 end: dt.datetime | None = None) -> tuple[int, Decimal | None]:
    """(surveys, mean of the surveys' averages 1–5) — for performance reports; by seller."""
    q = SurveyResponse.select(SurveyResponse.average_x100).where(SurveyResponse.store == store_id)
    if staff_id is not None:
        q = q.where(SurveyResponse.sold_by == staff_id)
    if start is not None:
        q = q.where(SurveyResponse.created_at >= start)
    if end is not None:
        q = q.where(SurveyResponse.created_at < end)
    vals = [a for (a,) in q.tuples()]
    if not vals:
        return 0, None
    return len(vals), (Decimal(sum(vals)) / 100 / len(vals)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SaleSummary:
    """A sale as the survey names it: its receipt number, customer and seller."""

    sale_id: int
    receipt: str
    customer: str  # the customer's name, or "(walk-in customer)"
    seller: str


def sale_summary(actor: Actor, sale_id: int) -> SaleSummary:
    """Sale *sale_id* of the actor's store, named for the survey.  NotFound beside "receipt"."""
    sale = store_sale(actor, sale_id)
    customer = (Customer.get_or_none(Customer.id == sale.customer_id, Customer.store == actor.store_id)
                if sale.customer_id else None)
    seller = Staff.get_or_none(Staff.id == sale.staff_id, Staff.store == actor.store_id)
    return SaleSummary(sale.id, checkout.label(sale), customer.name if customer else t("followup.walk_in"),
                       seller.name if seller else "")


def find_survey_sale(actor: Actor, receipt_text: str) -> SaleSummary:
    """The sale a typed receipt number names, for a survey.  Raises NotFound beside "receipt"
    and DomainError for a return."""
    require(actor, "followup.work")
    sale = checkout.find_sale(actor, receipt_text)
    if sale.kind != "sale":
        raise DomainError("err.survey_not_a_sale", field="receipt")
    return sale_summary(actor, sale.id)
