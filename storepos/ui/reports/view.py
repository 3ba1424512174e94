"""The manager's desk figures as rich renderables, shared by the screens and `storepos report`
(no Textual widgets here: the CLI prints them without starting the app).  Fits 80 columns.

Data is never markup: every name, receipt, reason and label goes in as a ``Text`` (kit ``safe``),
amounts as ¥ with two decimals, right-aligned (kit ``money``)."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.cells import cell_len, set_cell_size
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from storepos.i18n import t
from storepos.money import fmt
from storepos.services import reports
from storepos.services.reports import ApprovalRow, DailyReport, DayPoint, Funnel, StaffReport
from storepos.ui.kit.text import clean, safe
from storepos.ui.kit.text import money as money_cell

DASH = reports.DASH
LIST_LIMIT = 40  # rows of a list shown on screen (the CSV has them all)


def money(fen: int | None) -> str:
    return DASH if fen is None else fmt(fen, fen=True)


def cash(fen: int | None, style: str = "") -> Text:
    """An amount in fen as a cell: ¥ with two decimals, right-aligned (— when there is none)."""
    return money_cell(fen, fen=True, style=style)


def cells(*values: object) -> list[Text]:
    """Table cells: data shown exactly as typed (a Text stays as it is)."""
    return [safe(v) for v in values]


def _row(tb: Table, *values: object) -> None:
    tb.add_row(*cells(*values))


def pct(x: float | None) -> str:
    return DASH if x is None else f"{x * 100:.1f}%"


def secs(s: int | None) -> str:
    if s is None:
        return DASH
    return f"{s // 60}:{s % 60:02d}" if s >= 60 else f"{s}s"


def _table(title: str | None = None, **kw: Any) -> Table:
    return Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, pad_edge=False,
                 padding=(0, 1), show_edge=False, **kw)


def period_text(p: reports.Period) -> str:
    if p.date_from == p.date_to:
        return p.date_from.isoformat()
    return t("report.range", date_from=p.date_from.isoformat(), date_to=p.date_to.isoformat(), days=p.days)


def daily_summary(r: DailyReport) -> Table:
    tb = _table(t("report.summary"))
    tb.add_column("")
    tb.add_column(t("report.col_count"), justify="right")
    tb.add_column(t("report.col_amount"), justify="right")
    _row(tb, t("report.sales"), str(r.sales_count), cash(r.sales_amount))
    _row(tb, t("report.returns"), str(r.returns_count), cash(r.returns_amount))
    _row(tb, Text(t("report.net"), style="bold"), "", cash(r.net_amount, style="bold"))
    _row(tb, t("report.voids"), str(r.voids_count), cash(r.voids_amount))
    _row(tb, t("report.discounts"), str(r.discount_count), cash(r.discount_total))
    _row(tb, t("report.vat"), "", cash(r.vat))
    _row(tb, t("report.items"), str(r.items), "")
    _row(tb, t("report.overrides"), str(r.overrides_count), "")
    return tb


def daily_methods(r: DailyReport) -> Table:
    tb = _table(t("report.by_method"))
    tb.add_column(t("report.col_method"))
    for key in ("sale", "balance", "refund", "void"):
        tb.add_column(t(f"report.col_{key}"), justify="right")
    tb.add_column(t("report.col_net"), justify="right")
    for m in r.by_method:
        _row(tb, m.label, cash(m.sale), cash(m.balance), cash(m.refund), cash(m.void), cash(m.net))
    _row(tb, Text(t("report.total"), style="bold"), "", "", "", "", cash(r.method_total, style="bold"))
    return tb


def daily_categories(r: DailyReport) -> Table:
    tb = _table(t("report.by_category"))
    tb.add_column(t("report.col_category"))
    tb.add_column(t("report.col_qty"), justify="right")
    tb.add_column(t("report.col_amount"), justify="right")
    for c in r.by_category:
        _row(tb, c.label, str(c.qty), cash(c.amount))
    _row(tb, Text(t("report.total"), style="bold"), str(r.items), cash(sum(c.amount for c in r.by_category), style="bold"))
    return tb


def daily_discounts(r: DailyReport) -> RenderableType:
    tb = _table(t("report.discounts_given"))
    tb.add_column(t("report.col_staff"))
    tb.add_column(t("report.col_approver"))
    tb.add_column(t("report.col_count"), justify="right")
    tb.add_column(t("report.col_amount"), justify="right")
    for g in r.discounts_by_staff:
        _row(tb, g.staff, g.approver or t("report.within_authority"), str(g.count), cash(g.amount))
    approved = [d for d in r.discounts if d.approver]
    if not approved:
        return tb
    lst = _table(t("report.approved_discounts"))
    lst.add_column(t("report.col_receipt"), no_wrap=True)
    lst.add_column(t("report.col_staff"))
    lst.add_column(t("report.col_approver"))
    lst.add_column(t("report.col_amount"), justify="right")
    lst.add_column(t("report.col_reason"))
    for d in approved[:LIST_LIMIT]:
        _row(lst, d.receipt, d.staff, d.approver, cash(d.amount), d.reason)
    items: list[RenderableType] = [tb, lst]
    if len(approved) > LIST_LIMIT:
        items.append(Text(t("report.more_in_csv", n=len(approved) - LIST_LIMIT), style="dim"))
    return Group(*items)


def daily_overrides(r: DailyReport) -> Table:
    tb = _table(t("report.overrides"))
    tb.add_column(t("report.col_kind"))
    tb.add_column(t("report.col_count"), justify="right")
    for _kind, label, n in r.overrides:
        _row(tb, label, str(n))
    if not r.overrides:
        _row(tb, Text(t("report.none"), style="dim"), "")
    return tb


def daily_sessions(r: DailyReport) -> Table:
    tb = _table(t("report.registers"))
    tb.add_column(t("report.col_terminal"), no_wrap=True)
    tb.add_column(t("report.col_closed_by"))
    tb.add_column(t("report.col_expected"), justify="right")
    tb.add_column(t("report.col_counted"), justify="right")
    tb.add_column(t("report.col_difference"), justify="right")
    for s in r.sessions:
        diff = cash(s.difference, style="bold red" if s.difference else "")
        who = safe(s.closed_by) if s.closed_by else Text(t("report.still_open"), style="yellow")
        if s.approver:
            diff.append(f" ✓{clean(s.approver)}", style="dim")
        _row(tb, f"{s.terminal} {s.opened_at:%m-%d %H:%M}", who, cash(s.expected), cash(s.counted), diff)
    if not r.sessions:
        _row(tb, Text(t("report.none"), style="dim"), "", "", "", "")
    return tb


def daily_credit(r: DailyReport) -> Table:
    tb = _table(t("report.deposits_and_credit"))
    tb.add_column("")
    tb.add_column(t("report.col_count"), justify="right")
    tb.add_column(t("report.col_amount"), justify="right")
    _row(tb, t("report.deposits"), str(r.deposit_count), cash(r.deposit_taken))
    _row(tb, t("report.balance_due"), str(r.due_count), cash(r.due_amount))
    _row(tb, t("report.balances_collected"), "", cash(r.balances_collected))
    _row(tb, t("report.receivables"), str(len(r.receivables)), cash(r.receivables_amount))
    for rec in r.receivables[:LIST_LIMIT]:
        _row(tb, Text(f"  {clean(rec.receipt)} {clean(rec.customer)}", style="dim"), rec.due_date.isoformat(), cash(rec.amount))
    return tb


def daily_all(r: DailyReport) -> list[RenderableType]:
    return [daily_summary(r), daily_methods(r), daily_categories(r), daily_discounts(r), daily_overrides(r),
            daily_sessions(r), daily_credit(r)]


def funnel_table(f: Funnel) -> Table:
    tb = _table(t("report.funnel_title"))
    tb.add_column(t("report.col_staff"))
    for key in ("visits", "needs", "quoted", "sold", "conversion", "approach", "duration"):
        tb.add_column(t(f"report.col_{key}"), justify="right")

    def add(r: reports.FunnelRow, style: str = "") -> None:
        _row(tb, safe(r.name, style=style), str(r.visits), str(r.needs), str(r.quoted), str(r.sold),
                   pct(r.conversion), secs(r.approach_avg), secs(r.duration_avg))

    for r in f.rows:
        add(r)
    add(f.total, "bold")
    return tb


def funnel_reasons(f: Funnel) -> Table:
    tb = _table(t("report.leave_reasons"))
    tb.add_column(t("report.col_reason"))
    tb.add_column(t("report.col_count"), justify="right")
    tb.add_column("", no_wrap=True)
    top = max((n for _c, _l, n in f.leave_reasons), default=0)
    for _code, label, n in f.leave_reasons:
        _row(tb, label, str(n), bar(n, top, 20))
    if not f.leave_reasons:
        _row(tb, Text(t("report.none"), style="dim"), "", "")
    return tb


def staff_table(s: StaffReport) -> Table:
    tb = _table()
    for key, justify in (("rank", "right"), ("staff", "left"), ("net", "right"), ("count", "right"),
                         ("avg_ticket", "right"), ("conversion", "right"), ("satisfaction", "right"),
                         ("checklist", "right"), ("followups", "right"), ("overrides", "right")):
        tb.add_column(t(f"report.col_{key}"), justify=justify)  # type: ignore[arg-type]
    for r in s.rows:
        _row(tb, str(r.rank), r.name, cash(r.net_amount), str(r.sales_count), cash(r.avg_ticket),
                   pct(r.conversion), r.extra_text("satisfaction"),
                   f"{r.checklist_on_time}/{r.checklist_submitted}" if r.checklist_submitted else DASH,
                   r.extra_text("followups_on_time"), str(r.overrides))
    return tb


def staff_notes(s: StaffReport) -> Text:
    text = Text(t("report.store_checklist", days=s.store_checklist_days, submitted=s.store_checklist_submitted,
                  on_time=s.store_checklist_on_time), style="dim")
    text.append("\n" + t("report.aftersales_missing"), style="dim italic")
    return text


def approvals_table(rows: list[ApprovalRow], limit: int | None = None) -> Table:
    tb = _table()
    tb.add_column(t("report.col_at"), no_wrap=True)
    tb.add_column(t("report.col_kind"))
    tb.add_column(t("report.col_asked"))
    tb.add_column(t("report.col_approver"))
    tb.add_column(t("report.col_record"), no_wrap=True)
    tb.add_column(t("report.col_reason"))
    for a in rows[:limit] if limit else rows:
        _row(tb, f"{a.at:%m-%d %H:%M}", a.kind_label, a.requested_by, a.approved_by, a.record, a.reason)
    return tb


def bar(value: float, top: float, width: int) -> str:
    """A horizontal bar of eighth-blocks: *value* of *top* over *width* cells."""
    if top <= 0 or value <= 0:
        return ""
    eighths = round(value / top * width * 8)
    full, part = divmod(max(eighths, 1), 8)
    return "█" * full + ("" if not part else " ▏▎▍▌▋▊▉"[part])


def staff_bars(s: StaffReport, width: int = 30) -> Text:
    """One bar per staff member: net sales (and conversion)."""
    text = Text()
    top = max((r.net_amount for r in s.rows), default=0)
    name_w = min(max((cell_len(clean(r.name)) for r in s.rows), default=4), 14)
    for r in s.rows:
        name = set_cell_size(clean(r.name), name_w)
        text.append(f"{name} ", style="bold")
        text.append(f"{bar(r.net_amount, top, width):<{width}}", style="green")
        text.append(f" {money(r.net_amount):>13} {pct(r.conversion):>6}\n")
    return text


def series_caption(points: list[DayPoint]) -> str:
    total = sum(p.net_amount for p in points)
    visits = sum(p.visits for p in points)
    sold = sum(p.sold_visits for p in points)
    best = max(points, key=lambda p: p.net_amount) if points else None
    return t("report.chart_caption", days=len(points), total=money(total),
             conversion=pct(sold / visits if visits else None),
             best=f"{best.day:%m-%d} {money(best.net_amount)}" if best and best.net_amount else DASH)
