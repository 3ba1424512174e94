"""The opening-checklist gate: what a quote or a checkout asks before a sale starts.  Under the
store's checklist_gate policy an unsubmitted run either warns or blocks (a manager may override,
see ui/checklist/gate.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from storepos.i18n import t
from storepos.services.checklist.runs import find_run
from storepos.services.core.context import Actor
from storepos.services.core.store import business_date, get_store, settings_of


@dataclass(frozen=True)
class GateStatus:
    """What a quote or checkout must know before a sale starts.

    passed: today's run has been submitted (a run the manager returned for a fix still counts:
    the checks were done before the doors opened).  policy: the store's checklist_gate.
    """

    passed: bool
    status: str  # not_started | open | submitted | approved | returned
    policy: Literal["warn", "block"]
    message: str
    run_id: int | None = None

    @property
    def blocked(self) -> bool:
        return not self.passed and self.policy == "block"

    @property
    def warn(self) -> bool:
        return not self.passed and self.policy == "warn"


def gate(actor: Actor) -> GateStatus:
    """Where today's run of the actor's store stands against the gate, with the message to show
    when it has not passed.  Raises NotFound for an unknown store."""
    store = get_store(actor.store_id)
    policy = settings_of(store).checklist_gate
    run = find_run(store.id, business_date(store))
    status = run.status if run is not None else "not_started"
    passed = run is not None and run.first_submitted_at is not None
    if passed:
        message = ""
    elif policy == "block":
        message = t("checklist.gate_block", status=t(f"checklist.status.{status}"))
    else:
        message = t("checklist.gate_warn", status=t(f"checklist.status.{status}"))
    return GateStatus(passed, status, policy, message, run.id if run is not None else None)


def gate_reason() -> str:
    """The reason recorded on a manager's override of the gate."""
    return t("checklist.gate_reason")
