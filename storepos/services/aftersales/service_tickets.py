"""Service tickets: a customer's problem with what they bought, from the counter or a low survey
score.  Tickets go open → in_progress → resolved → closed (or closed without a fix), each move and
note a TicketAction with who and when.  Managers see every ticket; staff the ones they opened or
are assigned."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from storepos import clock
from storepos.db import transactional
from storepos.i18n import t
from storepos.models import Customer, Sale, Staff
from storepos.models.aftersales import ServiceTicket, SurveyResponse, TicketAction
from storepos.services import checkout, customers
from storepos.services.aftersales.inputs import clean_text, store_sale
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound
from storepos.services.core.permissions import can, require

TICKET_MOVES: dict[str, tuple[str, ...]] = {
    "open": ("in_progress", "closed"),
    "in_progress": ("resolved", "closed"),
    "resolved": ("closed", "in_progress"),
    "closed": (),
}


def write_ticket(actor: Actor, *, problem: str, customer_id: int | None, sale: Sale | None,
                 source_survey: int | None = None) -> ServiceTicket:
    """Open a ticket (assigned to the sale's salesperson, else to *actor*) with its first action.
    No permission or input checks: the caller made them (open_ticket, a low survey score)."""
    now = clock.now()
    ticket = ServiceTicket.create(store=actor.store_id, customer=customer_id, sale=sale.id if sale else None,
                                  problem=problem, status="open", opened_by=actor.staff_id,
                                  assigned_to=sale.staff_id if sale else actor.staff_id,
                                  source_survey=source_survey, created_at=now, updated_at=now)
    TicketAction.create(ticket=ticket.id, at=now, staff=actor.staff_id, text=problem, status="open")
    audit.record(actor, "ticket.open", "ticket", ticket.id,
                 after={"customer": customer_id, "sale": ticket.sale_id, "problem": problem,
                        "survey": source_survey})
    return ticket


@transactional
def open_ticket(actor: Actor, *, problem: str, customer_id: int | None = None, sale_id: int | None = None,
                receipt_text: str = "", customer_text: str = "") -> ServiceTicket:
    """A service ticket for a customer (and the sale, when known: by id or receipt number).  The
    customer by id, or typed as a number / phone (*customer_text*: one match needed).  Raises
    PermissionDenied without ticket.work, NotFound for an unknown sale or customer, and
    DomainError for an empty or too long problem, a customer not found once, or neither a
    customer nor a sale."""
    require(actor, "ticket.work")
    sale = None
    if sale_id is not None:
        sale = store_sale(actor, sale_id)
    elif receipt_text.strip():
        sale = checkout.find_sale(actor, receipt_text)
    if customer_id is None and customer_text.strip():
        customer_id = resolve_customer(actor.store_id, customer_text).id
    problem = clean_text(problem, "problem", required=True)
    if customer_id is not None:
        customers.get(actor.store_id, customer_id)
    elif sale is not None:
        customer_id = sale.customer_id
    if customer_id is None and sale is None:
        raise DomainError("err.ticket_needs_customer", field="customer")
    return write_ticket(actor, problem=problem, customer_id=customer_id, sale=sale)


def resolve_customer(store_id: int, text: str) -> Customer:
    """The one customer *text* (number, phone or name) finds; DomainError beside "customer"."""
    found = customers.find(store_id, text.strip(), limit=5)
    exact = [c for c in found if text.strip().upper() in (c.number.upper(), c.phone)]
    if len(exact) == 1:
        return exact[0]
    if len(found) == 1:
        return found[0]
    raise DomainError("err.customer_not_unique" if found else "err.customer_not_found", field="customer")


def can_see(actor: Actor, ticket: ServiceTicket) -> bool:
    """Whether *actor* may see *ticket*: a manager (ticket.all), its opener or its assignee."""
    return can(actor, "ticket.all") or actor.staff_id in (ticket.opened_by_id, ticket.assigned_to_id)


def get_ticket(actor: Actor, ticket_id: int) -> ServiceTicket:
    """Ticket *ticket_id*, if *actor* may see it.  Raises PermissionDenied without ticket.work,
    NotFound otherwise."""
    require(actor, "ticket.work")
    ticket = ServiceTicket.get_or_none(ServiceTicket.id == ticket_id, ServiceTicket.store == actor.store_id)
    if ticket is None or not can_see(actor, ticket):
        raise NotFound("err.ticket_not_found")
    return ticket


def tickets(actor: Actor, *, include_done: bool = False, limit: int = 200) -> list[ServiceTicket]:
    """Open and in-progress tickets oldest first (then, with include_done, the others newest
    first).  Managers see all; staff the ones they opened or are assigned.  Raises
    PermissionDenied without ticket.work."""
    require(actor, "ticket.work")
    q = ServiceTicket.select().where(ServiceTicket.store == actor.store_id)
    if not can(actor, "ticket.all"):
        q = q.where((ServiceTicket.opened_by == actor.staff_id) | (ServiceTicket.assigned_to == actor.staff_id))
    active = list(q.where(ServiceTicket.status.in_(("open", "in_progress")))
                  .order_by(ServiceTicket.created_at, ServiceTicket.id).limit(limit))
    if include_done:
        active += list(q.where(ServiceTicket.status.in_(("resolved", "closed")))
                       .order_by(ServiceTicket.updated_at.desc(), ServiceTicket.id.desc()).limit(limit))
    return active


def actions_of(ticket_id: int) -> list[TicketAction]:
    """The ticket's actions (moves and notes) with their staff, oldest first."""
    return list(TicketAction.select(TicketAction, Staff).join(Staff).where(TicketAction.ticket == ticket_id)
                .order_by(TicketAction.at, TicketAction.id))


@transactional
def add_action(actor: Actor, ticket_id: int, text: str) -> TicketAction:
    """Something done about the ticket (a call, a repair sent out…), with who and when.  Raises
    PermissionDenied, NotFound, and DomainError for a closed ticket or an empty or too long text."""
    ticket = get_ticket(actor, ticket_id)
    if ticket.status == "closed":
        raise DomainError("err.ticket_closed")
    text = clean_text(text, "action", required=True)
    now = clock.now()
    row = TicketAction.create(ticket=ticket.id, at=now, staff=actor.staff_id, text=text)
    ServiceTicket.update(updated_at=now).where(ServiceTicket.id == ticket.id).execute()
    audit.record(actor, "ticket.action", "ticket", ticket.id, after={"text": text})
    return row


@transactional
def move_ticket(actor: Actor, ticket_id: int, to: str, *, text: str = "") -> ServiceTicket:
    """open → in_progress → resolved → closed; open or in progress → closed (not fixed); a
    resolved ticket may go back in progress.  Resolving needs the resolution (*text*); closing
    needs it too unless the ticket was resolved.  Raises PermissionDenied, NotFound, and
    DomainError for a move not allowed from the ticket's status or a missing resolution."""
    ticket = get_ticket(actor, ticket_id)
    if to not in TICKET_MOVES.get(ticket.status, ()):
        raise DomainError("err.ticket_bad_move", status=t(f"ticket.status_{ticket.status}"),
                          to=t(f"ticket.status_{to}") if to in TICKET_MOVES else to)
    text = clean_text(text, "resolution")
    needs_text = to == "resolved" or (to == "closed" and ticket.status != "resolved")
    if needs_text and not text:
        raise DomainError("err.ticket_resolution_required", field="resolution")
    now = clock.now()
    changes: dict[str, Any] = {"status": to, "updated_at": now}
    if to == "resolved":
        changes |= {"resolution": text, "resolved_at": now}
    elif to == "closed":
        changes |= {"closed_at": now} | ({"resolution": text} if text and needs_text else {})
    elif to == "in_progress":
        changes["resolved_at"] = None
    ServiceTicket.update(**changes).where(ServiceTicket.id == ticket.id).execute()
    TicketAction.create(ticket=ticket.id, at=now, staff=actor.staff_id, status=to,
                        text=text or t(f"ticket.status_{to}"))
    audit.record(actor, "ticket.move", "ticket", ticket.id, before={"status": ticket.status},
                 after={"status": to, "text": text})
    return ServiceTicket.get_by_id(ticket.id)


def ticket_label(ticket: ServiceTicket) -> str:
    """How a ticket is named on screen: "#12"."""
    return f"#{ticket.id}"


def low_score_tickets(store_id: int) -> list[ServiceTicket]:
    """Tickets a low survey score opened that nobody has taken up yet (still open)."""
    return list(ServiceTicket.select().where(ServiceTicket.store == store_id, ServiceTicket.status == "open",
                                             ServiceTicket.source_survey.is_null(False))
                .order_by(ServiceTicket.created_at))


# -- what the ticket screens show ----------------------------------------------------------------

@dataclass(frozen=True)
class TicketRow:
    """One ticket as the list and the ticket's page show it: names read from the ticket's store."""

    id: int
    label: str  # "#12"
    status: str
    created_at: dt.datetime  # UTC
    customer: str  # the customer's name, or "(walk-in customer)"
    owner: str  # the assignee's name
    problem: str
    resolution: str
    sale_id: int | None
    receipt: str  # the sale's receipt number, or ""


@dataclass(frozen=True)
class ActionRow:
    at: dt.datetime  # UTC
    who: str
    status: str  # "" for a note
    text: str


def _names(model: Any, store_id: int, ids: set[int]) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {i: n for i, n in model.select(model.id, model.name)
            .where(model.store == store_id, model.id.in_(ids)).tuples()}


def problem_of(store_id: int, found: list[ServiceTicket]) -> dict[int, str]:
    """The problem of each ticket of *found* as it reads now: a low-score ticket's from its survey,
    in the current language; the others as typed."""
    from storepos.services.aftersales.surveys import low_score_problem

    ids = {r.source_survey_id for r in found if r.source_survey_id}
    surveys = {s.id: s for s in SurveyResponse.select().where(SurveyResponse.store == store_id,
                                                               SurveyResponse.id.in_(ids))} if ids else {}
    return {r.id: low_score_problem(surveys[r.source_survey_id].scores, surveys[r.source_survey_id].comment)
            if r.source_survey_id in surveys else r.problem for r in found}


def _rows(store_id: int, found: list[ServiceTicket]) -> list[TicketRow]:
    problems = problem_of(store_id, found)
    customers_ = _names(Customer, store_id, {r.customer_id for r in found})
    staff_ = _names(Staff, store_id, {r.assigned_to_id for r in found})
    sale_ids = {r.sale_id for r in found if r.sale_id}
    sales = {s.id: s for s in Sale.select().where(Sale.store == store_id, Sale.id.in_(sale_ids))} if sale_ids else {}
    return [TicketRow(r.id, ticket_label(r), r.status, r.created_at,
                      customers_.get(r.customer_id, "") if r.customer_id else t("followup.walk_in"),
                      staff_.get(r.assigned_to_id, ""), problems[r.id], r.resolution or "", r.sale_id,
                      checkout.label(sales[r.sale_id]) if r.sale_id in sales else "")
            for r in found]


def ticket_rows(actor: Actor, *, include_done: bool = False, limit: int = 200) -> list[TicketRow]:
    """:func:`tickets` as rows to show, with the customer's, the assignee's and the sale's names
    (all of the actor's store).  Raises PermissionDenied without ticket.work."""
    return _rows(actor.store_id, tickets(actor, include_done=include_done, limit=limit))


def ticket_view(actor: Actor, ticket_id: int) -> tuple[TicketRow, list[ActionRow]]:
    """Ticket *ticket_id* as its page shows it, with its actions oldest first.  Raises
    PermissionDenied without ticket.work, NotFound for a ticket the actor may not see."""
    ticket = get_ticket(actor, ticket_id)
    row = _rows(actor.store_id, [ticket])[0]
    # the first action of a low-score ticket is its problem: read it in the current language too
    actions = [ActionRow(a.at, a.staff.name, a.status or "",
                         row.problem if a.status == "open" and a.text == ticket.problem else a.text)
               for a in actions_of(ticket.id)]
    return row, actions


def ticket_sale(actor: Actor, ticket_id: int) -> Sale:
    """The sale of ticket *ticket_id* (for a return or an exchange).  Raises PermissionDenied,
    NotFound (the ticket), and DomainError when the ticket has no sale."""
    ticket = get_ticket(actor, ticket_id)
    if not ticket.sale_id:
        raise DomainError("ticket.no_sale")
    return store_sale(actor, ticket.sale_id)
