"""The manager's desk (SOP §9): daily report, conversion funnel, staff performance with drill-down,
approvals log and the last 30 days in pictures; every view exports the same CSV as the CLI.

d daily · f funnel · s staff · a approvals · c chart · ←/→ previous/next day (or period) ·
r choose a range · t today · e export CSV · Enter on a staff row: their sales.

Data is never markup: names, reasons and records show exactly as typed (kit ``safe``/``Table``),
amounts as ¥ with two decimals, right-aligned.  A report is counted in a worker thread (the
screen says what it is counting and stays responsive); only the latest request is shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from rich.console import Group
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Sparkline, Static
from textual.worker import get_current_worker

from storepos.i18n import t
from storepos.services import reports
from storepos.services.core.errors import DomainError, PermissionDenied
from storepos.services.core.store import business_date, get_store
from storepos.ui.kit.lists import Column
from storepos.ui.kit.screen import StoreposScreen
from storepos.ui.kit.table import Table
from storepos.ui.kit.text import Plain, fit, money, number, safe
from storepos.ui.reports import view
from storepos.ui.reports.drill import RangeForm, StaffDrillScreen, at_text

MODES = ("daily", "funnel", "staff", "approvals", "chart")
RANGE_DAYS = 30


@dataclass
class Loaded:
    """What a worker counted for one request of the desk."""

    gen: int
    mode: str
    report: Any = None
    points: list[reports.DayPoint] | None = None


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
        self.loading_report = False
        self._gen = 0
        self._table_of = ""  # what the table lists now: "staff" or "approvals"
        self._loaded: Loaded | None = None  # the figures on screen

    def compose_body(self) -> ComposeResult:
        yield Plain("", classes="title", id="desk-head", lines=False)
        with VerticalScroll(id="desk-scroll"):
            yield Static("", id="desk-report")
        yield Table(id="desk-table")
        with VerticalScroll(id="desk-chart"):
            yield Plain("", id="chart-sales-label", classes="section-title")
            yield Sparkline([], id="chart-sales", summary_function=max)
            yield Plain("", id="chart-conv-label", classes="section-title")
            yield Sparkline([], id="chart-conv", summary_function=max)
            yield Plain("", id="chart-caption", classes="hint")
            yield Plain("", id="chart-staff-label", classes="section-title")
            yield Static("", id="chart-staff")
        yield Plain("", id="desk-detail", classes="hint")
        yield Static("", id="message")

    def on_mount(self) -> None:
        try:
            reports.require_desk(self.actor)
        except PermissionDenied as exc:
            self.app.pop_screen()
            self.app.notify(exc.message, severity="error", markup=False)
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

    def _shown_period(self) -> tuple[dt.date, dt.date]:
        d1, d2 = self.period
        if self.mode == "chart":
            d1 = d2 - dt.timedelta(days=RANGE_DAYS - 1)
        return d1, d2

    def _head(self) -> None:
        d1, d2 = self._shown_period()
        p = reports.period(self.actor.store_id, d1, d2)
        self.query_one("#desk-head", Plain).update(safe(f"{t(f'report.title_{self.mode}')} · {view.period_text(p)}"))

    def _pane(self) -> Any:
        if self.mode in ("daily", "funnel"):
            return self.query_one("#desk-scroll")
        if self.mode in ("staff", "approvals"):
            return self.query_one("#desk-table", Table)
        return self.query_one("#desk-chart")

    def action_mode(self, mode: str) -> None:
        if mode not in MODES or self.day is None:
            return
        self.mode = mode
        self.query_one("#desk-scroll").display = mode in ("daily", "funnel")
        self.query_one("#desk-table").display = mode in ("staff", "approvals")
        self.query_one("#desk-chart").display = mode == "chart"
        self.load()

    # -- counting (in a worker) ---------------------------------------------------------------

    def load(self) -> None:
        """Count the current view in a worker; the screen says so until it is shown."""
        if self.day is None:
            return
        self._gen += 1
        self.csv_rows = []
        self.loading_report = True
        self._head()
        self.query_one("#desk-detail", Plain).update("")
        self.say(t("desk.counting", report=t(f"report.title_{self.mode}")))
        pane = self._pane()
        pane.loading = True
        pane.focus()
        d1, d2 = self._shown_period()
        self._count(self._gen, self.mode, self.actor.store_id, d1, d2)

    @work(thread=True, exclusive=True, group="desk-count")
    def _count(self, gen: int, mode: str, store_id: int, d1: dt.date, d2: dt.date) -> None:
        worker = get_current_worker()
        try:
            if mode == "daily":
                loaded = Loaded(gen, mode, reports.daily(store_id, d1, d2))
            elif mode == "funnel":
                loaded = Loaded(gen, mode, reports.funnel(store_id, d1, d2))
            elif mode == "staff":
                loaded = Loaded(gen, mode, reports.staff_performance(store_id, d1, d2))
            elif mode == "approvals":
                loaded = Loaded(gen, mode, reports.approvals_log(store_id, d1, d2))
            else:
                points = reports.daily_series(store_id, d2, RANGE_DAYS)
                loaded = Loaded(gen, mode, reports.staff_performance(store_id, d1, d2), points)
        except DomainError as exc:
            if not worker.is_cancelled:
                self._deliver(self._failed, gen, exc)
            return
        if not worker.is_cancelled:
            self._deliver(self._show, loaded)

    def _deliver(self, fn: Any, *args: Any) -> None:
        try:
            self.app.call_from_thread(fn, *args)
        except RuntimeError:  # the app is closing
            pass

    def _done(self, gen: int) -> bool:
        """Whether *gen* is still the request on screen (else a newer one replaces it)."""
        if gen != self._gen or not self.is_attached:
            return False
        self.loading_report = False
        for pane in ("#desk-scroll", "#desk-table", "#desk-chart"):
            self.query_one(pane).loading = False
        self.say("")
        return True

    def _failed(self, gen: int, exc: DomainError) -> None:
        if self._done(gen):
            self.say(exc.message, error=True)

    def _show(self, loaded: Loaded) -> None:
        if not self._done(loaded.gen) or loaded.mode != self.mode:
            return
        self._loaded = loaded
        self._draw(loaded)
        self._pane().focus()

    def on_resize(self) -> None:
        # Names and bars fit the new width; the figures are not counted again.
        loaded = self._loaded
        if loaded is not None and loaded.gen == self._gen and loaded.mode == self.mode and not self.loading_report:
            self._draw(loaded)

    def _draw(self, loaded: Loaded) -> None:
        r = loaded.report
        if self.mode == "daily":
            self.csv_rows = reports.daily_csv(r)
            self.query_one("#desk-report", Static).update(Group(*view.daily_all(r)))
        elif self.mode == "funnel":
            self.csv_rows = reports.funnel_csv(r)
            self.query_one("#desk-report", Static).update(Group(view.funnel_table(r), view.funnel_reasons(r)))
        elif self.mode == "staff":
            self.csv_rows = reports.staff_csv(r)
            self.staff_rows = r.rows
            self._staff_table(r)
            self.query_one("#desk-detail", Plain).update(view.staff_notes(r))
        elif self.mode == "approvals":
            self.approval_rows = r
            self.csv_rows = reports.approvals_csv(r)
            self._approvals_table()
        else:
            self._chart(loaded.points or [], r)

    # -- the views ----------------------------------------------------------------------------

    def _name_width(self) -> int:
        return max(10, self.size.width - 66)

    def _staff_table(self, rep: reports.StaffReport) -> None:
        table = self.query_one("#desk-table", Table)
        keep = table.current_key if self._table_of == "staff" else None  # the same person, another period
        self._table_of = "staff"
        table.set_columns([Column("rank", "report.col_rank", justify="right"), Column("staff", "report.col_staff"),
                           Column("net", "report.col_net", justify="right"),
                           Column("count", "report.col_count", justify="right"),
                           Column("avg_ticket", "report.col_avg_ticket", justify="right"),
                           Column("conversion", "report.col_conversion", justify="right"),
                           Column("satisfaction", "report.col_satisfaction", justify="right"),
                           Column("checklist", "report.col_checklist", justify="right"),
                           Column("followups", "report.col_followups", justify="right"),
                           Column("overrides", "report.col_overrides", justify="right")])
        width = self._name_width()
        table.fill(((str(r.staff_id), (
            number(r.rank), fit(r.name, width), money(r.net_amount, fen=True), number(r.sales_count),
            money(r.avg_ticket, fen=True), view.pct(r.conversion), r.extra_text("satisfaction"),
            f"{r.checklist_on_time}/{r.checklist_submitted}" if r.checklist_submitted else view.DASH,
            r.extra_text("followups_on_time"), number(r.overrides))) for r in rep.rows), keep=keep)

    def _approvals_table(self) -> None:
        table = self.query_one("#desk-table", Table)
        keep = table.current_key if self._table_of == "approvals" else None
        self._table_of = "approvals"
        table.set_columns([Column("at", "report.col_at"), Column("kind", "report.col_kind"),
                           Column("asked", "report.col_asked"), Column("approver", "report.col_approver"),
                           Column("record", "report.col_record")])
        width = max(8, (self.size.width - 40) // 3)
        table.fill(((str(a.id), (at_text(a.at), fit(a.kind_label, 16), fit(a.requested_by, width),
                                 fit(a.approved_by, width), fit(a.record, width)))
                    for a in self.approval_rows), keep=keep)
        if not self.approval_rows:
            self.query_one("#desk-detail", Plain).update(t("desk.no_approvals"))
        self._show_approval()

    def _current_approval(self) -> reports.ApprovalRow | None:
        key = self.query_one("#desk-table", Table).current_key
        return next((a for a in self.approval_rows if str(a.id) == key), None)

    def _show_approval(self) -> None:
        if self.mode != "approvals" or self.loading_report:
            return
        a = self._current_approval()
        if a is None:
            return
        self.query_one("#desk-detail", Plain).update(t("desk.approval_detail", kind=a.kind_label, who=a.requested_by,
                                                       manager=a.approved_by, reason=a.reason, record=a.record))

    @on(DataTable.RowHighlighted, "#desk-table")
    def _highlighted(self) -> None:
        self._show_approval()

    def _chart(self, points: list[reports.DayPoint], rep: reports.StaffReport) -> None:
        self.query_one("#chart-sales-label", Plain).update(t("desk.chart_sales", peak=view.money(
            max((p.net_amount for p in points), default=0))))
        self.query_one("#chart-sales", Sparkline).data = [max(p.net_amount, 0) / 100 for p in points]
        self.query_one("#chart-conv-label", Plain).update(t("desk.chart_conversion"))
        self.query_one("#chart-conv", Sparkline).data = [(p.conversion or 0) * 100 for p in points]
        self.query_one("#chart-caption", Plain).update(view.series_caption(points))
        self.query_one("#chart-staff-label", Plain).update(t("desk.chart_staff"))
        self.query_one("#chart-staff", Static).update(view.staff_bars(rep, max(12, min(48, self.size.width - 56))))
        self.csv_rows = [["day", "sales_count", "net_amount", "visits", "sold_visits"]] + [
            [p.day.isoformat(), str(p.sales_count), reports.amount_text(p.net_amount), str(p.visits), str(p.sold_visits)]
            for p in points]

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
        if self.day is None:
            return
        d1, d2 = self.period

        def done(result: tuple[dt.date, dt.date] | None) -> None:
            if result is None:
                return
            self.range_from, self.range_to = result
            if self.mode == "daily" and result[0] == result[1]:
                self.day = result[0]
            elif self.mode == "daily":
                self.action_mode("staff")
                return
            self.load()

        self.app.push_screen(RangeForm(d1, d2), done)

    def action_export(self) -> None:
        if self.day is None:
            return
        if not self.csv_rows:
            self.say(t("desk.export_wait") if self.loading_report else t("desk.export_nothing"), error=True)
            return
        d1, d2 = self._shown_period()
        store = get_store(self.actor.store_id)
        folder = self.sapp.settings.files_home / "exports"
        try:
            path = reports.export_csv(self.csv_rows, self.sapp.settings.files_home, self.mode, store.code, d1, d2)
        except OSError:
            self.say(t("desk.export_failed", path=str(folder)), error=True)
            return
        self.say(t("desk.exported", path=str(path)))

    @on(DataTable.RowSelected, "#desk-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if self.mode != "staff" or self.loading_report:
            return
        key = self.query_one("#desk-table", Table).current_key
        row = next((r for r in self.staff_rows if str(r.staff_id) == key), None)
        if row is not None:
            d1, d2 = self.period
            self.app.push_screen(StaffDrillScreen(row, d1, d2))

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        return [(t(f"report.title_{m}"), "", lambda m=m: self.action_mode(m)) for m in MODES]

    def relabel(self) -> None:
        super().relabel()
        self.load()
