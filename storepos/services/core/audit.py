"""The audit log: every write that matters appends one row; rows are never changed.

Rows form a hash chain: each carries the hash of the one before it, so a changed or removed row
breaks the chain (checked by `storepos check`).  The chain head lives in storepos_meta and is
updated in the writing transaction, which serialises writers on every database.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from storepos import clock
from storepos.db import database
from storepos.i18n import t
from storepos.models import AuditLog, Meta
from storepos.services.core.context import Actor

GENESIS = "0" * 64


def _digest(prev: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256((prev + payload).encode("utf-8")).hexdigest()


def _row_fields(row: AuditLog) -> dict[str, Any]:
    return {
        "at": row.at.isoformat(sep=" ") if hasattr(row.at, "isoformat") else str(row.at),
        "store": row.store_id,
        "terminal": row.terminal,
        "staff": row.staff_id,
        "action": row.action,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "before": row.before,
        "after": row.after,
    }


def record(
    actor: Actor | None,
    action: str,
    entity: str = "",
    entity_id: object = "",
    *,
    before: Any = None,
    after: Any = None,
    store_id: int | None = None,
    terminal: str | None = None,
) -> AuditLog:
    """Append one audit row.  Call inside the transaction of the write it describes."""
    assert database.obj.in_transaction(), "audit.record must run inside the write's transaction"
    head = Meta.get_or_none(Meta.key == "audit_head")
    prev = head.value if head else GENESIS
    row = AuditLog(
        at=clock.now(),
        store=store_id if store_id is not None else (actor.store_id if actor else None),
        terminal=terminal if terminal is not None else (actor.terminal if actor else ""),
        staff=actor.staff_id if actor else None,
        action=action,
        entity=entity,
        entity_id=str(entity_id) if entity_id is not None else "",
        before=before,
        after=after,
        prev_hash=prev,
        hash="",
    )
    row.hash = _digest(prev, _row_fields(row))
    row.save(force_insert=True)
    if head:
        Meta.update(value=row.hash).where(Meta.key == "audit_head").execute()
    else:
        Meta.insert(key="audit_head", value=row.hash).execute()
    return row


def verify_chain() -> list[str]:
    """Problems in the hash chain (empty when unbroken)."""
    problems: list[str] = []
    prev = GENESIS
    last = None
    for row in AuditLog.select().order_by(AuditLog.id).iterator():
        # Re-read JSON the way it was hashed (dict/list values).
        if row.prev_hash != prev:
            problems.append(t("integrity.audit_prev", id=row.id))
        if _digest(row.prev_hash, _row_fields(row)) != row.hash:
            problems.append(t("integrity.audit_changed", id=row.id))
        prev = row.hash
        last = row
    head = Meta.get_or_none(Meta.key == "audit_head")
    if last is not None and (head is None or head.value != last.hash):
        problems.append(t("integrity.audit_head"))
    return problems
