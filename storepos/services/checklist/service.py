"""The opening checklist (SOP §0): one run per store and business day, answered item by item,
submitted before the doors open, reviewed by a manager; the gate that quotes and checkouts ask.

Items are data (seeded from fixtures/sop/checklist.toml, then edited by managers).  Every answer
is a new ChecklistEntry (the latest per item counts) carrying the wording it was given against,
so past runs read as they were answered even after an item is reworded or retired.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

import peewee
from pydantic import BaseModel, ConfigDict, Field

from storepos import clock
from storepos.db import database, transactional
from storepos.i18n import pick, t
from storepos.models import ChecklistEntry, ChecklistItem, ChecklistRun, Staff, Store
from storepos.services.core import audit, sop
from storepos.services import home
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound, parse
from storepos.services.core.permissions import require
from storepos.services.core.store import business_date, get_store, opening_datetime_local, settings_of

WINDOW_MINUTES = 10  # the SOP's "ten minutes before the doors open"
EDITABLE = ("open", "returned")


# -- items --------------------------------------------------------------------------------------


def group_labels() -> dict[str, sop.Entry]:
    return {g.entry.code: g.entry for g in sop.checklist_groups()}


def group_label(code: str) -> str:
    entry = group_labels().get(code)
    return entry.label if entry else code


def _seed(store_id: int) -> int:
    """Add the fixture items this store lacks (matched by code).  Call inside a transaction."""
    have = {c for (c,) in ChecklistItem.select(ChecklistItem.code)
            .where(ChecklistItem.store == store_id).tuples()}
    now = clock.now()
    added = 0
    for gi, group in enumerate(sop.checklist_groups()):
        for ii, e in enumerate(group.items):
            if e.code in have:
                continue
            try:
                with database.obj.atomic():
                    ChecklistItem.create(
                        store=store_id, code=e.code, group=group.entry.code, text_zh=e.zh, text_en=e.en,
                        tip_zh=e.tip_zh, tip_en=e.tip_en, mandatory=bool(e.get("mandatory", False)),
                        position=gi * 100 + ii, created_at=now, updated_at=now)
            except peewee.IntegrityError:
                continue  # another terminal seeded it meanwhile
            added += 1
    if added:
        audit.record(None, "checklist.seed", "store", store_id, after={"items": added}, store_id=store_id)
    return added


@transactional
def seed_items(store_id: int) -> int:
    """Seed the store's checklist from the fixture (idempotent).  Returns the number added."""
    return _seed(store_id)


def seed_all_stores() -> int:
    return sum(seed_items(s.id) for s in Store.select(Store.id))


def ensure_items(store_id: int) -> None:
    if not ChecklistItem.select().where(ChecklistItem.store == store_id).exists():
        seed_items(store_id)


def items(store_id: int, *, include_retired: bool = False) -> list[ChecklistItem]:
    ensure_items(store_id)
    q = ChecklistItem.select().where(ChecklistItem.store == store_id)
    if not include_retired:
        q = q.where(ChecklistItem.retired == False)  # noqa: E712
    order = list(group_labels())
    rows = list(q)
    return sorted(rows, key=lambda i: (order.index(i.group) if i.group in order else len(order),
                                       i.position, i.id))


class ItemInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    group: str = Field(min_length=1, max_length=40)
    text_zh: str = Field(min_length=1, max_length=200)
    text_en: str = Field("", max_length=200)
    tip_zh: str = Field("", max_length=1000)
    tip_en: str = Field("", max_length=1000)
    mandatory: bool = True


def _item_view(item: ChecklistItem) -> dict[str, Any]:
    return {"code": item.code, "group": item.group, "text_zh": item.text_zh, "text_en": item.text_en,
            "tip_zh": item.tip_zh, "tip_en": item.tip_en, "mandatory": item.mandatory,
            "retired": item.retired}


def _get_item(actor: Actor, item_id: int) -> ChecklistItem:
    item = ChecklistItem.get_or_none(ChecklistItem.id == item_id, ChecklistItem.store == actor.store_id)
    if item is None:
        raise NotFound("err.checklist_item_not_found")
    return item


