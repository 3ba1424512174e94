"""The store's checklist items: seeded from fixtures/sop/checklist.toml, then added to, reworded
and retired by managers.  Items are never deleted: a retired item stays for the runs that
answered it, and every answer keeps the wording it was given against.
"""

from __future__ import annotations

from typing import Any

import peewee
from pydantic import BaseModel, ConfigDict, Field

from storepos import clock
from storepos.db import database, transactional
from storepos.models import ChecklistItem, Store
from storepos.services.core import audit, sop
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound, parse
from storepos.services.core.permissions import require


def group_labels() -> dict[str, sop.Entry]:
    """The checklist's groups in the fixture's order: group code -> its SOP entry."""
    return {g.entry.code: g.entry for g in sop.checklist_groups()}


def group_label(code: str) -> str:
    """A group's label in the current language (the code itself for a group the fixture lacks)."""
    entry = group_labels().get(code)
    return entry.label if entry else code


def seed_missing(store_id: int) -> int:
    """Add the fixture items this store lacks (matched by code).  Call inside a transaction.

    Returns the number added."""
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
    return seed_missing(store_id)


def seed_all_stores() -> int:
    """Seed every store's checklist (`storepos init`).  Returns the number of items added."""
    return sum(seed_items(s.id) for s in Store.select(Store.id))


def ensure_items(store_id: int) -> None:
    """Seed the store's checklist if it has no items at all (a manager's edits are left alone)."""
    if not ChecklistItem.select().where(ChecklistItem.store == store_id).exists():
        seed_items(store_id)


def items(store_id: int, *, include_retired: bool = False) -> list[ChecklistItem]:
    """The store's items in checklist order (group, then position), seeding them on first use."""
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


def get_item(actor: Actor, item_id: int) -> ChecklistItem:
    """One item of the actor's store.  Raises NotFound for another store's item or none."""
    item = ChecklistItem.get_or_none(ChecklistItem.id == item_id, ChecklistItem.store == actor.store_id)
    if item is None:
        raise NotFound("err.checklist_item_not_found")
    return item


def _next_custom_code(store_id: int) -> str:
    """A code for a manager's own item, free in this store ("custom_<n>")."""
    count = ChecklistItem.select().where(ChecklistItem.store == store_id).count()
    code = f"custom_{count + 1}"
    while ChecklistItem.select().where(ChecklistItem.store == store_id,
                                       ChecklistItem.code == code).exists():
        count += 1
        code = f"custom_{count + 1}"
    return code


@transactional
def add_item(actor: Actor, data: dict[str, Any]) -> ChecklistItem:
    """A manager adds an item at the end of its group.

    Raises PermissionDenied, DomainError on a bad field or an unknown group (field "group")."""
    require(actor, "checklist.items")
    if not ChecklistItem.select().where(ChecklistItem.store == actor.store_id).exists():
        seed_missing(actor.store_id)
    new = parse(ItemInput, data)
    if new.group not in group_labels():
        raise DomainError("err.checklist_bad_group", field="group")
    last = (ChecklistItem.select(peewee.fn.MAX(ChecklistItem.position))
            .where(ChecklistItem.store == actor.store_id, ChecklistItem.group == new.group).scalar())
    code = _next_custom_code(actor.store_id)
    now = clock.now()
    item = ChecklistItem.create(store=actor.store_id, code=code, position=(last or 0) + 1,
                                created_at=now, updated_at=now, **new.model_dump())
    audit.record(actor, "checklist.item_add", "checklist_item", item.id, after=_item_view(item))
    return item


@transactional
def reword_item(actor: Actor, item_id: int, data: dict[str, Any]) -> ChecklistItem:
    """Change an item's wording, tip or mandatory flag.  Past answers keep the old wording.

    Raises PermissionDenied, NotFound, DomainError on a bad field or an unknown group."""
    require(actor, "checklist.items")
    item = get_item(actor, item_id)
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
    """Take an item off the list (or put it back).  Runs that answered it keep it.

    Raises PermissionDenied, NotFound."""
    require(actor, "checklist.items")
    item = get_item(actor, item_id)
    ChecklistItem.update(retired=retired, updated_at=clock.now()).where(ChecklistItem.id == item.id).execute()
    audit.record(actor, "checklist.item_retire" if retired else "checklist.item_restore",
                 "checklist_item", item.id, before={"retired": item.retired}, after={"retired": retired})
    return ChecklistItem.get_by_id(item.id)
