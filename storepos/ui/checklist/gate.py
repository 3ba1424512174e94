"""The opening-checklist gate for screens that start a sale (quote, checkout).

    from storepos.ui.checklist.gate import ensure_gate
    ensure_gate(self, self._start_sale)          # inside a StoreposScreen

``on_pass(approval)`` runs when the sale may go ahead: at once with None when today's checklist
is submitted; after a warning (also None) under ``checklist_gate = "warn"``; under "block" only
once a manager's code and PIN are entered on the spot, with the recorded Approval
(kind "checklist_gate") so the caller may ``approvals.attach(approval.id, "quote", quote.id)``.
Cancelled: on_pass is not called and the screen shows why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storepos.i18n import t
from storepos.services import checklist
from storepos.services.checklist import GateStatus
from storepos.services.core.approvals import Approval


def ensure_gate(screen: Any, on_pass: Callable[[Approval | None], Any], *, entity: str = "",
                entity_id: object = "") -> GateStatus:
    """Check the gate for the screen's actor; returns the GateStatus that was applied."""
    from storepos.ui.kit.approval import ManagerApproval

    actor = screen.app.actor
    status = checklist.gate(actor)
    if status.passed:
        on_pass(None)
        return status
    if not status.blocked:
        screen.notify(status.message, severity="warning", timeout=8, markup=False)
        on_pass(None)
        return status

    def done(approval: Approval | None) -> None:
        if approval is None:
            screen.notify(t("checklist.gate_cancelled"), severity="error", markup=False)
            return
        on_pass(approval)

    screen.app.push_screen(
        ManagerApproval("checklist_gate", status.message, entity=entity or "checklist_run",
                        entity_id=entity_id or (status.run_id or ""),
                        detail={"checklist_status": status.status}, reason=checklist.gate_reason()),
        done)
    return status
