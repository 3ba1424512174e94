"""Manager overrides: a manager's code and PIN entered on the spot, recorded as an Approval."""

from __future__ import annotations

from typing import Any

from storepos import clock
from storepos.db import transaction
from storepos.models import Approval, Staff
from storepos.services.core import audit
from storepos.services.core.pins import verify_manager
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError

# Kinds of override; each has an i18n label approval.kind.<kind>.
KINDS = ("discount", "price_floor", "credit", "stock", "quote_match", "void", "return",
         "register_difference", "checklist_gate", "stock_count")


def grant(
    actor: Actor,
    kind: str,
    manager_code: str,
    manager_pin: str,
    reason: str,
    *,
    entity: str = "",
    entity_id: object = "",
    detail: dict[str, Any] | None = None,
) -> Approval:
    """Check the manager's PIN and record the override.  Raises DomainError on a wrong PIN,
    a code that is not a manager's, or an empty reason."""
    if kind not in KINDS:
        raise ValueError(f"unknown approval kind {kind!r}")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("err.reason_required", field="reason")
    if len(reason) > 500:
        raise DomainError("err.too_long", field="reason", limit=500)
    manager = verify_manager(actor.store_id, manager_code, manager_pin, actor.terminal)
    with transaction():
        approval = Approval.create(
            store=actor.store_id, at=clock.now(), kind=kind, requested_by=actor.staff_id,
            approved_by=manager.id, reason=reason, entity=entity, entity_id=str(entity_id or ""),
            detail=detail or {}, terminal=actor.terminal)
        audit.record(actor, f"approval.{kind}", entity, entity_id,
                     after={"approval": approval.id, "approved_by": manager.code, "reason": reason,
                            "detail": detail or {}})
    return approval


def attach(approval_id: int, entity: str, entity_id: object) -> None:
    """Point an approval granted before its record existed (e.g. a sale) at that record."""
    Approval.update(entity=entity, entity_id=str(entity_id)).where(Approval.id == approval_id).execute()


def approver_name(approval: Approval) -> str:
    return Staff.get_by_id(approval.approved_by_id).name