@transactional
def add_item(actor: Actor, data: dict[str, Any]) -> ChecklistItem:
    """A manager adds an item at the end of its group."""
    require(actor, "checklist.items")
    if not ChecklistItem.select().where(ChecklistItem.store == actor.store_id).exists():
        _seed(actor.store_id)
    new = parse(ItemInput, data)
    if new.group not in group_labels():
        raise DomainError("err.checklist_bad_group", field="group")
    last = (ChecklistItem.select(peewee.fn.MAX(ChecklistItem.position))
            .where(ChecklistItem.store == actor.store_id, ChecklistItem.group == new.group).scalar())
    count = ChecklistItem.select().where(ChecklistItem.store == actor.store_id).count()
    code = f"custom_{count + 1}"
    while ChecklistItem.select().where(ChecklistItem.store == actor.store_id,
                                       ChecklistItem.code == code).exists():
        count += 1
        code = f"custom_{count + 1}"
    now = clock.now()
    item = ChecklistItem.create(store=actor.store_id, code=code, position=(last or 0) + 1,
                                created_at=now, updated_at=now, **new.model_dump())
    audit.record(actor, "checklist.item_add", "checklist_item", item.id, after=_item_view(item))
    return item


@transactional
def reword_item(actor: Actor, item_id: int, data: dict[str, Any]) -> ChecklistItem:
    """Change an item's wording, tip or mandatory flag.  Past answers keep the old wording."""
    require(actor, "checklist.items")
    item = _get_item(actor, item_id)
    before = _item_view(item)
    new = parse(ItemInput, {"group": item.group, "mandatory": item.mandatory,
                            "tip_zh": item.tip_zh, "tip_en": item.tip_en} | data)
    if new.group not in group_labels():
        raise DomainError("err.checklist_bad_group", field="group")
    ChecklistItem.update(updated_at=clock.now(), **new.model_dump()).where(
        ChecklistItem.id == item.id).execute()
    item = ChecklistItem.get_by_id(item.id)
    audit.record(actor, "checklist.item_reword", "checklist_item", item.id, before=before,
                 after=_item_view(item))
    return item


@transactional
def retire_item(actor: Actor, item_id: int, retired: bool = True) -> ChecklistItem:
    """Take an item off the list (or put it back).  Runs that answered it keep it."""
    require(actor, "checklist.items")
    item = _get_item(actor, item_id)
    ChecklistItem.update(retired=retired, updated_at=clock.now()).where(ChecklistItem.id == item.id).execute()
    audit.record(actor, "checklist.item_retire" if retired else "checklist.item_restore",
                 "checklist_item", item.id, before={"retired": item.retired}, after={"retired": retired})
    return ChecklistItem.get_by_id(item.id)


# -- time ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """Where the store stands against its opening time.

    state: "early" (more than the window before opening), "window" (the last WINDOW_MINUTES),
    "open" (opening time has passed).  minutes: whole minutes to opening (rounded up) before it,
    minutes since opening after it.
    """

    state: Literal["early", "window", "open"]
    minutes: int
    seconds: int


def opening_window(now_local: dt.datetime, opening_local: dt.datetime,
                   window_minutes: int = WINDOW_MINUTES) -> Window:
    """Pure: the countdown to opening as the checklist screen shows it."""
    delta = (opening_local - now_local).total_seconds()
    if delta > 0:
        state: Literal["early", "window", "open"] = "window" if delta <= window_minutes * 60 else "early"
        return Window(state, math.ceil(delta / 60), int(delta))
    return Window("open", int(-delta // 60), int(-delta))


def store_window(store: Store, day: dt.date | None = None) -> Window:
    day = day or business_date(store)
    return opening_window(clock.get().local_now(store.timezone), opening_datetime_local(store, day))


def is_late(store: Store, day: dt.date, at_utc: dt.datetime) -> bool:
    return clock.to_local(at_utc, store.timezone) > opening_datetime_local(store, day)


# -- runs ---------------------------------------------------------------------------------------


def find_run(store_id: int, day: dt.date) -> ChecklistRun | None:
    return ChecklistRun.get_or_none(ChecklistRun.store == store_id, ChecklistRun.business_date == day)


def today_run(actor: Actor) -> ChecklistRun | None:
    store = get_store(actor.store_id)
    return find_run(store.id, business_date(store))


@transactional
def open_run(actor: Actor) -> ChecklistRun:
    """Today's run for the actor's store, started now if nobody has started it yet.

    Safe against two terminals starting it at once: the (store, business_date) key is unique, and
    the loser of the race re-reads the winner's run."""
    require(actor, "checklist.run")
    store = get_store(actor.store_id)
    day = business_date(store)
    if not ChecklistItem.select().where(ChecklistItem.store == store.id).exists():
        _seed(store.id)
    run = find_run(store.id, day)
    if run is not None:
        return run
    try:
        with database.obj.atomic():
            run = ChecklistRun.create(store=store.id, business_date=day, started_by=actor.staff_id,
                                      started_at=clock.now(), status="open")
    except peewee.IntegrityError:
        run = find_run(store.id, day)
        assert run is not None
        return run
    audit.record(actor, "checklist.start", "checklist_run", run.id, after={"date": day.isoformat()})
    return run


