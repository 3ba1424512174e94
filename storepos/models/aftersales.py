"""After-sales (SOP §7–8): follow-up tasks and their contact attempts, satisfaction surveys,
service tickets and the actions taken on them.  No logic beyond field rules.

Kinds of follow-up come from fixtures/sop/followups.toml, channels and survey dimensions from
fixtures/sop/survey.toml; the schedule is a store setting (services.store.StoreSettings).
"""

from __future__ import annotations

import peewee

from storepos.models.base import BaseModel, JSONField
from storepos.models.customer import Customer
from storepos.models.sale import Sale
from storepos.models.staff import Staff
from storepos.models.store import Store

FOLLOWUP_STATUSES = ("open", "done", "rescheduled", "cancelled")
ACTIVE_STATUSES = ("open", "rescheduled")  # still to do
ATTEMPT_OUTCOMES = ("reached", "no_answer", "wrong_number")
TICKET_STATUSES = ("open", "in_progress", "resolved", "closed")


class FollowUp(BaseModel):
    """One contact to make with a customer: due on a store-local day, owned by a salesperson.

    ``source`` ("sale:12", "visit:5", "quote:3", "" for a hand-made one) together with ``kind``
    is UNIQUE per store, so a sale, visit or quote never schedules the same follow-up twice."""

    store = peewee.ForeignKeyField(Store, backref="+", on_delete="RESTRICT")
    customer = peewee.ForeignKeyField(Customer, null=True, backref="+", on_delete="RESTRICT")
    sale = peewee.ForeignKeyField(Sale, null=True, backref="+", on_delete="RESTRICT")
    visit_id = peewee.IntegerField(null=True)
    quote_id = peewee.IntegerField(null=True)
    source = peewee.CharField(max_length=40, null=True)
    kind = peewee.CharField(max_length=20)
    channel = peewee.CharField(max_length=20, default="phone")
    due_date = peewee.DateField()
    first_due = peewee.DateField()  # the due date first scheduled (rescheduling moves due_date)
    owner = peewee.ForeignKeyField(Staff, backref="+", on_delete="RESTRICT")
    status = peewee.CharField(max_length=12, default="open")
    note = peewee.TextField(default="")
    attempts = peewee.IntegerField(default=0)
    done_at = peewee.DateTimeField(null=True)
    on_time = peewee.BooleanField(null=True)  # first attempt on or before first_due (set when done)
    interest = peewee.BooleanField(default=False)  # an upgrade / repeat-purchase interest recorded
    led_to_visit = peewee.IntegerField(null=True)  # the visit that interest started
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()

    class Meta:
        indexes = (
            (("store", "kind", "source"), True),
            (("store", "owner", "status", "due_date"), False),
            (("store", "status", "due_date"), False),
            (("customer", "due_date"), False),
        )


class FollowUpAttempt(BaseModel):
    followup = peewee.ForeignKeyField(FollowUp, backref="attempt_rows", on_delete="CASCADE")
    at = peewee.DateTimeField()
    staff = peewee.ForeignKeyField(Staff, backref="+", on_delete="RESTRICT")
    outcome = peewee.CharField(max_length=16)  # reached | no_answer | wrong_number
    note = peewee.TextField(default="")
    next_date = peewee.DateField(null=True)  # when no answer: the new due date


class SurveyResponse(BaseModel):
    """A satisfaction survey for one sale: a 1–5 score per dimension (codes of survey.toml)."""

    store = peewee.ForeignKeyField(Store, backref="+", on_delete="RESTRICT")
    sale = peewee.ForeignKeyField(Sale, backref="+", on_delete="RESTRICT")
    customer = peewee.ForeignKeyField(Customer, null=True, backref="+", on_delete="RESTRICT")
    followup = peewee.ForeignKeyField(FollowUp, null=True, backref="+", on_delete="SET NULL")
    sold_by = peewee.ForeignKeyField(Staff, backref="+", on_delete="RESTRICT")
    taken_by = peewee.ForeignKeyField(Staff, backref="+", on_delete="RESTRICT")
    channel = peewee.CharField(max_length=20, default="phone")
    scores = JSONField(default=dict)  # dimension code -> 1..5
    lowest = peewee.IntegerField()
    average_x100 = peewee.IntegerField()  # mean score × 100, rounded half-up
    comment = peewee.TextField(default="")  # expectations and suggestions
    created_at = peewee.DateTimeField(index=True)

    class Meta:
        indexes = ((("store", "created_at"), False), (("sold_by", "created_at"), False))


class ServiceTicket(BaseModel):
    store = peewee.ForeignKeyField(Store, backref="+", on_delete="RESTRICT")
    customer = peewee.ForeignKeyField(Customer, null=True, backref="+", on_delete="RESTRICT")
    sale = peewee.ForeignKeyField(Sale, null=True, backref="+", on_delete="RESTRICT")
    problem = peewee.TextField()
    status = peewee.CharField(max_length=12, default="open")
    resolution = peewee.TextField(default="")
    opened_by = peewee.ForeignKeyField(Staff, backref="+", on_delete="RESTRICT")
    assigned_to = peewee.ForeignKeyField(Staff, backref="+", on_delete="RESTRICT")
    source_survey = peewee.ForeignKeyField(SurveyResponse, null=True, backref="+", on_delete="SET NULL")
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()
    resolved_at = peewee.DateTimeField(null=True)
    closed_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("store", "status", "created_at"), False), (("customer", "created_at"), False))


class TicketAction(BaseModel):
    ticket = peewee.ForeignKeyField(ServiceTicket, backref="actions", on_delete="CASCADE")
    at = peewee.DateTimeField()
    staff = peewee.ForeignKeyField(Staff, backref="+", on_delete="RESTRICT")
    text = peewee.TextField()
    status = peewee.CharField(max_length=12, default="")  # the status it moved to, "" for a note
