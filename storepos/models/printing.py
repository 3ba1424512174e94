"""The print queue: each printout (a receipt, a quote) waiting for, at or past this terminal's
print command.  No logic beyond field rules (services/core/printout.py drains it)."""

from __future__ import annotations

import peewee

from storepos.models.base import BaseModel
from storepos.models.store import Store

PRINT_STATUSES = ("queued", "printing", "printed", "failed")


class PrintJob(BaseModel):
    """One printout sent to the print command of *terminal* (each counter has its own printer).

    ``last_error`` is the print command's own last line on stderr, or "timed out after N s",
    "command not found: x", "exit status N"; ``error_kind`` says which (output | timeout | missing
    | exit | interrupted) and ``error_arg`` carries its value, so the screen can say it in the
    user's language."""

    store = peewee.ForeignKeyField(Store, backref="+", on_delete="RESTRICT")
    terminal = peewee.CharField(max_length=40)
    kind = peewee.CharField(max_length=16)  # receipt | quote
    name = peewee.CharField(max_length=120)  # the printout's reference: T1-000012, Q-…-r2-40
    path = peewee.TextField(default="")  # where the text was saved
    text = peewee.TextField()
    status = peewee.CharField(max_length=16, default="queued")
    attempts = peewee.IntegerField(default=0)
    last_error = peewee.TextField(null=True)
    error_kind = peewee.CharField(max_length=16, null=True)
    error_arg = peewee.CharField(max_length=200, null=True)
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()

    class Meta:
        table_name = "print_job"
        indexes = ((("terminal", "status", "id"), False),)