def _get_run(actor: Actor, run_id: int) -> ChecklistRun:
    run = ChecklistRun.get_or_none(ChecklistRun.id == run_id, ChecklistRun.store == actor.store_id)
    if run is None:
        raise NotFound("err.checklist_run_not_found")
    return run


class AnswerInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    answer: Literal["ok", "problem", "na"]
    note: str = Field("", max_length=500)


@transactional
def answer(actor: Actor, item_id: int, value: str, note: str = "", *, run_id: int | None = None) -> ChecklistEntry:
    """Answer one item of today's run (or of the returned run *run_id*).

    A problem needs a note (field "note"); n/a is refused on a mandatory item (field "answer");
    a submitted or approved run is read-only."""
    require(actor, "checklist.run")
    data = parse(AnswerInput, {"answer": value, "note": note or ""})
    run = open_run(actor) if run_id is None else _get_run(actor, run_id)
    run = ChecklistRun.get_by_id(run.id)  # fresh inside this transaction
    if run.status not in EDITABLE:
        raise DomainError("err.checklist_read_only", status=t(f"checklist.status.{run.status}"))
    item = _get_item(actor, item_id)
    if item.retired:
        raise DomainError("err.checklist_item_retired", field="answer")
    if data.answer == "problem" and not data.note:
        raise DomainError("err.checklist_note_required", field="note")
    if data.answer == "na" and item.mandatory:
        raise DomainError("err.checklist_na_mandatory", field="answer")
    entry = ChecklistEntry.create(run=run.id, item=item.id, answer=data.answer,
                                  note=data.note,
                                  staff=actor.staff_id, at=clock.now(),
                                  text_zh=item.text_zh, text_en=item.text_en)
    audit.record(actor, "checklist.answer", "checklist_run", run.id,
                 after={"item": item.code, "answer": data.answer, "note": data.note})
    return entry


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


def _names(ids: set[int]) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {s.id: s.name for s in Staff.select(Staff.id, Staff.name).where(Staff.id.in_(ids))}


def run_state(store_id: int, run: ChecklistRun | None, day: dt.date | None = None) -> RunState:
    """The run as the screen shows it: items grouped, the latest answer of each."""
    store = get_store(store_id)
    day = run.business_date if run is not None else (day or business_date(store))
    status = run.status if run is not None else "not_started"
    latest: dict[int, ChecklistEntry] = {}
    given: Counter[int] = Counter()
    if run is not None:
        for e in ChecklistEntry.select().where(ChecklistEntry.run == run.id).order_by(ChecklistEntry.id):
            latest[e.item_id] = e
            given[e.item_id] += 1
    names = _names({e.staff_id for e in latest.values()}
                   | ({run.submitted_by_id, run.reviewer_id} if run is not None else set()))
    shown = []
    for item in items(store_id, include_retired=True):
        if item.id in latest:
            shown.append(item)
        elif item.retired:
            continue
        elif status in EDITABLE + ("not_started",) or run is None or run.submitted_at is None \
                or item.created_at <= run.submitted_at:
            shown.append(item)
    groups: dict[str, GroupState] = {}
    for item in shown:
        e = latest.get(item.id)
        state = ItemState(item.id, item.code, item.group,
                          e.text_zh if e is not None else item.text_zh,
                          e.text_en if e is not None else item.text_en,
                          item.tip_zh, item.tip_en, item.mandatory, item.retired)
        if e is not None:
            state.answer, state.note, state.at = e.answer, e.note, e.at
            state.staff_name = names.get(e.staff_id, "")
            state.answers_given = given[item.id]
        if item.group not in groups:
            groups[item.group] = GroupState(item.group, group_label(item.group), [])
        groups[item.group].items.append(state)
    rs = RunState(store_id, day, run.id if run is not None else None, status, list(groups.values()))
    if run is not None:
        rs.late = run.late
        rs.review_note = run.review_note
        rs.reviewer_name = names.get(run.reviewer_id or 0, "")
        rs.submitted_by_name = names.get(run.submitted_by_id or 0, "")
        rs.submitted_at = run.submitted_at
        rs.returned_count = run.returned_count
    return rs


