"""Practice (trainers): scenarios added in the app, sessions, their steps and rubric scores.

These tables live in the PRACTICE database (a separate file); the live database has them empty.
Scenario codes of fixtures/practice/scenarios.toml are not stored: a session keeps the code.
Rubric area codes are those of fixtures/sop/rubric.toml.  Times are naive UTC.
"""

from __future__ import annotations

import peewee

from storepos.models.base import BaseModel, JSONField, MoneyField
from storepos.models.staff import Staff
from storepos.models.store import Store

SESSION_STATUSES = ("running", "ended", "scored", "cancelled")


class Scenario(BaseModel):
    """A scenario a trainer added in the app (the shipped ones come from fixtures)."""

    store = peewee.ForeignKeyField(Store, backref="+", on_delete="RESTRICT")
    code = peewee.CharField(max_length=40)
    title_zh = peewee.CharField(max_length=100)
    title_en = peewee.CharField(max_length=100, default="")
    persona_zh = peewee.TextField()
    persona_en = peewee.TextField(default="")
    signal = peewee.CharField(max_length=40)  # approach.toml [[signals]] code
    needs = JSONField(default=dict)  # spec_zh/en, quantity, delivery_zh/en, use_zh/en
    budget = MoneyField(null=True)
    objections = JSONField(default=list)  # [{"zh": ..., "en": ...}]
    outcome_zh = peewee.TextField()
    outcome_en = peewee.TextField(default="")
    created_by = peewee.ForeignKeyField(Staff, backref="+", on_delete="RESTRICT")
    created_at = peewee.DateTimeField()

    class Meta:
        indexes = ((("store", "code"), True),)


class PracticeSession(BaseModel):
    store = peewee.ForeignKeyField(Store, backref="+", on_delete="RESTRICT")
    trainer = peewee.ForeignKeyField(Staff, backref="+", on_delete="RESTRICT")
    trainee = peewee.ForeignKeyField(Staff, backref="+", on_delete="RESTRICT")
    scenario = peewee.CharField(max_length=40)  # scenario code (fixture or app-added)
    status = peewee.CharField(max_length=10, default="running")
    started_at = peewee.DateTimeField()
    ended_at = peewee.DateTimeField(null=True)
    scored_at = peewee.DateTimeField(null=True)
    visit_ids = JSONField(default=list)  # the records the trainee made in the session's window
    quote_ids = JSONField(default=list)
    sale_ids = JSONField(default=list)
    objective = JSONField(null=True)  # the objective score card, computed when the session ends
    objective_points = peewee.IntegerField(null=True)
    objective_max = peewee.IntegerField(null=True)
    rubric_total = peewee.IntegerField(null=True)  # sum of the five areas (5-25)

    class Meta:
        indexes = (
            (("store", "trainee", "started_at"), False),
            (("store", "status"), False),
        )


class PracticeStep(BaseModel):
    """One thing that happened in a session, with its time (from the trainee's records)."""

    session = peewee.ForeignKeyField(PracticeSession, backref="steps", on_delete="CASCADE")
    at = peewee.DateTimeField()
    stage = peewee.CharField(max_length=20)  # approach | needs | quote | negotiation | checkout | follow_up | session
    action = peewee.CharField(max_length=60)  # the audit action (visit.signal, quote.give…) or session.*
    entity = peewee.CharField(max_length=40, default="")
    entity_id = peewee.CharField(max_length=40, default="")

    class Meta:
        indexes = ((("session", "at"), False),)


class RubricScore(BaseModel):
    session = peewee.ForeignKeyField(PracticeSession, backref="scores", on_delete="CASCADE")
    area = peewee.CharField(max_length=40)  # rubric.toml [[areas]] code
    score = peewee.IntegerField()  # 1-5
    comment = peewee.TextField(default="")
    scored_by = peewee.ForeignKeyField(Staff, backref="+", on_delete="RESTRICT")
    at = peewee.DateTimeField()

    class Meta:
        indexes = ((("session", "area"), True),)
