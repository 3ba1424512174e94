"""First run: the store, its first manager, the pepper."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from storepos import clock
from storepos.db import transactional
from storepos.models import Store
from storepos.services.core import audit
from storepos.services.core.pins import actor_for, check_pin_format, ensure_pepper
from storepos.services.staff.accounts import StaffInput, insert_staff
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, parse
from storepos.services.core.store import StoreInput, StoreSettings, ensure_terminal


class FirstRunInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    store_name: str = Field(min_length=1, max_length=100)
    opening_time: str = "09:00"
    manager_name: str = Field(min_length=1, max_length=60)
    manager_code: str = Field(min_length=1, max_length=20)
    manager_pin: str


def needs_setup() -> bool:
    from storepos.models import Staff

    return not Staff.select().exists()


@transactional
def first_run(data: dict[str, Any], terminal: str = "") -> Actor:
    """Create the store and its first manager.  Raises DomainError naming the bad field."""
    if not needs_setup():
        raise DomainError("err.already_set_up")
    parsed = parse(FirstRunInput, data)
    try:
        store_in = parse(StoreInput, {"name_zh": parsed.store_name, "name_en": parsed.store_name,
                                      "opening_time": parsed.opening_time})
    except DomainError as exc:
        raise DomainError(exc.key, field="opening_time", **exc.params) from None
    try:
        staff_in = parse(StaffInput, {"code": parsed.manager_code, "name": parsed.manager_name,
                                      "role": "manager", "discount_authority": 100})
    except DomainError as exc:
        field = {"code": "manager_code", "name": "manager_name"}.get(exc.field or "", exc.field)
        raise DomainError(exc.key, field=field, **exc.params) from None
    try:
        check_pin_format(parsed.manager_pin)
    except DomainError:
        raise DomainError("err.pin_format", field="manager_pin") from None
    ensure_pepper()
    store = Store.get_or_none(Store.code == store_in.code)
    if store is None:
        store = Store.create(code=store_in.code, name_zh=store_in.name_zh, name_en=store_in.name_en,
                             opening_time=store_in.opening_time, timezone=store_in.timezone,
                             settings=StoreSettings().model_dump(), created_at=clock.now())
        audit.record(None, "store.create", "store", store.id, after=store_in.model_dump(),
                     store_id=store.id, terminal=terminal)
    staff = insert_staff(store.id, staff_in, parsed.manager_pin, None)
    ensure_terminal(store, terminal or "T1")
    return actor_for(staff, terminal)