def today_state(actor: Actor) -> RunState:
    store = get_store(actor.store_id)
    return run_state(store.id, find_run(store.id, business_date(store)))


def state_of(actor: Actor, run_id: int) -> RunState:
    return run_state(actor.store_id, _get_run(actor, run_id))


def answer_history(actor: Actor, run_id: int, item_id: int | None = None) -> list[ChecklistEntry]:
    """Every answer given in a run (oldest first): who answered what, when."""
    run = _get_run(actor, run_id)
    q = ChecklistEntry.select().where(ChecklistEntry.run == run.id)
    if item_id is not None:
        q = q.where(ChecklistEntry.item == item_id)
    return list(q.order_by(ChecklistEntry.id))


@transactional
def submit(actor: Actor, run_id: int | None = None) -> ChecklistRun:
    """Submit today's run (or the returned run *run_id*): every mandatory item must be answered.
    The first submission after the store's opening time marks the run late."""
    require(actor, "checklist.run")
    run = open_run(actor) if run_id is None else _get_run(actor, run_id)
    run = ChecklistRun.get_by_id(run.id)
    if run.status not in EDITABLE:
        raise DomainError("err.checklist_read_only", status=t(f"checklist.status.{run.status}"))
    state = run_state(actor.store_id, run)
    if state.missing:
        raise DomainError("err.checklist_missing", count=len(state.missing),
                          items=pick("；", "; ").join(i.label for i in state.missing[:3])
                          + ("…" if len(state.missing) > 3 else ""))
    now = clock.now()
    store = get_store(actor.store_id)
    changes: dict[str, Any] = {"status": "submitted", "submitted_by": actor.staff_id, "submitted_at": now}
    if run.first_submitted_at is None:
        changes["first_submitted_at"] = now
        changes["late"] = is_late(store, run.business_date, now)
    ChecklistRun.update(**changes).where(ChecklistRun.id == run.id).execute()
    audit.record(actor, "checklist.submit", "checklist_run", run.id, before={"status": run.status},
                 after={"status": "submitted", "late": changes.get("late", run.late),
                        "answered": state.answered, "problems": len(state.problems)})
    return ChecklistRun.get_by_id(run.id)


# -- review -------------------------------------------------------------------------------------


class ReturnInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    comment: str = Field(min_length=1, max_length=500)


@transactional
def approve(actor: Actor, run_id: int, note: str = "") -> ChecklistRun:
    require(actor, "checklist.review")
    run = _get_run(actor, run_id)
    if run.status != "submitted":
        raise DomainError("err.checklist_not_submitted", status=t(f"checklist.status.{run.status}"))
    note = (note or "").strip()[:500]
    ChecklistRun.update(status="approved", reviewer=actor.staff_id, reviewed_at=clock.now(),
                        review_note=note).where(ChecklistRun.id == run.id).execute()
    audit.record(actor, "checklist.approve", "checklist_run", run.id, before={"status": run.status},
                 after={"status": "approved", "note": note})
    return ChecklistRun.get_by_id(run.id)


