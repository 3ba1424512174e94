"""The store and its policies (one pydantic model, kept as JSON on the store row)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from storepos import clock
from storepos.db import transactional
from storepos.models import Store, Terminal
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound, parse
from storepos.services.core.permissions import require

_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class StoreSettings(BaseModel):
    """Store policies.  Later areas add their own fields here, always with a default."""

    model_config = ConfigDict(extra="ignore")

    checklist_gate: Literal["warn", "block"] = "warn"
    quote_valid_days: int = Field(7, ge=1, le=365)
    allow_negative_stock: bool = False
    register_difference_limit: int = Field(2000, ge=0, description="fen; above it a manager's PIN")
    vat_rate_percent: int = Field(13, ge=0, le=100)
    invoice_min_paid_percent: int = Field(60, ge=0, le=100)
    fulfilment_mode: Literal["settle_then_deliver", "deliver_then_settle"] = "settle_then_deliver"
    no_delivery_before_first_payment: bool = True
    expiry_warning_days: int = Field(30, ge=0, le=3650)
    low_stock_threshold: int = Field(3, ge=0)
    count_approval_threshold: int = Field(10, ge=0, description="units; a larger count difference needs a manager")
    # After-sales (issue 8): days after a sale per follow-up kind (0 = none of that kind), and per
    # product category code the kinds whose days differ; a delivery adds a check N days after it.
    followup_schedule: dict[str, int] = Field(
        default_factory=lambda: {"thanks_call": 3, "survey": 14, "care": 90})
    followup_category_overrides: dict[str, dict[str, int]] = Field(default_factory=dict)
    followup_delivery_check_days: int = Field(1, ge=0, le=365)
    # Plausible values (issue 18): bounds a typing slip cannot pass.  All money in fen.
    max_opening_float: int = Field(5_000_000, ge=0, description="fen; a register opens with at most this float")
    max_change: int = Field(100_000, ge=0, description="fen; cash giving more change asks for a confirmation")
    delivery_days_ahead: int = Field(730, ge=1, le=3650, description="a delivery date at most this many days ahead")

    @field_validator("followup_schedule")
    @classmethod
    def _schedule(cls, value: dict[str, int]) -> dict[str, int]:
        if any(not 0 <= int(d) <= 3650 for d in value.values()):
            raise ValueError("err.followup_days_range")
        return value

    @field_validator("followup_category_overrides")
    @classmethod
    def _overrides(cls, value: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
        if any(not 0 <= int(d) <= 3650 for kinds in value.values() for d in kinds.values()):
            raise ValueError("err.followup_days_range")
        return value


def settings_of(store: Store) -> StoreSettings:
    return StoreSettings.model_validate(store.settings or {})


def get_store(store_id: int) -> Store:
    store = Store.get_or_none(Store.id == store_id)
    if store is None:
        raise NotFound("err.store_not_found")
    return store


def first_store() -> Store | None:
    return Store.select().order_by(Store.id).first()


def find_store(code: str | None) -> Store | None:
    """The store with *code*; with no code, the first store."""
    if not code:
        return first_store()
    return Store.get_or_none(Store.code == code)


class StoreInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    code: str = Field("S001", min_length=1, max_length=20)
    name_zh: str = Field(min_length=1, max_length=100)
    name_en: str = Field("", max_length=100)
    opening_time: str = "09:00"
    timezone: str = "Asia/Shanghai"

    @field_validator("opening_time")
    @classmethod
    def _time(cls, value: str) -> str:
        value = value.replace("：", ":")
        if len(value) == 4 and value[1] == ":":
            value = "0" + value
        if not _TIME_RE.match(value):
            raise ValueError("err.bad_time")
        return value

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(value)
        except Exception:  # noqa: BLE001 - ZoneInfo raises several kinds
            raise ValueError("err.bad_timezone") from None
        return value


def opening_datetime_local(store: Store, day: dt.date) -> dt.datetime:
    hh, mm = (int(p) for p in store.opening_time.split(":"))
    return dt.datetime.combine(day, dt.time(hh, mm))


def business_date(store: Store) -> dt.date:
    return clock.get().business_date(store.timezone)


@transactional
def update_settings(actor: Actor, changes: dict[str, Any]) -> StoreSettings:
    """Change store policies (manager).  Raises DomainError on a bad value; writes nothing then."""
    require(actor, "store.settings")
    store = get_store(actor.store_id)
    before = settings_of(store)
    merged = before.model_dump() | changes
    new = parse(StoreSettings, merged)
    Store.update(settings=new.model_dump()).where(Store.id == store.id).execute()
    audit.record(actor, "store.settings", "store", store.id, before=before.model_dump(),
                 after=new.model_dump())
    return new


@transactional
def update_store(actor: Actor, data: dict[str, Any]) -> Store:
    require(actor, "store.settings")
    store = get_store(actor.store_id)
    new = parse(StoreInput, {"code": store.code} | data)
    before = {"name_zh": store.name_zh, "name_en": store.name_en,
              "opening_time": store.opening_time, "timezone": store.timezone}
    after = new.model_dump(exclude={"code"})
    Store.update(**after).where(Store.id == store.id).execute()
    audit.record(actor, "store.update", "store", store.id, before=before, after=after)
    return get_store(store.id)


def ensure_terminal(store: Store, code: str) -> Terminal:
    """The terminal row for *code* (created on first use)."""
    term = Terminal.get_or_none(Terminal.store == store, Terminal.code == code)
    if term is None:
        from storepos.db import transaction

        with transaction():
            term = Terminal.get_or_none(Terminal.store == store, Terminal.code == code)
            if term is None:
                term = Terminal.create(store=store, code=code, created_at=clock.now())
                audit.record(None, "terminal.register", "terminal", term.id, after={"code": code},
                             store_id=store.id, terminal=code)
    return term


__all__ = ["DomainError", "StoreInput", "StoreSettings", "business_date", "ensure_terminal",
           "first_store", "get_store", "opening_datetime_local", "settings_of", "update_settings",
           "update_store"]
