"""The opening checklist (SOP §0): one run per store and business day, answered item by item,
submitted before the doors open, reviewed by a manager; the gate that quotes and checkouts ask.

Its public API.  The modules, one job each:
item_list (the store's items: seed, add, reword, retire), window (the countdown to opening,
late), state (a run as the screens show it), runs (start, answer, submit; returned runs),
review (approve, return, the queue, history), compliance_figures (shares over a span of days,
top problems), sale_gate (before a sale starts), home (the home figure and notices).
No module is named after a function it offers (items, gate, compliance): the package attribute
would then be the function or the module depending on import order, and dotted paths such as
monkeypatch's "storepos.services.checklist.gate.find_run" would not resolve.
"""

from __future__ import annotations

from storepos.services.checklist.compliance_figures import Compliance, compliance, recent_compliance
from storepos.services.checklist.sale_gate import GateStatus, gate, gate_reason
from storepos.services.checklist.home import home_figure, returned_notices
from storepos.services.checklist.item_list import (
    ItemInput,
    add_item,
    ensure_items,
    group_label,
    group_labels,
    items,
    retire_item,
    reword_item,
    seed_all_stores,
    seed_items,
)
from storepos.services.checklist.review import (
    ReturnInput,
    RunSummary,
    approve,
    history,
    return_run,
    review_queue,
    runs_between,
)
from storepos.services.checklist.runs import (
    AnswerInput,
    answer,
    answer_history,
    find_run,
    open_run,
    returned_runs,
    state_of,
    submit,
    today_run,
    today_state,
)
from storepos.services.checklist.state import (
    EDITABLE,
    RUN_STATUSES,
    GroupState,
    ItemState,
    RunState,
    run_state,
)
from storepos.services.checklist.window import WINDOW_MINUTES, Window, is_late, opening_window, store_window

__all__ = [
    # items
    "ItemInput", "add_item", "ensure_items", "group_label", "group_labels", "items", "retire_item",
    "reword_item", "seed_all_stores", "seed_items",
    # the opening time
    "WINDOW_MINUTES", "Window", "is_late", "opening_window", "store_window",
    # a run as shown
    "EDITABLE", "RUN_STATUSES", "GroupState", "ItemState", "RunState", "run_state",
    # the staff's run
    "AnswerInput", "answer", "answer_history", "find_run", "open_run", "returned_runs", "state_of",
    "submit", "today_run", "today_state",
    # review
    "ReturnInput", "RunSummary", "approve", "history", "return_run", "review_queue", "runs_between",
    # compliance
    "Compliance", "compliance", "recent_compliance",
    # the gate
    "GateStatus", "gate", "gate_reason",
    # home
    "home_figure", "returned_notices",
]