@transactional
def return_run(actor: Actor, run_id: int, comment: str) -> ChecklistRun:
    """Send a submitted run back to the staff with a comment (required), shown on their home."""
    require(actor, "checklist.review")
    data = parse(ReturnInput, {"comment": comment or ""})
    run = _get_run(actor, run_id)
    if run.status != "submitted":
        raise DomainError("err.checklist_not_submitted", status=t(f"checklist.status.{run.status}"))
    ChecklistRun.update(status="returned", reviewer=actor.staff_id, reviewed_at=clock.now(),
                        review_note=data.comment, returned_count=ChecklistRun.returned_count + 1
                        ).where(ChecklistRun.id == run.id).execute()
    audit.record(actor, "checklist.return", "checklist_run", run.id, before={"status": run.status},
                 after={"status": "returned", "comment": data.comment})
    return ChecklistRun.get_by_id(run.id)


@dataclass
class RunSummary:
    run_id: int
    business_date: dt.date
    status: str
    started_by: str
    submitted_by: str
    submitted_at_local: dt.datetime | None
    late: bool
    answered: int
    total: int
    problems: list[ItemState] = field(default_factory=list)
    returned_count: int = 0
    reviewer: str = ""
    review_note: str = ""


def _summaries(store_id: int, runs: list[ChecklistRun]) -> list[RunSummary]:
    store = get_store(store_id)
    names = _names({r.started_by_id for r in runs} | {r.submitted_by_id or 0 for r in runs}
                   | {r.reviewer_id or 0 for r in runs})
    out = []
    for r in runs:
        st = run_state(store_id, r)
        out.append(RunSummary(
            r.id, r.business_date, r.status, names.get(r.started_by_id, ""),
            names.get(r.submitted_by_id or 0, ""),
            clock.to_local(r.submitted_at, store.timezone) if r.submitted_at else None,
            r.late, st.answered, st.total, st.problems, r.returned_count,
            names.get(r.reviewer_id or 0, ""), r.review_note))
    return out


def review_queue(actor: Actor) -> list[RunSummary]:
    """Submitted runs waiting for a manager (today and earlier), those with problems first."""
    require(actor, "checklist.review")
    runs = list(ChecklistRun.select().where(ChecklistRun.store == actor.store_id,
                                            ChecklistRun.status == "submitted"))
    out = _summaries(actor.store_id, runs)
    out.sort(key=lambda s: (0 if s.problems else 1, -s.business_date.toordinal()))
    return out


def history(actor: Actor, date_from: dt.date, date_to: dt.date, *, staff_code: str | None = None,
            status: str | None = None) -> list[RunSummary]:
    """Runs between two business dates (inclusive), newest first, optionally of one staff member
    (who started or submitted it) or one status."""
    require(actor, "checklist.review")
    return runs_between(actor.store_id, date_from, date_to, staff_code=staff_code, status=status)


def runs_between(store_id: int, date_from: dt.date, date_to: dt.date, *, staff_code: str | None = None,
                 status: str | None = None) -> list[RunSummary]:
    q = ChecklistRun.select().where(ChecklistRun.store == store_id,
                                    ChecklistRun.business_date >= date_from,
                                    ChecklistRun.business_date <= date_to)
    if status:
        q = q.where(ChecklistRun.status == status)
    if staff_code:
        staff = Staff.get_or_none(Staff.store == store_id, Staff.code == staff_code.strip())
        if staff is None:
            raise DomainError("err.no_such_staff", field="staff", code=staff_code)
        q = q.where((ChecklistRun.started_by == staff.id) | (ChecklistRun.submitted_by == staff.id))
    return _summaries(store_id, list(q.order_by(ChecklistRun.business_date.desc())))


@dataclass
class Compliance:
    date_from: dt.date
    date_to: dt.date
    days: int
    submitted: int
    on_time: int
    approved_first_time: int
    top_problems: list[tuple[str, int]]

    @property
    def share_submitted(self) -> float:
        return self.submitted / self.days if self.days else 0.0

    @property
    def share_on_time(self) -> float:
        return self.on_time / self.days if self.days else 0.0

    @property
    def share_approved_first_time(self) -> float:
        return self.approved_first_time / self.submitted if self.submitted else 0.0


