"""Revisions: editing a quote that was given makes the next revision (a draft again until given
again); the given one stays as a QuoteRevision snapshot, so the customer's earlier offers
remain readable and a diff shows what changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from storepos.i18n import t
from storepos.models import Quote, QuoteLine, QuoteRevision
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound
from storepos.services.core.permissions import require
from storepos.services.core.store import business_date, get_store, settings_of
from storepos.services.quotes.reading import audit_view, line_name, lines_of

EDITABLE = ("draft", "given")  # a given quote becomes the next revision when edited


def ready_to_edit(actor: Actor, quote: Quote) -> Quote:
    """The quote ready for a change: a given one becomes the next revision (draft again).
    Raises DomainError when its status allows no change (accepted, converted, closed)."""
    require(actor, "quote.use")
    if quote.status not in EDITABLE:
        raise DomainError("err.quote_not_editable", status=t(f"quote.status.{quote.status}"))
    if quote.status == "given":
        before = audit_view(quote)
        store = get_store(quote.store_id)
        quote.revision += 1
        quote.status = "draft"
        # A new offer: its validity runs from today again.
        quote.valid_until = max(quote.valid_until, business_date(store) + dt.timedelta(
            days=settings_of(store).quote_valid_days))
        quote.save()
        audit.record(actor, "quote.revise", "quote", quote.id, before=before, after=audit_view(quote))
    return quote


def snapshot_line(line: QuoteLine) -> dict[str, Any]:
    """A line as a revision keeps it (and as the audit log records a removed line)."""
    return {"product_id": line.product_id, "sku": line.sku, "name_zh": line.name_zh,
            "name_en": line.name_en, "unit": line.unit, "qty": line.qty, "list_price": line.list_price,
            "unit_price": line.unit_price, "discount_pct": line.discount_pct, "total": line.total,
            "approval_id": line.approval_id}


@dataclass(frozen=True)
class LineChange:
    kind: str  # added | removed | changed
    sku: str
    name: str
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field -> (before, after)


def revision_numbers(quote_id: int) -> list[int]:
    """Revisions that can be shown: every given one, plus the current one."""
    quote = Quote.get_by_id(quote_id)
    nums = [r.revision for r in QuoteRevision.select(QuoteRevision.revision)
            .where(QuoteRevision.quote == quote_id).order_by(QuoteRevision.revision)]
    if quote.revision not in nums:
        nums.append(quote.revision)
    return nums


def revision_lines(quote_id: int, revision: int) -> tuple[list[dict[str, Any]], int, int]:
    """(lines, discount, total) of a revision: its snapshot, or the live lines for the current one."""
    snap = QuoteRevision.get_or_none(QuoteRevision.quote == quote_id, QuoteRevision.revision == revision)
    quote = Quote.get_by_id(quote_id)
    if snap is not None and not (revision == quote.revision and quote.status == "draft"):
        return list(snap.lines), snap.discount, snap.total
    if revision != quote.revision:
        raise NotFound("err.quote_revision_not_found", revision=revision)
    return [snapshot_line(r) for r in lines_of(quote_id)], quote.discount, quote.total


def diff(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[LineChange]:
    """What changed between two revisions' lines: price, discount, quantity; added/removed lines."""
    old = {ln["product_id"]: ln for ln in before}
    new = {ln["product_id"]: ln for ln in after}
    out: list[LineChange] = []
    for pid, ln in new.items():
        if pid not in old:
            out.append(LineChange("added", ln["sku"], line_name(ln)))
            continue
        prev = old[pid]
        changes = {k: (prev[k], ln[k]) for k in ("qty", "unit_price", "discount_pct", "total") if prev[k] != ln[k]}
        if changes:
            out.append(LineChange("changed", ln["sku"], line_name(ln), changes))
    for pid, ln in old.items():
        if pid not in new:
            out.append(LineChange("removed", ln["sku"], line_name(ln)))
    return out


def diff_revisions(quote_id: int, old: int, new: int) -> tuple[list[LineChange], tuple[int, int], tuple[int, int]]:
    """Line changes between revisions *old* and *new*, plus (discount before, after) and (total before, after)."""
    a, da, ta = revision_lines(quote_id, old)
    b, db_, tb = revision_lines(quote_id, new)
    return diff(a, b), (da, db_), (ta, tb)
