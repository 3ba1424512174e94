"""What each step of the visit screen shows: (a) the signal, (b) the greeting standard, (c) the
products shown, (d) the outcome, and the summary of a finished visit.

Each function builds a ``rich.text.Text`` from the visit; SOP entries, product and customer names
are data: they go in through ``safe`` and are never parsed as markup."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from storepos import clock
from storepos.i18n import pick, t
from storepos.money import fmt
from storepos.services import visits
from storepos.services.core import sop
from storepos.services.visits import VISIT_STEPS
from storepos.ui.kit.text import safe

STEP_LETTERS = dict(zip(VISIT_STEPS, "abcd", strict=True))


def who(c: Any | None) -> str:
    """The visit's customer as the head names them."""
    if c is None:
        return t("visit.no_customer")
    return f"{c.name} ({c.number} · {c.phone})"


def head(started: str, customer: Any | None) -> Text:
    return Text.assemble((t("visit.title", time=started), "bold"), "  ",
                         safe(t("visit.customer", who=who(customer))))


def steps(v: Any, current: str) -> Text:
    out = Text()
    for i, s in enumerate(VISIT_STEPS):
        if i:
            out.append(" › ", style="dim")
        mark = " ✓" if s in v.done else (" ⤼" if s in v.skipped else "")
        style = "bold reverse" if s == current else ("dim" if s in v.skipped else "")
        out.append(f"{STEP_LETTERS[s]} {t('visit.step_' + s)}{mark}", style=style)
    return out


def _chosen_tip(v: Any, out: Text) -> None:
    chosen = next((e for e in visits.signals() if e.code == v.signal), None)
    if chosen is not None and chosen.tip:
        out.append(safe(chosen.tip, lines=True, style="bold"))
        out.append("\n\n")


def signal(v: Any) -> tuple[Text, Text]:
    """The signals to choose from (1-8) and the tips beside them."""
    text = Text(t("visit.signal_prompt") + "\n", style="bold")
    for e in visits.signals():
        chosen = e.code == v.signal
        text.append(f"{'●' if chosen else ' '} {e.get('key')} ", style="bold")
        text.append(safe(e.label, style="reverse" if chosen else ""))
        text.append("\n")
    tips = Text()
    _chosen_tip(v, tips)
    for e in sop.entries("approach", "tips"):
        tips.append("· ")
        tips.append(safe(e.label))
        tips.append("\n")
    return text, tips


def greeting(v: Any) -> tuple[Text, Text]:
    """The greeting standards (letters toggle them) and the tips beside them."""
    met = v.greeting or []
    text = Text(t("visit.greeting_prompt") + "\n", style="bold")
    for e in visits.greeting_standards():
        on_ = e.code in met
        text.append(f"[{'x' if on_ else ' '}] {e.get('key')} ", style="bold")
        text.append(safe(e.label, style="green" if on_ else ""))
        text.append("\n")
    text.append(t("visit.greeting_count", met=len(met), total=len(visits.greeting_standards())), style="dim")
    text.append("\n" + t("visit.greeting_all_hint"), style="dim")
    tips = Text()
    _chosen_tip(v, tips)
    for e in visits.greeting_standards():
        if e.tip:
            tips.append(safe(e.tip, lines=True))
            tips.append("\n\n")
    tips.append(t("visit.service_standard") + " ", style="bold")
    tips.append(safe("、".join(e.label for e in sop.entries("approach", "service_standards"))))
    tips.append("\n")
    tips.append(t("visit.avoid") + " ", style="bold")
    tips.append(safe("、".join(e.label for e in sop.entries("approach", "avoid"))))
    return text, tips


def products(v: Any) -> Text:
    """The products shown so far (names exactly as typed)."""
    out = Text()
    for p in visits.products_shown(v.id):
        out.append(safe(f"· {p.sku}  {pick(p.name_zh, p.name_en)}  {fmt(p.price, fen=True)}"))
        out.append("\n")
    if not out:
        out.append(t("visit.no_products"), style="dim")
    return out


def outcome(mode: str) -> Text:
    """The outcomes (letters), or the reasons for leaving (numbers) after L."""
    text = Text()
    if mode == "reason":
        text.append(t("visit.reason_prompt") + "\n", style="bold")
        for i, e in enumerate(visits.leave_reasons(), 1):
            text.append(f"  {i} ", style="bold")
            text.append(safe(e.label))
            text.append("\n")
        return text
    text.append(t("visit.outcome_prompt") + "\n", style="bold")
    for e in visits.outcomes():
        text.append(f"  {e.get('key')} ", style="bold")
        text.append(safe(e.label))
        text.append("\n")
    if mode == "date":
        text.append(t("visit.date_prompt"), style="bold")
    return text


def done(v: Any, tz: str) -> Text:
    """The summary of a finished visit."""
    out = Text()

    def row(label_key: str, value: str) -> None:
        out.append(f"{t(label_key)}: ", style="bold")
        out.append(safe(value or "—"))
        out.append("\n")

    row("visit.outcome", visits.summary(v))
    row("visit.signal", visits.label("approach", "signals", v.signal))
    met = [visits.label("approach", "greeting", c) for c in v.greeting or []]
    row("visit.greeting", f"{len(met)}/{len(visits.greeting_standards())} " + "、".join(met))
    needs = []
    for e in visits.needs_fields():
        if e.code == "budget" and v.budget is not None:
            needs.append(f"{e.label} {fmt(v.budget, fen=True)}")
        elif e.code in (v.needs or {}):
            needs.append(f"{e.label} {v.needs[e.code]}")
    row("visit.needs", "；".join(needs))
    row("visit.products_shown", "、".join(p.sku for p in visits.products_shown(v.id)))
    row("visit.skipped", "、".join(t("visit.step_" + s) for s in v.skipped))
    secs = visits.seconds_to_approach(v)
    row("visit.time_to_approach", t("visit.seconds", n=secs) if secs is not None else "")
    dur = visits.duration_seconds(v)
    ended = clock.to_local(v.ended_at, tz).strftime("%H:%M") if v.ended_at else ""
    row("visit.duration", t("visit.minutes", n=round(dur / 60), ended=ended) if dur is not None else "")
    out.append("\n" + t("visit.done_hint"), style="dim")
    return out