def compliance(store_id: int, date_from: dt.date, date_to: dt.date, *, top: int = 5) -> Compliance:
    """Shares over the business days from..to (inclusive): days with a submitted run, days submitted
    on time (before opening), and of the submitted runs those approved without being returned;
    the items most often marked problem (latest answer per run)."""
    days = max(0, (date_to - date_from).days + 1)
    runs = list(ChecklistRun.select().where(ChecklistRun.store == store_id,
                                            ChecklistRun.business_date >= date_from,
                                            ChecklistRun.business_date <= date_to))
    submitted = [r for r in runs if r.first_submitted_at is not None]
    on_time = [r for r in submitted if not r.late]
    first_time = [r for r in submitted if r.status == "approved" and r.returned_count == 0]
    counts: Counter[int] = Counter()
    label: dict[int, str] = {}
    for r in runs:
        latest: dict[int, ChecklistEntry] = {}
        for e in ChecklistEntry.select().where(ChecklistEntry.run == r.id).order_by(ChecklistEntry.id):
            latest[e.item_id] = e
        for item_id, e in latest.items():
            if e.answer == "problem":
                counts[item_id] += 1
                label.setdefault(item_id, pick(e.text_zh, e.text_en))
    for item in ChecklistItem.select().where(ChecklistItem.id.in_(list(counts) or [0])):
        label[item.id] = pick(item.text_zh, item.text_en)
    top_problems = [(label[i], n) for i, n in counts.most_common(top)]
    return Compliance(date_from, date_to, days, len(submitted), len(on_time), len(first_time), top_problems)


def recent_compliance(actor: Actor, days: int) -> Compliance:
    """Compliance over the last *days* business days, today included (from the store's first day
    when it is younger)."""
    require(actor, "checklist.review")
    store = get_store(actor.store_id)
    today = business_date(store)
    start = today - dt.timedelta(days=days - 1)
    opened = clock.to_local(store.created_at, store.timezone).date()  # no days before the store existed
    first_run = (ChecklistRun.select(peewee.fn.MIN(ChecklistRun.business_date))
                 .where(ChecklistRun.store == store.id).scalar())
    if first_run is not None:  # history older than the store row (an import, a simulation)
        opened = min(opened, first_run if isinstance(first_run, dt.date) else dt.date.fromisoformat(str(first_run)))
    return compliance(store.id, max(start, min(opened, today)), today)


# -- the gate -----------------------------------------------------------------------------------


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
    return t("checklist.gate_reason")


# -- home ---------------------------------------------------------------------------------------


def home_figure(actor: Actor) -> home.Figure:
    store = get_store(actor.store_id)
    run = find_run(store.id, business_date(store))
    after_opening = store_window(store).state == "open"
    if run is None:
        return home.Figure("home.glance_checklist", t("checklist.status.not_started"), alert=after_opening)
    if run.status == "open":
        st = run_state(store.id, run)
        return home.Figure("home.glance_checklist", f"{st.answered}/{st.total}", alert=after_opening)
    value = t(f"checklist.status.{run.status}")
    if run.late and run.status != "returned":
        value += " " + t("checklist.late_mark")
    return home.Figure("home.glance_checklist", value, alert=run.status == "returned")


def returned_notices(actor: Actor) -> list[str]:
    runs = (ChecklistRun.select().where(ChecklistRun.store == actor.store_id,
                                        ChecklistRun.status == "returned",
                                        ChecklistRun.submitted_by == actor.staff_id)
            .order_by(ChecklistRun.business_date))
    out = []
    for r in runs:
        reviewer = _names({r.reviewer_id or 0}).get(r.reviewer_id or 0, "")
        out.append(t("checklist.notice_returned", date=r.business_date.isoformat(), manager=reviewer,
                     comment=r.review_note))
    return out


def returned_runs(actor: Actor) -> list[ChecklistRun]:
    """Runs of this store sent back by a manager and not yet resubmitted (oldest first)."""
    return list(ChecklistRun.select().where(ChecklistRun.store == actor.store_id,
                                            ChecklistRun.status == "returned")
                .order_by(ChecklistRun.business_date))



__all__ = [
    "Compliance", "GateStatus", "ItemState", "RunState", "RunSummary", "Window", "add_item", "answer",
    "answer_history", "approve", "compliance", "ensure_items", "find_run", "gate", "history", "items",
    "open_run", "opening_window", "recent_compliance", "retire_item", "return_run", "review_queue",
    "reword_item", "run_state", "runs_between", "seed_all_stores", "seed_items", "state_of", "submit",
    "today_run", "today_state",
]
