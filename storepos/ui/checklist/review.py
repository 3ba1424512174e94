"""Manager: the checklist review queue (approve / return with a comment), history, compliance;
the items themselves are on their own list (ui/checklist/items.py, key i).

One kit list in three modes: q the queue of submitted runs, h the history (filters above the
table), c the compliance figures (no table).  Every result names the run (its date and who
submitted it) and the cursor stays on the row acted on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from rich.console import Group
from rich.table import Table as RichTable
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Select, Static

from storepos.i18n import t
from storepos.services import checklist
from storepos.services.checklist import RUN_STATUSES, RunSummary
from storepos.services.core.errors import DomainError
from storepos.services.core.store import business_date, get_store
from storepos.ui.checklist.items import ChecklistItemsScreen
from storepos.ui.kit.fields import Field
from storepos.ui.kit.form import FormModal
from storepos.ui.kit.inputs import KitInput, KitSelect
from storepos.ui.kit.lists import Column, ListScreen
from storepos.ui.kit.text import number, safe

MODES = ("queue", "history", "compliance")


def _pct(x: float) -> str:
    return f"{round(x * 100)}%"


def run_name(r: RunSummary) -> str:
    """A run as results name it: "2026-03-02 (Lily Chen)"."""
    return t("checklist.run_name", date=r.business_date.isoformat(), name=r.submitted_by or r.started_by)


class ReturnForm(FormModal[int]):
    """The manager's comment for sending a run back; dismissed with the run's id."""

    HINT_KEY = "checklist.return_hint"

    def __init__(self, run: RunSummary, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.run = run

    def form_title(self) -> str | Text:
        return t("checklist.return_title", date=self.run.business_date.isoformat(),
                 name=self.run.submitted_by or self.run.started_by)

    def fields(self) -> Sequence[Field]:
        return [Field("comment", "checklist.return_comment", max_length=500)]

    def save(self, values: dict[str, Any]) -> int:
        checklist.return_run(self.actor, self.run.run_id, values.get("comment") or "")
        return self.run.run_id


class ChecklistReviewScreen(ListScreen[RunSummary]):
    """q: queue of submitted runs · h: history · c: compliance · i: the items."""

    COLUMNS = (
        Column("date", "checklist.col_date"),
        Column("status", "checklist.col_status"),
        Column("staff", "checklist.col_staff"),
        Column("submitted", "checklist.col_submitted"),
        Column("progress", "checklist.col_progress", justify="right"),
        Column("problems", "checklist.col_problems", justify="right"),
    )
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("a", "approve", "checklist.key_approve"),
        Binding("r", "return_run", "checklist.key_return"),
        Binding("q", "mode('queue')", "checklist.key_queue"),
        Binding("h", "mode('history')", "checklist.key_history"),
        Binding("c", "mode('compliance')", "checklist.key_compliance"),
        Binding("i", "items", "checklist.key_items"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.mode = "queue"
        self.add_class("-queue")
        # What was typed in a return form closed with Esc, by run id.
        self.drafts: dict[int, dict[str, Any]] = {}

    # -- layout ---------------------------------------------------------------------------------

    def title_text(self) -> str:
        return t(f"checklist.review_{self.mode}")

    def compose_above(self) -> ComposeResult:
        today = business_date(get_store(self.actor.store_id))
        with Horizontal(id="rv-filters"):
            yield KitInput((today - dt.timedelta(days=29)).isoformat(), placeholder="YYYY-MM-DD",
                           id="f-from", max_length=10)
            yield KitInput(today.isoformat(), placeholder="YYYY-MM-DD", id="f-to", max_length=10)
            yield KitInput(placeholder=t("checklist.filter_staff"), id="f-staff", max_length=20)
            yield KitSelect(self._status_options(), value="", id="f-status")

    def compose_below(self) -> ComposeResult:
        with VerticalScroll(id="rv-detail-box"):
            yield Static("", id="rv-detail", markup=False)

    def _status_options(self) -> list[tuple[str, str]]:
        return [(t("checklist.filter_status"), "")] + [(t(f"checklist.status.{s}"), s) for s in RUN_STATUSES]

    # -- modes ----------------------------------------------------------------------------------

    def action_mode(self, mode: str) -> None:
        self.mode = mode if mode in MODES else "queue"
        for m in MODES:
            self.set_class(m == self.mode, f"-{m}")
        self.query_one("#list-title", Static).update(safe(self.title_text()))
        self.say("")
        self.refresh_bindings()
        self.reload()
        if self.mode == "compliance":
            self.show_compliance()
        else:
            self.table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Beside the compliance figures there is no run to approve or return: the footer says so.
        return not (action in ("approve", "return_run") and self.mode == "compliance")

    def load_rows(self) -> Sequence[RunSummary]:
        if self.mode == "compliance":
            return []
        try:
            if self.mode == "queue":
                return checklist.review_queue(self.actor)
            return self._history()
        except DomainError as exc:
            self.say(exc.message, error=True)
            return []

    def reload(self, *, keep: str | None = None) -> None:
        super().reload(keep=keep)
        # The empty state is said in the detail box, beside the run it would describe.
        self.query_one("#list-empty", Static).display = False

    def _history(self) -> list[RunSummary]:
        try:
            d_from = dt.date.fromisoformat(self.query_one("#f-from", Input).value.strip())
        except ValueError:
            raise DomainError("err.checklist_bad_from") from None
        try:
            d_to = dt.date.fromisoformat(self.query_one("#f-to", Input).value.strip())
        except ValueError:
            raise DomainError("err.checklist_bad_to") from None
        staff = self.query_one("#f-staff", Input).value.strip() or None
        status = self.query_one("#f-status", KitSelect).value
        return checklist.history(self.actor, d_from, d_to, staff_code=staff,
                                 status=status if isinstance(status, str) and status else None)

    @on(Input.Submitted, "#rv-filters Input")
    def _apply_filters(self, event: Input.Submitted) -> None:
        event.stop()
        self.say("")
        self.reload()

    @on(Select.Changed, "#f-status")
    def _status_changed(self) -> None:
        if self.mode == "history" and self.is_mounted:
            self.say("")
            self.reload()

    # -- rows -----------------------------------------------------------------------------------

    def row_key(self, row: RunSummary) -> str:
        return str(row.run_id)

    def row_name(self, row: RunSummary) -> str:
        return run_name(row)

    def row_cells(self, r: RunSummary) -> Sequence[object]:
        status = t(f"checklist.status.{r.status}") + (" " + t("checklist.late_mark") if r.late else "")
        return (r.business_date.isoformat(), status, r.submitted_by or r.started_by,
                r.submitted_at_local.strftime("%H:%M") if r.submitted_at_local else "—",
                f"{r.answered}/{r.total}", number(len(r.problems), style="bold red" if r.problems else ""))

    def row_highlighted(self, row: RunSummary | None) -> None:
        if self.mode != "compliance":
            self.show_detail(row)

    def show_detail(self, r: RunSummary | None) -> None:
        box = self.query_one("#rv-detail", Static)
        if r is None:
            box.update(safe(t("checklist.queue_empty" if self.mode == "queue" else "checklist.history_empty")))
            return
        st = checklist.state_of(self.actor, r.run_id)
        text = Text()
        text.append(safe(t("checklist.detail_head", date=r.business_date.isoformat(),
                           name=r.submitted_by or r.started_by, answered=r.answered, total=r.total),
                         style="bold"))
        if r.returned_count:
            text.append("  ")
            text.append(safe(t("checklist.returned_times", count=r.returned_count), style="yellow"))
        if r.review_note:
            text.append("\n")
            text.append(safe(t("checklist.review_note", manager=r.reviewer, note=r.review_note), style="italic"))
        problems = [i for i in st.all_items if i.answer == "problem"]
        others = [i for i in st.all_items if i.answer != "problem"]
        for item in problems:
            text.append("\n[!] ", style="bold red")
            text.append(safe(item.label, style="bold"))
            text.append(safe(f" — {item.note}  ({item.staff_name})"))
        for item in others:
            mark = {"ok": "[✓]", "na": "[–]"}.get(item.answer or "", "[ ]")
            text.append("\n")
            text.append(safe(f"{mark} {item.label}", style="dim" if item.answer else "yellow"))
        box.update(text)

    def show_compliance(self) -> None:
        table = RichTable(show_edge=False, expand=False)
        table.add_column("")
        results = [checklist.recent_compliance(self.actor, d) for d in (7, 30)]
        for days in (7, 30):  # the window asked for; a younger store counts the days it has
            table.add_column(safe(t("checklist.last_days", days=days)), justify="right")
        table.add_row(safe(t("checklist.share_submitted")),
                      *(safe(f"{_pct(c.share_submitted)} ({c.submitted}/{c.days})") for c in results))
        table.add_row(safe(t("checklist.share_on_time")),
                      *(safe(f"{_pct(c.share_on_time)} ({c.on_time}/{c.days})") for c in results))
        table.add_row(safe(t("checklist.share_first_time")),
                      *(safe(f"{_pct(c.share_approved_first_time)} ({c.approved_first_time}/{c.submitted})")
                        for c in results))
        text = Text()
        text.append(safe(t("checklist.top_problems"), style="bold"))
        text.append("\n")
        top = results[1].top_problems
        if not top:
            text.append(safe(t("checklist.no_problems"), style="dim"))
        for label, n in top:
            text.append(safe(f"{n:>3} × {label}"))
            text.append("\n")
        self.query_one("#rv-detail", Static).update(Group(table, Text(""), text))

    # -- actions --------------------------------------------------------------------------------

    def action_approve(self) -> None:
        if self.mode == "compliance":
            return
        self.act(lambda r: checklist.approve(self.actor, r.run_id), done="checklist.approved_msg")

    def action_return_run(self) -> None:
        if self.mode == "compliance":
            return
        r = self.current
        if r is None:
            self.say(t("list.no_row"), error=True)
            return
        if r.status != "submitted":
            self.say(t("err.checklist_not_submitted", status=t(f"checklist.status.{r.status}")), error=True)
            return
        name, key = run_name(r), str(r.run_id)

        def done(result: int | None) -> None:
            if result is None:
                return
            self.reload(keep=key)
            self.say(t("checklist.returned_msg", name=name))

        self.app.push_screen(ReturnForm(r, draft=self.drafts.setdefault(r.run_id, {})), done)

    def action_items(self) -> None:
        self.app.push_screen(ChecklistItemsScreen())

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        return [(t("checklist.items_title"), "", self.action_items)]

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#f-staff", KitInput).placeholder = t("checklist.filter_staff")
        select = self.query_one("#f-status", KitSelect)
        value = select.value
        select.set_options(self._status_options())
        select.value = value if value in RUN_STATUSES else ""
        self.action_mode(self.mode)
