"""Price authority: what on a quote goes further below list price than the salesperson's
discount authority, or below the product's floor price (a *violation*), and the manager's
approval that covers it down to the total it was approved at.  A quote with an uncovered
violation cannot be given."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from storepos.db import transactional
from storepos.i18n import t
from storepos.models import Approval, Quote, QuoteLine
from storepos.money import fmt
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound
from storepos.services.core.permissions import require
from storepos.services.quotes.reading import get, line_name, lines_of
from storepos.services.quotes.sums import percent_off


@dataclass(frozen=True)
class Violation:
    """Something the actor may not offer without a manager: kind is an approvals kind."""

    kind: str  # "discount" | "price_floor"
    line_id: int | None  # None: the whole quote
    sku: str
    name: str
    total: int  # fen, the amount to be approved
    percent_off: Decimal
    floor_total: int

    @property
    def why(self) -> str:
        what = self.name if self.line_id is not None else t("quote.whole_quote")
        if self.kind == "price_floor":
            return t("quote.why_floor", what=what, total=fmt(self.total, fen=True),
                     floor=fmt(self.floor_total, fen=True))
        return t("quote.why_discount", what=what, percent=f"{self.percent_off:g}",
                 total=fmt(self.total, fen=True))

    @property
    def detail(self) -> dict[str, Any]:
        return {"line_id": self.line_id, "sku": self.sku, "total": self.total,
                "percent_off": str(self.percent_off), "floor_total": self.floor_total}


def violations(quote_id: int, authority: int) -> list[Violation]:
    """What on the quote goes beyond *authority* (percent) or below floor and is not yet covered
    by a manager's approval (approved at a total at or below today's)."""
    quote = Quote.get_by_id(quote_id)
    out: list[Violation] = []
    floor_sum = 0
    for line in lines_of(quote_id):
        floor_total = line.floor_price * line.qty
        floor_sum += floor_total
        off = percent_off(line.list_price * line.qty, line.total)
        below_floor = line.total < floor_total
        if not below_floor and off <= authority:
            continue
        if line.approved_total is not None and line.total >= line.approved_total:
            continue
        out.append(Violation("price_floor" if below_floor else "discount", line.id, line.sku,
                             line_name(line), line.total, off, floor_total))
    if quote.discount > 0:
        off = percent_off(quote.list_total, quote.total)
        below_floor = quote.total < floor_sum
        covered = quote.approved_total is not None and quote.total >= quote.approved_total
        if (below_floor or off > authority) and not covered:
            out.append(Violation("price_floor" if below_floor else "discount", None, "", "",
                                 quote.total, off, floor_sum))
    return out


@transactional
def attach_approval(actor: Actor, quote_id: int, approval_id: int, *, line_id: int | None = None) -> None:
    """Let a manager's approval (granted for this quote) cover a line, or the whole quote when
    *line_id* is None, down to its present total.  Raises DomainError when the approval is not
    one for this quote."""
    require(actor, "quote.use")
    quote = get(actor, quote_id)
    approval = Approval.get_or_none(Approval.id == approval_id, Approval.store == actor.store_id)
    if approval is None or approval.kind not in ("discount", "price_floor") or approval.entity != "quote" \
            or approval.entity_id != str(quote.id):
        raise DomainError("err.quote_bad_approval")
    if line_id is None:
        Quote.update(approval=approval.id, approved_total=quote.total).where(Quote.id == quote.id).execute()
        covered = quote.total
    else:
        line = QuoteLine.get_or_none(QuoteLine.id == line_id, QuoteLine.quote == quote.id)
        if line is None:
            raise NotFound("err.quote_line_not_found")
        QuoteLine.update(approval=approval.id, approved_total=line.total).where(QuoteLine.id == line.id).execute()
        covered = line.total
    audit.record(actor, "quote.approval", "quote", quote.id,
                 after={"approval": approval.id, "kind": approval.kind, "line": line_id, "total": covered})
