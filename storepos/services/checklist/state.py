"""A run as the screens show it: its items grouped, the latest answer of each, who answered.

Every answer is a new ChecklistEntry (the latest per item counts) carrying the wording it was
given against, so a past run reads as it was answered even after an item is reworded or retired.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from storepos.i18n import pick
from storepos.models import ChecklistEntry, ChecklistItem, ChecklistRun, Staff
from storepos.models.checklist import RUN_STATUSES  # noqa: F401 - offered by the area's API
from storepos.services.checklist.item_list import group_label, items
from storepos.services.core.store import business_date, get_store

EDITABLE = ("open", "returned")  # the run statuses whose answers may still change


@dataclass
class ItemState:
    item_id: int
    code: str
    group: str
    text_zh: str
    text_en: str
    tip_zh: str
    tip_en: str
    mandatory: bool
    retired: bool
    answer: str | None = None
    note: str = ""
    staff_name: str = ""
    at: dt.datetime | None = None
    answers_given: int = 0

    @property
    def label(self) -> str:
        return pick(self.text_zh, self.text_en)

    @property
    def tip(self) -> str:
        return pick(self.tip_zh, self.tip_en)


@dataclass
class GroupState:
    code: str
    label: str
    items: list[ItemState]


@dataclass
class RunState:
    store_id: int
    business_date: dt.date
    run_id: int | None
    status: str  # not_started | open | submitted | approved | returned
    groups: list[GroupState]
    late: bool = False
    review_note: str = ""
    reviewer_name: str = ""
    submitted_by_name: str = ""
    submitted_at: dt.datetime | None = None
    returned_count: int = 0

    @property
    def all_items(self) -> list[ItemState]:
        return [i for g in self.groups for i in g.items]

    @property
    def total(self) -> int:
        return len(self.all_items)

    @property
    def answered(self) -> int:
        return sum(1 for i in self.all_items if i.answer)

    @property
    def problems(self) -> list[ItemState]:
        return [i for i in self.all_items if i.answer == "problem"]

    @property
    def missing(self) -> list[ItemState]:
        return [i for i in self.all_items if i.mandatory and not i.answer]

    @property
    def editable(self) -> bool:
        return self.status in ("not_started",) + EDITABLE


def staff_names(ids: set[int]) -> dict[int, str]:
    """Staff id -> name for the given ids (0 and None are skipped)."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {s.id: s.name for s in Staff.select(Staff.id, Staff.name).where(Staff.id.in_(ids))}


def _latest_answers(run: ChecklistRun | None) -> tuple[dict[int, ChecklistEntry], Counter[int]]:
    """item id -> the run's latest answer to it, and how many answers each item was given."""
    latest: dict[int, ChecklistEntry] = {}
    given: Counter[int] = Counter()
    if run is not None:
        for e in ChecklistEntry.select().where(ChecklistEntry.run == run.id).order_by(ChecklistEntry.id):
            latest[e.item_id] = e
            given[e.item_id] += 1
    return latest, given


def _items_shown(store_id: int, run: ChecklistRun | None, status: str,
                 latest: dict[int, ChecklistEntry]) -> list[ChecklistItem]:
    """Every item the run answered; besides those, the current items, except that a submitted run
    leaves out the items added after it was submitted (they were not on its list)."""
    shown = []
    for item in items(store_id, include_retired=True):
        if item.id in latest:
            shown.append(item)
        elif item.retired:
            continue
        elif status in EDITABLE + ("not_started",) or run is None or run.submitted_at is None \
                or item.created_at <= run.submitted_at:
            shown.append(item)
    return shown


def _item_state(item: ChecklistItem, entry: ChecklistEntry | None, given: Counter[int],
                names: dict[int, str]) -> ItemState:
    # the wording the answer was given against, not today's (the item may have been reworded)
    state = ItemState(item.id, item.code, item.group,
                      entry.text_zh if entry is not None else item.text_zh,
                      entry.text_en if entry is not None else item.text_en,
                      item.tip_zh, item.tip_en, item.mandatory, item.retired)
    if entry is not None:
        state.answer, state.note, state.at = entry.answer, entry.note, entry.at
        state.staff_name = names.get(entry.staff_id, "")
        state.answers_given = given[item.id]
    return state


def run_state(store_id: int, run: ChecklistRun | None, day: dt.date | None = None) -> RunState:
    """The run as the screen shows it: items grouped, the latest answer of each.

    With no run, the items as they stand for *day* (default: the store's business date), not
    started.  Raises NotFound for an unknown store."""
    store = get_store(store_id)
    day = run.business_date if run is not None else (day or business_date(store))
    status = run.status if run is not None else "not_started"
    latest, given = _latest_answers(run)
    names = staff_names({e.staff_id for e in latest.values()}
                        | ({run.submitted_by_id, run.reviewer_id} if run is not None else set()))
    groups: dict[str, GroupState] = {}
    for item in _items_shown(store_id, run, status, latest):
        if item.group not in groups:
            groups[item.group] = GroupState(item.group, group_label(item.group), [])
        groups[item.group].items.append(_item_state(item, latest.get(item.id), given, names))
    rs = RunState(store_id, day, run.id if run is not None else None, status, list(groups.values()))
    if run is not None:
        rs.late = run.late
        rs.review_note = run.review_note
        rs.reviewer_name = names.get(run.reviewer_id or 0, "")
        rs.submitted_by_name = names.get(run.submitted_by_id or 0, "")
        rs.submitted_at = run.submitted_at
        rs.returned_count = run.returned_count
    return rs
