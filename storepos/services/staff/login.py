"""Signing in at a terminal and unlocking an idle-locked one."""

from __future__ import annotations

from storepos.db import transaction
from storepos.models import Staff
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError
from storepos.services.core.pins import actor_for, check_pin_for, find_staff


def login(store_id: int, code: str, pin: str, terminal: str = "") -> Actor:
    """Check a staff code and PIN; returns the Actor.  Raises DomainError: unknown code, wrong PIN
    (with attempts left), locked (with minutes left), pepper missing/changed."""
    staff = find_staff(store_id, code)
    check_pin_for(staff, pin, terminal, "login")
    with transaction():
        audit.record(actor_for(staff, terminal), "staff.login", "staff", staff.id)
    return actor_for(Staff.get_by_id(staff.id), terminal)


def unlock_check(actor: Actor, code: str, pin: str) -> Actor:
    """Unlock an idle-locked terminal: the same staff member or a manager.  Returns who unlocked."""
    staff = find_staff(actor.store_id, code)
    if staff.id != actor.staff_id and staff.role != "manager":
        raise DomainError("err.unlock_other", field="code", name=actor.name)
    check_pin_for(staff, pin, actor.terminal, "unlock")
    return actor_for(staff, actor.terminal)
