"""The customer's needs, checked by the kinds of fixtures/sop/needs.toml: text, int, money, date.

The budget is kept in its own column (in fen) so reports can sum it; every other need is stored
under its field code.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from storepos.db import transactional
from storepos.models import Visit
from storepos.money import MoneyError, parse_amount, to_fen
from storepos.services.core import audit, sop
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError
from storepos.services.core.numbers import parse_whole
from storepos.services.core.store import business_date, get_store
from storepos.services.visits.codes import needs_fields
from storepos.services.visits.dates import parse_day
from storepos.services.visits.steps import mark_step
from storepos.services.visits.visits import open_visit, touch


def _clean_value(code: str, entry: sop.Entry, text: str, today: dt.date) -> Any:
    """One need as stored, by its field's kind (money in fen).  Raises DomainError(field=code)."""
    kind = entry.get("kind", "text")
    if len(text) > 500:
        raise DomainError("err.too_long", field=code, limit=500)
    if kind == "int":
        value = parse_whole(text, field=code)
        if not 1 <= value <= 1_000_000:
            raise DomainError("err.visit_quantity_range", field=code)
        return value
    if kind == "money":
        try:
            return to_fen(parse_amount(text))
        except MoneyError as exc:
            raise DomainError(exc.args[0], field=code) from None
    if kind == "date":
        day = parse_day(text, today)
        if day is not None and day < today:
            raise DomainError("err.visit_date_past", field=code)
        return day.isoformat() if day else text
    return text


def clean_needs(data: dict[str, Any], today: dt.date) -> tuple[dict[str, Any], int | None]:
    """Validate needs by the kinds of fixtures/sop/needs.toml: text, int, money, date.

    Returns (needs dict without budget, budget fen or None).  Empty values are left out.
    A "date" field takes a date (stored ISO) or, when it is not one, free text such as "三个月内".
    Raises DomainError(field=<field code>)."""
    fields = {e.code: e for e in needs_fields()}
    unknown = set(data) - set(fields)
    if unknown:
        raise DomainError("err.visit_bad_need", field=sorted(unknown)[0])
    out: dict[str, Any] = {}
    budget: int | None = None
    for code, entry in fields.items():
        raw = data.get(code)
        if raw is None:
            continue
        text = " ".join(unicodedata.normalize("NFKC", str(raw)).split())
        if not text:
            continue
        value = _clean_value(code, entry, text, today)
        if code == "budget" and entry.get("kind", "text") == "money":
            budget = value
        else:
            out[code] = value
    return out, budget


def check_needs(actor: Actor, data: dict[str, Any]) -> None:
    """Check needs as typed without writing anything: DomainError(field=code) on the first bad one."""
    clean_needs(data, business_date(get_store(actor.store_id)))


@transactional
def set_needs(actor: Actor, visit_id: int, data: dict[str, Any], *, done: bool = True) -> Visit:
    """Record the needs (field code -> what was typed).  All or nothing: a bad field raises
    DomainError(field=code) and nothing is written.  done=False saves a draft."""
    v = open_visit(actor, visit_id)
    needs, budget = clean_needs(data, business_date(get_store(actor.store_id)))
    changes: dict[str, Any] = {"needs": needs, "budget": budget}
    if done:
        changes |= mark_step(v, "needs", done=True) | {"step": "outcome"}
    before = {"needs": v.needs, "budget": v.budget}
    v = touch(v, **changes)
    if before != {"needs": needs, "budget": budget} or done:
        audit.record(actor, "visit.needs", "visit", v.id, before=before, after={"needs": needs, "budget": budget})
    return v
