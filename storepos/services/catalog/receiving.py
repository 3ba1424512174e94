"""Receiving (入库): goods in from a delivery, each line into its batch when it has a code or an
expiry date, all lines or none."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from storepos.db import transactional
from storepos.i18n import t
from storepos.services.catalog.ledger import MoveResult, apply_move, product_of
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, parse
from storepos.services.core.numbers import WholeNumber
from storepos.services.core.permissions import require
from storepos.services.core.store import business_date, get_store


class ReceiveLine(BaseModel):
    """One line of a delivery as typed: product, quantity, batch code, expiry date."""

    model_config = ConfigDict(str_strip_whitespace=True)

    product_id: int
    qty: WholeNumber = Field(ge=1, le=1_000_000)
    batch: str = Field("", max_length=40)
    expiry: dt.date | None = None

    @field_validator("expiry", mode="before")
    @classmethod
    def _blank_date(cls, value: Any) -> Any:
        # What a date on a carton looks like: 2026/03/02, 2026.03.02 or 20260302.
        if isinstance(value, str):
            value = value.strip().replace("/", "-").replace(".", "-")
            if not value:
                return None
            if len(value) == 8 and value.isdigit():
                value = f"{value[:4]}-{value[4:6]}-{value[6:]}"
        return value


def parse_receive_line(actor: Actor, data: dict[str, Any]) -> ReceiveLine:
    """Check one line as typed (qty, batch, expiry); raises DomainError with the field
    (err.expiry_past for an expiry before the business date)."""
    line = parse(ReceiveLine, data)
    if line.expiry is not None:
        today = business_date(get_store(actor.store_id))
        if line.expiry < today:
            raise DomainError("err.expiry_past", field="expiry", date=line.expiry.isoformat())
    return line


def _parse_lines(actor: Actor, lines: list[dict[str, Any]]) -> list[ReceiveLine]:
    parsed = []
    for i, data in enumerate(lines, 1):
        try:
            parsed.append(parse_receive_line(actor, data))
        except DomainError as exc:
            exc.params.setdefault("line", i)
            raise
    return parsed


@transactional
def receive(actor: Actor, lines: list[dict[str, Any]], ref: str = "") -> list[MoveResult]:
    """Goods in (入库): each line adds qty to stock (into its batch when it has a batch code or an
    expiry date).  All lines or none.  A DomainError names the line (params ``line`` 1-based).

    Raises PermissionDenied, DomainError (err.too_long for the reference, err.receive_empty,
    a line's error) and NotFound for a product of another store."""
    require(actor, "stock.receive")
    ref = (ref or "").strip()
    if len(ref) > 120:
        raise DomainError("err.too_long", field="ref", limit=120)
    if not lines:
        raise DomainError("err.receive_empty")
    parsed = _parse_lines(actor, lines)
    results = []
    for line in parsed:
        product_of(actor, line.product_id)
        results.append(apply_move(actor, line.product_id, line.qty, "receive", ref or t("stock.ref_receive"),
                                  batch=line.batch or None, expiry=line.expiry))
    audit.record(actor, "stock.receive", "stock_move", results[0].moves[0], after={
        "ref": ref, "lines": [{"product": ln.product_id, "qty": ln.qty, "batch": ln.batch,
                                "expiry": ln.expiry.isoformat() if ln.expiry else None} for ln in parsed]})
    return results
