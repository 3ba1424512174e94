"""The customer record: what a customer form accepts, creating (numbered C0001, C0002…) and
editing one, and the credit terms only managers set."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import peewee
from pydantic import BaseModel, ConfigDict, Field, field_validator

from storepos import clock
from storepos.db import transaction, transactional
from storepos.models import Customer
from storepos.models.customer import SEGMENTS  # offered through the area's API: screens never import models
from storepos.money import MoneyError, from_fen, parse_amount, to_fen
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import NotFound, PermissionDenied, parse
from storepos.services.core.permissions import can
from storepos.services.customers.duplicate_warning import DuplicateWarning, duplicates
from storepos.services.customers.phones import normalize_phone, normalize_text

CREDIT_FIELDS = ("credit_limit", "credit_days")


class CustomerInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100)
    phone: str = Field(min_length=1, max_length=30)
    segment: str = "retail"
    address: str = Field("", max_length=200)
    notes: str = Field("", max_length=2000)

    @field_validator("name", "address", "notes", mode="before")
    @classmethod
    def _as_typed(cls, value: Any) -> Any:
        # Kept exactly as typed (only the ends trimmed, U+3000 included): data shows as typed.
        # Matching (search, the duplicate warning) compares NFKC forms instead.
        return value.strip() if isinstance(value, str) else value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        return normalize_phone(value)

    @field_validator("segment")
    @classmethod
    def _segment(cls, value: str) -> str:
        if value not in SEGMENTS:
            raise ValueError("err.customer_segment")
        return value


class CreditInput(BaseModel):
    credit_limit: int = Field(0, ge=0)  # fen
    credit_days: int = Field(0, ge=0, le=365)

    @field_validator("credit_limit", mode="before")
    @classmethod
    def _limit(cls, value: Any) -> Any:
        if isinstance(value, int):
            return value
        if isinstance(value, Decimal):
            return to_fen(value)
        text = str(value or "").strip()
        if not text:
            return 0
        try:
            return to_fen(parse_amount(text))
        except MoneyError as exc:
            raise ValueError(exc.args[0]) from None

    @field_validator("credit_days", mode="before")
    @classmethod
    def _days(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = normalize_text(value) or "0"
        return value


def get(store_id: int, customer_id: int) -> Customer:
    """The customer *customer_id* of the store.  Raises NotFound("err.customer_not_found")."""
    c = Customer.get_or_none(Customer.id == customer_id, Customer.store == store_id)
    if c is None:
        raise NotFound("err.customer_not_found")
    return c


def _next_number(store_id: int) -> str:
    best = 0
    for (num,) in Customer.select(Customer.number).where(
            Customer.store == store_id, Customer.number.startswith("C")).tuples():
        if num[1:].isdigit():
            best = max(best, int(num[1:]))
    return f"C{best + 1:04d}"


def view(c: Customer) -> dict[str, Any]:
    """What the audit log keeps of a customer (before and after a change)."""
    return {"number": c.number, "name": c.name, "phone": c.phone, "segment": c.segment,
            "address": c.address, "notes": c.notes, "credit_limit": c.credit_limit,
            "credit_days": c.credit_days}


@transactional
def create(actor: Actor, data: dict[str, Any], *, confirm_duplicate: bool = False) -> Customer:
    """Create a customer (any staff).  Raises DomainError on a bad field (phone format …) and
    DuplicateWarning on a likely duplicate unless *confirm_duplicate*.  Numbered C0001, C0002…
    Credit terms given here need "customer.credit" (managers)."""
    parsed = parse(CustomerInput, data)
    credit = parse(CreditInput, {k: data[k] for k in CREDIT_FIELDS if k in data})
    if (credit.credit_limit or credit.credit_days) and not can(actor, "customer.credit"):
        raise PermissionDenied("err.customer_credit_manager", field="credit_limit")
    if not confirm_duplicate:
        matches, field = duplicates(actor.store_id, parsed.name, parsed.phone)
        if matches:
            raise DuplicateWarning(matches, field)
    for attempt in range(5):
        number = _next_number(actor.store_id)
        try:
            with transaction():  # a savepoint: a number taken concurrently retries
                c = Customer.create(store=actor.store_id, number=number, created_at=clock.now(),
                                    credit_limit=credit.credit_limit, credit_days=credit.credit_days,
                                    **parsed.model_dump())
            break
        except peewee.IntegrityError:
            if attempt == 4:
                raise
    audit.record(actor, "customer.create", "customer", c.id, after=view(c))
    return c


@transactional
def update(actor: Actor, customer_id: int, data: dict[str, Any]) -> Customer:
    """Change contact, address, segment, notes; credit limit/days only with "customer.credit"
    (a staff member sending them unchanged is fine).  Raises DomainError; writes nothing then."""
    c = get(actor.store_id, customer_id)
    before = view(c)
    parsed = parse(CustomerInput, {k: before[k] for k in ("name", "phone", "segment", "address", "notes")}
                   | {k: v for k, v in data.items() if k not in CREDIT_FIELDS})
    credit = parse(CreditInput, {k: before[k] for k in CREDIT_FIELDS}
                   | {k: v for k, v in data.items() if k in CREDIT_FIELDS})
    changes: dict[str, Any] = parsed.model_dump()
    if (credit.credit_limit, credit.credit_days) != (c.credit_limit, c.credit_days):
        if not can(actor, "customer.credit"):
            raise PermissionDenied("err.customer_credit_manager", field="credit_limit")
        changes |= credit.model_dump()
    Customer.update(**changes).where(Customer.id == c.id).execute()
    c = get(actor.store_id, c.id)
    after = view(c)
    if after != before:
        audit.record(actor, "customer.update", "customer", c.id, before=before, after=after)
    return c


def credit_text(c: Customer) -> tuple[Decimal, int]:
    """The customer's credit terms for a form: (limit in yuan, days)."""
    return from_fen(c.credit_limit), c.credit_days
