"""Customers: find (phone, name fragment, number), create with phone validation and a duplicate
warning, edit (credit terms by managers only), and a customer's history.

Phone numbers (decision, see docs/readme/visit.md): a mainland mobile, 11 digits 1[3-9]xxxxxxxxx
(a leading +86 / 0086 / 86 is dropped), or a landline with its area code: 0 + 2-3 digit area code
+ 7-8 digit number ("020-83456789", "0757 8123 4567").  Full-width digits, spaces, dashes and
brackets are accepted and normalised.  Stored as "13812345678" or "020-83456789".

History: the areas that keep records about a customer are listed in
storepos.services.manifest.CUSTOMER_HISTORY.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import peewee
from pydantic import BaseModel, ConfigDict, Field, field_validator

from storepos import clock
from storepos.db import contains, transaction, transactional
from storepos.models import Customer
from storepos.models.customer import SEGMENTS
from storepos.money import MoneyError, from_fen, parse_amount, to_fen
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound, PermissionDenied, parse
from storepos.services.core.permissions import can

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{9,11}$")
_NUMBER = re.compile(r"^[Cc]\d{1,8}$")
CREDIT_FIELDS = ("credit_limit", "credit_days")


def normalize_text(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def normalize_phone(text: str) -> str:
    """The canonical form of a phone number, or ValueError("err.phone_format")."""
    raw = normalize_text(text)
    digits = re.sub(r"[\s\-()（）.]", "", raw)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not digits.isdigit():
        raise ValueError("err.phone_format")
    if _MOBILE.match(digits):
        return digits
    if _LANDLINE.match(digits):
        area_len = 3 if digits[1] in "12" else 4  # 010, 02x: 3 digits; others 4 (0757, 0371…)
        number = digits[area_len:]
        if 7 <= len(number) <= 8 and number[0] not in "01":
            return f"{digits[:area_len]}-{number}"
    raise ValueError("err.phone_format")


class CustomerInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100)
    phone: str = Field(min_length=1, max_length=30)
    segment: str = "retail"
    address: str = Field("", max_length=200)
    notes: str = Field("", max_length=2000)

    @field_validator("name", "address", "notes", mode="before")
    @classmethod
    def _nfkc(cls, value: Any) -> Any:
        return " ".join(normalize_text(value).split()) if isinstance(value, str) else value

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


class DuplicateWarning(DomainError):
    """A likely duplicate: ``matches`` are the existing customers.  Confirm to create anyway."""

    def __init__(self, matches: list[Customer], field: str) -> None:
        names = "、".join(f"{c.number} {c.name} {c.phone}" for c in matches[:3])
        super().__init__("err.customer_duplicate", field=field, matches=names)
        self.matches = matches


def get(store_id: int, customer_id: int) -> Customer:
    c = Customer.get_or_none(Customer.id == customer_id, Customer.store == store_id)
    if c is None:
        raise NotFound("err.customer_not_found")
    return c


def find(store_id: int, query: str, *, limit: int = 30) -> list[Customer]:
    """Customers matching *query*: a customer number (C0007), phone digits (any part, 3+ digits)
    or a name fragment (Chinese or other, any length; no pinyin).  Best first."""
    q = normalize_text(query)
    if not q:
        return []
    base = Customer.select().where(Customer.store == store_id)
    out: list[Customer] = []
    seen: set[int] = set()

    def add(rows: peewee.ModelSelect) -> None:
        for c in rows:
            if c.id not in seen and len(out) < limit:
                seen.add(c.id)
                out.append(c)

    if _NUMBER.match(q):
        add(base.where(Customer.number == q.upper()))
    digits = re.sub(r"[\s\-()+]", "", q)
    if digits.isdigit() and len(digits) >= 3:
        flat = peewee.fn.replace(Customer.phone, "-", "")
        if len(digits) == 11 or (digits.startswith("0") and len(digits) >= 10):
            try:
                add(base.where(Customer.phone == normalize_phone(digits)))
            except ValueError:
                pass
        add(base.where(contains(flat, digits)).order_by(Customer.number).limit(limit))
    if len(out) < limit and not digits.isdigit():
        add(base.where(contains(Customer.name, q))
            .order_by(peewee.fn.length(Customer.name), Customer.number).limit(limit))
        if q.lower() != q or q.upper() != q:  # Latin names: case-insensitive
            add(base.where(contains(peewee.fn.lower(Customer.name), q.lower()))
                .order_by(Customer.number).limit(limit))
    return out


def _name_key(name: str) -> str:
    return re.sub(r"[\s·.,，。()（）]", "", normalize_text(name)).casefold()


def similar_names(store_id: int, name: str, *, exclude: int | None = None) -> list[Customer]:
    """Customers whose name is the same or very close: equal ignoring spaces/case, one contains
    the other (2+ characters), or a close match (difflib ratio >= 0.8, 4+ characters)."""
    key = _name_key(name)
    if not key:
        return []
    grams = {key[i:i + 2] for i in range(max(1, len(key) - 1))}
    cond = None
    for g in list(grams)[:20]:
        term = contains(peewee.fn.lower(Customer.name), g)
        cond = term if cond is None else cond | term
    rows = Customer.select().where(Customer.store == store_id, cond).limit(300)
    out = []
    for c in rows:
        if exclude is not None and c.id == exclude:
            continue
        other = _name_key(c.name)
        if other == key:
            out.append(c)
        elif min(len(key), len(other)) >= 2 and (key in other or other in key):
            out.append(c)
        elif min(len(key), len(other)) >= 4 and difflib.SequenceMatcher(None, key, other).ratio() >= 0.8:
            out.append(c)
    return out


def duplicates(store_id: int, name: str, phone: str, *, exclude: int | None = None) -> tuple[list[Customer], str]:
    """(likely duplicates, the field they concern): same phone first, then a similar name."""
    same_phone = [c for c in Customer.select().where(Customer.store == store_id, Customer.phone == phone)
                  if c.id != exclude]
    if same_phone:
        return same_phone, "phone"
    return similar_names(store_id, name, exclude=exclude), "name"


def _next_number(store_id: int) -> str:
    best = 0
    for (num,) in Customer.select(Customer.number).where(
            Customer.store == store_id, Customer.number.startswith("C")).tuples():
        if num[1:].isdigit():
            best = max(best, int(num[1:]))
    return f"C{best + 1:04d}"


def view(c: Customer) -> dict[str, Any]:
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
    return from_fen(c.credit_limit), c.credit_days


# -- history -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime  # naive UTC
    kind: str  # "visits", "quotes", "sales", "followups", …
    summary: str  # already translated
    ref: Any = None  # the id of the record it shows


HISTORY_ORDER = ("visits", "quotes", "sales", "followups")
def history(store_id: int, customer_id: int) -> list[HistoryRow]:
    """Everything the areas keep about a customer (storepos.services.manifest), newest first."""
    from storepos.services import manifest

    rows: list[HistoryRow] = []
    for _kind, ref in manifest.CUSTOMER_HISTORY:
        rows.extend(manifest.load(ref)(store_id, customer_id))
    return sorted(rows, key=lambda r: (r.at, HISTORY_ORDER.index(r.kind) if r.kind in HISTORY_ORDER else 99),
                  reverse=True)
