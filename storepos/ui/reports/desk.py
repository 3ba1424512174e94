"""The manager's desk (SOP §9): daily report, conversion funnel, staff performance with drill-down,
approvals log and the last 30 days in pictures; every view exports the same CSV as the CLI.

d daily · f funnel · s staff · a approvals · c chart · ←/→ previous/next day (or period) ·
r choose a range · t today · e export CSV · Enter on a staff row: their sales."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Sparkline, Static

from storepos.i18n import t
from storepos.services import reports
from storepos.services.core.errors import DomainError, PermissionDenied
from storepos.services.core.store import business_date, get_store
from storepos.ui.reports import view
from storepos.ui.kit.screen import StoreposModal, StoreposScreen
from storepos.ui.kit.form import FormField

MODES = ("daily", "funnel", "staff", "approvals", "chart")
RANGE_DAYS = 30


class RangeForm(StoreposModal):
    """Choose a period: from and to (YYYY-MM-DD); dismissed with (from, to) or None."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel")]

    def __init__(self, date_from: dt.date, date_to: dt.date) -> None:
        super().__init__()
        self.date_from, self.date_to = date_from, date_to

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Static(t("desk.range_title"), classes="title")
            yield FormField("desk.range_from", Input(self.date_from.isoformat(), id="from", max_length=10),
                            name="from")
            yield FormField("desk.range_to", Input(self.date_to.isoformat(), id="to", max_length=10), name="to")
            yield Static(t("desk.range_hint"), classes="hint")
            yield Static("", id="message")

    def on_mount(self) -> None:
        self.query_one("#from", Input).focus()

    @on(Input.Submitted, "#from")
    def _next(self) -> None:
        self.query_one("#to", Input).focus()

    @on(Input.Submitted, "#to")
    def _save(self) -> None:
        self.clear_errors()
        try:
            period = reports.parse_range(self.query_one("#from", Input).value, self.query_one("#to", Input).value)
        except DomainError as exc:
            self.show_error(exc)
            return
        self.dismiss(period)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ManagerDeskScreen(StoreposScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "key.back"),
        Binding("d", "mode('daily')", "desk.key_daily"),
        Binding("f", "mode('funnel')", "desk.key_funnel"),
        Binding("s", "mode('staff')", "desk.key_staff"),
        Binding("a", "mode('approvals')", "desk.key_approvals"),
        Binding("c", "mode('chart')", "desk.key_chart"),
        Binding("left", "shift(-1)", "desk.key_prev", priority=True),
        Binding("right", "shift(1)", "desk.key_next", priority=True),
        Binding("r", "range", "desk.key_range"),
        Binding("t", "today", "desk.key_today", show=False),
        Binding("e", "export", "desk.key_export"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.mode = "daily"
        self.day: dt.date | None = None
        self.range_from: dt.date | None = None
        self.range_to: dt.date | None = None
        self.staff_rows: list[reports.StaffRow] = []
        self.approval_rows: list[reports.ApprovalRow] = []
        self.csv_rows: list[list[str]] = []

    def compose_body(self) -> ComposeResult:
        yield Static("", classes="title", id="desk-head")
        with VerticalScroll(id="desk-scroll"):
            yield Static("", id="desk-report")
        yield DataTable(id="desk-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="desk-chart"):
            yield Static("", id="chart-sales-label", classes="section-title")
            yield Sparkline([], id="chart-sales", summary_function=max)
            yield Static("", id="chart-conv-label", classes="section-title")
            yield Sparkline([], id="chart-conv", summary_function=max)
            yield Static("", id="chart-caption", classes="hint")
            yield Static("", id="chart-staff-label", classes="section-title")
            yield Static("", id="chart-staff")
        yield Static("", id="desk-detail", classes="hint")
        yield Static("", id="message")

    def on_mount(self) -> None:
        try:
            reports.require_desk(self.actor)
        except PermissionDenied as exc:
            self.app.pop_screen()
            self.app.notify(exc.message, severity="error")
            return
        store_id = self.actor.store_id
        today = business_date(get_store(store_id))
        self.day = reports.default_day(store_id)
        self.range_to = today
        self.range_from = today - dt.timedelta(days=RANGE_DAYS - 1)
        self.action_mode("daily")

    # -- state --------------------------------------------------------------------------------

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        if self.mode == "daily":
            assert self.day is not None
            return self.day, self.day
        assert self.range_from is not None and self.range_to is not None
        return self.range_from, self.range_to

    def _head(self) -> None:
        d1, d2 = self.period
        if self.mode == "chart":
            d1 = d2 - dt.timedelta(days=RANGE_DAYS - 1)
        p = reports.period(self.actor.store_id, d1, d2)
        self.query_one("#desk-head", Static).update(f"{t(f'report.title_{self.mode}')} · {view.period_text(p)}")

    def action_mode(self, mode: str) -> None:
        if mode not in MODES or self.day is None:
            return
        self.mode = mode
        self.query_one("#desk-scroll").display = mode in ("daily", "funnel")
        self.query_one("#desk-table").display = mode in ("staff", "approvals")
        self.query_one("#desk-chart").display = mode == "chart"
        self.say("")
        self.load()

    def load(self) -> None:
        self._head()
        store_id = self.actor.store_id
        d1, d2 = self.period
        detail = self.query_one("#desk-detail", Static)
        detail.update("")
        if self.mode == "daily":
            r = reports.daily(store_id, d1, d2)
            self.csv_rows = reports.daily_csv(r)
            self.query_one("#desk-report", Static).update(Group(*view.daily_all(r)))
            self.query_one("#desk-scroll").focus()
        elif self.mode == "funnel":
            f = reports.funnel(store_id, d1, d2)
            self.csv_rows = reports.funnel_csv(f)
            self.query_one("#desk-report", Static).update(Group(view.funnel_table(f), view.funnel_reasons(f)))
            self.query_one("#desk-scroll").focus()
        elif self.mode == "staff":
            rep = reports.staff_performance(store_id, d1, d2)
            self.csv_rows = reports.staff_csv(rep)
            self.staff_rows = rep.rows
            self._staff_table(rep)
            detail.update(view.staff_notes(rep))
        elif self.mode == "approvals":
            self.approval_rows = reports.approvals_log(store_id, d1, d2)
            self.csv_rows = reports.approvals_csv(self.approval_rows)
            self._approvals_table()
        else:
            self._chart()

    def _staff_table(self, rep: reports.StaffReport) -> None:
        table = self.query_one("#desk-table", DataTable)
        table.clear(columns=True)
        for key in ("rank", "staff", "net", "count", "avg_ticket", "conversion", "satisfaction", "checklist",
                    "followups", "overrides"):
            table.add_column(t(f"report.col_{key}"), key=key)
        for r in rep.rows:
            table.add_row(str(r.rank), r.name, Text(view.money(r.net_amount), justify="right"),
                          Text(str(r.sales_count), justify="right"),
                          Text(view.money(r.avg_ticket), justify="right"), Text(view.pct(r.conversion), justify="right"),
                          r.extra_text("satisfaction"),
                          f"{r.checklist_on_time}/{r.checklist_submitted}" if r.checklist_submitted else view.DASH,
                          r.extra_text("followups_on_time"), Text(str(r.overrides), justify="right"),
                          key=str(r.staff_id))
        table.focus()

    def _approvals_table(self) -> None:
        table = self.query_one("#desk-table", DataTable)
        table.clear(columns=True)
        for key in ("at", "kind", "asked", "approver", "record"):
            table.add_column(t(f"report.col_{key}"), key=key)
        for a in self.approval_rows:
            table.add_row(f"{a.at:%m-%d %H:%M}", a.kind_label, a.requested_by, a.approved_by, a.record,
                          key=str(a.id))
        if not self.approval_rows:
            self.query_one("#desk-detail", Static).update(t("desk.no_approvals"))
        table.focus()
        self._show_approval()

    def _show_approval(self) -> None:
        table = self.query_one("#desk-table", DataTable)
        if self.mode != "approvals" or not self.approval_rows or table.cursor_row is None:
            return
        a = self.approval_rows[min(table.cursor_row, len(self.approval_rows) - 1)]
        self.query_one("#desk-detail", Static).update(t("desk.approval_detail", kind=a.kind_label, who=a.requested_by,
                                                        manager=a.approved_by, reason=a.reason, record=a.record))

    @on(DataTable.RowHighlighted, "#desk-table")
    def _highlighted(self) -> None:
        self._show_approval()

    def _chart(self) -> None:
        store_id = self.actor.store_id
        assert self.range_to is not None
        points = reports.daily_series(store_id, self.range_to, RANGE_DAYS)
        self.query_one("#chart-sales-label", Static).update(t("desk.chart_sales", peak=view.money(
            max((p.net_amount for p in points), default=0))))
        self.query_one("#chart-sales", Sparkline).data = [max(p.net_amount, 0) / 100 for p in points]
        self.query_one("#chart-conv-label", Static).update(t("desk.chart_conversion"))
        self.query_one("#chart-conv", Sparkline).data = [(p.conversion or 0) * 100 for p in points]
        self.query_one("#chart-caption", Static).update(view.series_caption(points))
        d1 = self.range_to - dt.timedelta(days=RANGE_DAYS - 1)
        rep = reports.staff_performance(store_id, d1, self.range_to)
        self.query_one("#chart-staff-label", Static).update(t("desk.chart_staff"))
        self.query_one("#chart-staff", Static).update(view.staff_bars(rep, 24))
        self.csv_rows = [["day", "sales_count", "net_amount", "visits", "sold_visits"]] + [
            [p.day.isoformat(), str(p.sales_count), reports.amount_text(p.net_amount), str(p.visits), str(p.sold_visits)]
            for p in points]
        self.query_one("#desk-chart").focus()

    # -- actions ------------------------------------------------------------------------------

    def action_shift(self, step: int) -> None:
        if self.day is None:
            return
        if self.mode == "daily":
            self.day += dt.timedelta(days=step)
        else:
            assert self.range_from is not None and self.range_to is not None
            span = (self.range_to - self.range_from).days + 1
            self.range_from += dt.timedelta(days=step * span)
            self.range_to += dt.timedelta(days=step * span)
        self.load()

    def action_today(self) -> None:
        if self.day is None:
            return
        today = business_date(get_store(self.actor.store_id))
        if self.mode == "daily":
            self.day = today
        else:
            self.range_from, self.range_to = today - dt.timedelta(days=RANGE_DAYS - 1), today
        self.load()

    def action_range(self) -> None:
        d1, d2 = self.period

        def done(result: Any) -> None:
            if not result:
                return
            self.range_from, self.range_to = result
            if self.mode == "daily" and result[0] == result[1]:
                self.day = result[0]
            elif self.mode == "daily":
                self.mode = "staff"
                self.action_mode("staff")
                return
            self.load()

        self.app.push_screen(RangeForm(d1, d2), done)

    def action_export(self) -> None:
        if not self.csv_rows:
            return
        d1, d2 = self.period
        if self.mode == "chart":
            d1 = d2 - dt.timedelta(days=RANGE_DAYS - 1)
        store = get_store(self.actor.store_id)
        path = reports.export_csv(self.csv_rows, self.sapp.settings.home, self.mode, store.code, d1, d2)
        self.say(t("desk.exported", path=str(path)))

    @on(DataTable.RowSelected, "#desk-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if self.mode != "staff" or event.row_key.value is None:
            return
        row = next((r for r in self.staff_rows if str(r.staff_id) == event.row_key.value), None)
        if row is not None:
            d1, d2 = self.period
            self.app.push_screen(StaffDrillScreen(row, d1, d2))

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        return [(t(f"report.title_{m}"), "", lambda m=m: self.action_mode(m)) for m in MODES]

    def relabel(self) -> None:
        super().relabel()
        self.load()


class StaffDrillScreen(StoreposScreen):
    """The records behind one staff member's figures: sales (default), returns, discounts, visits,
    visits that sold, overrides, checklist runs, surveys, follow-ups."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "key.back"),
        Binding("s", "figure('sales')", "desk.key_sales"),
        Binding("r", "figure('returns')", "desk.key_returns"),
        Binding("v", "figure('visits')", "desk.key_visits"),
        Binding("o", "figure('overrides')", "desk.key_overrides"),
        Binding("d", "figure('discounts')", "desk.key_discounts", show=False),
        Binding("c", "figure('checklist')", "desk.key_checklist", show=False),
        Binding("u", "figure('surveys')", "desk.key_surveys"),
        Binding("w", "figure('followups')", "desk.key_followups"),
    ]

    def __init__(self, row: reports.StaffRow, date_from: dt.date, date_to: dt.date) -> None:
        super().__init__()
        self.row = row
        self.date_from, self.date_to = date_from, date_to
        self.figure = "sales"
        self.items: list[reports.DrillRow] = []

    def compose_body(self) -> ComposeResult:
        yield Static("", classes="title", id="drill-head")
        yield DataTable(id="drill-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="drill-sum", classes="hint")
        yield Static("", id="message")

    def on_mount(self) -> None:
        self.action_figure("sales")

    def action_figure(self, figure: str) -> None:
        self.figure = figure
        self.items = reports.drill(self.actor.store_id, self.date_from, self.date_to, self.row.staff_id, figure)
        p = reports.period(self.actor.store_id, self.date_from, self.date_to)
        self.query_one("#drill-head", Static).update(
            t("desk.drill_title", name=self.row.name, figure=t(f"desk.figure_{figure}"), period=view.period_text(p)))
        table = self.query_one("#drill-table", DataTable)
        table.clear(columns=True)
        table.add_column(t("report.col_at"), key="at")
        table.add_column(t("report.col_record"), key="label")
        table.add_column(t("report.col_amount"), key="amount")
        table.add_column(t("desk.col_detail"), key="detail")
        for d in self.items:
            table.add_row(f"{d.at:%m-%d %H:%M}" if d.at else "", d.label,
                          Text(view.money(d.amount) if d.amount is not None else "", justify="right"), d.detail,
                          key=f"{d.kind}:{d.id}")
        total = sum(d.amount or 0 for d in self.items)
        self.query_one("#drill-sum", Static).update(t("desk.drill_sum", n=len(self.items), total=view.money(total)))
        table.focus()

    def relabel(self) -> None:
        super().relabel()
        self.action_figure(self.figure)
