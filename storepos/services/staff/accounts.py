"""Staff records: a manager adds staff, changes their role and discount authority, resets a PIN,
unlocks a code; each staff member changes their own PIN and language."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from storepos import clock
from storepos.db import transaction, transactional
from storepos.models import Staff, Store
from storepos.models.staff import ROLES
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound, parse
from storepos.services.core.numbers import WholeNumber
from storepos.services.core.permissions import require
from storepos.services.core.pins import check_pin_for, check_pin_format, hash_pin, normalize_pin

_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")


class StaffInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    code: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=60)
    role: str = "staff"
    discount_authority: WholeNumber = Field(0, ge=0, le=100)
    language: str | None = None

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value: Any) -> Any:
        value = unicodedata.normalize("NFKC", str(value)).strip()
        if value and not _CODE_RE.match(value):
            raise ValueError("err.staff_code_format")
        return value

    @field_validator("role")
    @classmethod
    def _role(cls, value: str) -> str:
        if value not in ROLES:
            raise ValueError("err.bad_role")
        return value

    @field_validator("language")
    @classmethod
    def _lang(cls, value: str | None) -> str | None:
        from storepos.i18n import normalize_language

        if not value:
            return None
        code = normalize_language(value)
        if code is None:
            raise ValueError("err.bad_language")
        return code


def _staff_view(staff: Staff) -> dict[str, Any]:
    return {"code": staff.code, "name": staff.name, "role": staff.role,
            "discount_authority": staff.discount_authority, "language": staff.language,
            "active": staff.active}


def insert_staff(store_id: int, data: StaffInput, pin: str, actor: Actor | None) -> Staff:
    """Create a staff row (inside the caller's transaction)."""
    pin = check_pin_format(pin)
    if Staff.select().where(Staff.store == store_id, Staff.code == data.code).exists():
        raise DomainError("err.staff_code_taken", field="code", code=data.code)
    staff = Staff.create(store=store_id, code=data.code, name=data.name, role=data.role,
                         discount_authority=data.discount_authority, language=data.language,
                         pin_hash=hash_pin(pin), created_at=clock.now())
    audit.record(actor, "staff.create", "staff", staff.id, after=_staff_view(staff), store_id=store_id)
    return staff


@transactional
def create_staff(actor: Actor, data: dict[str, Any], pin: str) -> Staff:
    """A manager adds a staff member.  Raises DomainError (bad field, code taken, PIN format)."""
    require(actor, "staff.manage")
    parsed = parse(StaffInput, data)
    try:
        check_pin_format(pin)
    except DomainError:
        raise DomainError("err.pin_format", field="pin") from None
    return insert_staff(actor.store_id, parsed, pin, actor)


@transactional
def update_staff(actor: Actor, staff_id: int, data: dict[str, Any]) -> Staff:
    require(actor, "staff.manage")
    staff = Staff.get_or_none(Staff.id == staff_id, Staff.store == actor.store_id)
    if staff is None:
        raise NotFound("err.no_such_staff", code=str(staff_id))
    before = _staff_view(staff)
    parsed = parse(StaffInput, before | data)
    if parsed.code != staff.code and Staff.select().where(
            Staff.store == actor.store_id, Staff.code == parsed.code).exists():
        raise DomainError("err.staff_code_taken", field="code", code=parsed.code)
    if staff.id == actor.staff_id and parsed.role != "manager":
        raise DomainError("err.cannot_demote_self", field="role")
    active = bool(data.get("active", staff.active))
    if staff.id == actor.staff_id and not active:
        raise DomainError("err.cannot_deactivate_self", field="active")
    Staff.update(code=parsed.code, name=parsed.name, role=parsed.role, active=active,
                 discount_authority=parsed.discount_authority, language=parsed.language).where(
        Staff.id == staff.id).execute()
    staff = Staff.get_by_id(staff.id)
    audit.record(actor, "staff.update", "staff", staff.id, before=before, after=_staff_view(staff))
    return staff


@transactional
def reset_pin(actor: Actor, staff_id: int, new_pin: str) -> None:
    """A manager sets a new PIN for someone (also clears their lockout)."""
    require(actor, "staff.manage")
    staff = Staff.get_or_none(Staff.id == staff_id, Staff.store == actor.store_id)
    if staff is None:
        raise NotFound("err.no_such_staff", code=str(staff_id))
    Staff.update(pin_hash=hash_pin(new_pin), failed_pins=0, lockouts=0, locked_until=None).where(
        Staff.id == staff.id).execute()
    audit.record(actor, "staff.reset_pin", "staff", staff.id)


@transactional
def unlock_staff(actor: Actor, staff_id: int) -> None:
    require(actor, "staff.manage")
    staff = Staff.get_or_none(Staff.id == staff_id, Staff.store == actor.store_id)
    if staff is None:
        raise NotFound("err.no_such_staff", code=str(staff_id))
    Staff.update(failed_pins=0, lockouts=0, locked_until=None).where(Staff.id == staff.id).execute()
    audit.record(actor, "staff.unlock", "staff", staff.id)


def change_own_pin(actor: Actor, old_pin: str, new_pin: str) -> None:
    """Change one's own PIN: the old one is checked (with lockout), the new one must differ."""
    staff = Staff.get_by_id(actor.staff_id)
    try:
        check_pin_format(new_pin)
    except DomainError:
        raise DomainError("err.pin_format", field="new_pin") from None
    check_pin_for(staff, old_pin, actor.terminal, "change_pin")
    if normalize_pin(old_pin) == normalize_pin(new_pin):
        raise DomainError("err.pin_same", field="new_pin")
    with transaction():
        Staff.update(pin_hash=hash_pin(new_pin)).where(Staff.id == staff.id).execute()
        audit.record(actor, "staff.change_pin", "staff", staff.id)


@transactional
def set_language(actor: Actor, lang: str) -> str:
    """Remember *lang* as the staff member's own language."""
    from storepos.i18n import normalize_language

    code = normalize_language(lang)
    if code is None:
        raise DomainError("err.bad_language")
    before = Staff.get_by_id(actor.staff_id).language
    if before != code:
        Staff.update(language=code).where(Staff.id == actor.staff_id).execute()
        audit.record(actor, "staff.language", "staff", actor.staff_id, before=before, after=code)
    return code


def list_staff(store_id: int) -> list[Staff]:
    return list(Staff.select().where(Staff.store == store_id).order_by(Staff.role, Staff.code))


def has_staff() -> bool:
    return Staff.select().exists()


def store_has_staff(store: Store) -> bool:
    return Staff.select().where(Staff.store == store).exists()
