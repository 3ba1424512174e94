"""Import products from a CSV file: choose the path, see the dry run (added / changed / rejected
with line and reason), then import everything (only when no row is rejected) or the good rows.
Checking and importing run in a worker thread with a progress bar; the screen stays live."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, ProgressBar, Static

from storepos.i18n import t
from storepos.services import catalog
from storepos.services.catalog import ImportPlan
from storepos.services.core.errors import DomainError
from storepos.ui.kit.fields import FormField
from storepos.ui.kit.inputs import KitInput
from storepos.ui.kit.screen import StoreposScreen
from storepos.ui.kit.table import Column, Table
from storepos.ui.kit.text import Plain

COLUMNS = (Column("line", "import.col_line", justify="right"), Column("sku", "import.col_sku"),
           Column("reason", "import.col_reason"))


class ImportScreen(StoreposScreen):
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("f5", "check", "import.key_check"),
        Binding("ctrl+s", "import_all", "import.key_all"),
        Binding("ctrl+g", "import_good", "import.key_good"),
    ]

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.initial_path = path
        self.plan: ImportPlan | None = None
        self.busy = False

    def compose_body(self) -> ComposeResult:
        with Vertical(id="import-body"):
            yield Plain(t("import.title"), classes="title", id="import-title")
            yield FormField("import.path", KitInput(self.initial_path, id="path", prefilled=False,
                                                    placeholder=t("import.path_placeholder")), name="path")
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Plain(t("import.hint"), id="import-summary", classes="hint")
            yield Table(id="import-rejected")
            yield Plain("", id="message")

    @property
    def table(self) -> Table:
        return self.query_one("#import-rejected", Table)

    def on_mount(self) -> None:
        self.table.set_columns(COLUMNS)
        self.query_one("#import-progress").display = False
        self.query_one("#path", Input).focus()

    @on(Input.Submitted, "#path")
    def _path_done(self) -> None:
        self.action_check()

    @on(Input.Changed, "#path")
    def _path_changed(self) -> None:
        self.plan = None  # a new file must be checked again before importing

    def _path(self) -> str:
        return self.query_one("#path", Input).value.strip()

    def action_back(self) -> None:
        if not self.busy:
            self.app.pop_screen()

    def action_check(self) -> None:
        if self.busy:
            return
        self.clear_errors()
        self.table.fill([])
        self._start(t("import.checking"))
        self._run(self._path(), True, False)

    def action_import_all(self) -> None:
        self._import(False)

    def action_import_good(self) -> None:
        self._import(True)

    def _import(self, good_rows: bool) -> None:
        if self.busy:
            return
        if self.plan is None or self.plan.written:
            self.say(t("import.check_first"), error=True)
            return
        if self.plan.rejected and not good_rows:
            self.say(t("import.has_rejected", count=len(self.plan.rejected)), error=True)
            return
        self._start(t("import.importing"))
        self._run(self._path(), False, good_rows)

    def _start(self, text: str) -> None:
        self.busy = True
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.say(text)

    def _progress(self, phase: str, done: int, total: int) -> None:
        self.app.call_from_thread(self.query_one("#import-progress", ProgressBar).update, total=max(total, 1),
                                  progress=done)

    @work(exclusive=True, thread=True, group="import")
    def _run(self, path: str, dry_run: bool, good_rows: bool) -> None:
        try:
            plan = catalog.import_products_in_worker(self.actor, path, dry_run=dry_run, good_rows=good_rows,
                                                     progress=self._progress)
        except DomainError as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._done, plan, dry_run)

    def _failed(self, exc: DomainError) -> None:
        self.busy = False
        self.query_one("#import-progress").display = False
        self.say("")
        self.show_error(exc)

    def _done(self, plan: ImportPlan, dry_run: bool) -> None:
        self.busy = False
        self.plan = plan
        self.query_one("#import-progress").display = False
        summary = t("import.summary", rows=plan.rows, added=len(plan.added), changed=len(plan.changed),
                    unchanged=plan.unchanged, rejected=len(plan.rejected), encoding=plan.encoding)
        if plan.new_categories:
            summary += "\n" + t("import.new_categories", names=", ".join(plan.new_categories[:10]))
        self.query_one("#import-summary", Static).update(summary)
        # Rows of the file are data: a SKU or a reason quoting '[/bold]x' shows exactly as typed.
        self.table.fill((str(i), (r.line, r.sku, r.message)) for i, r in enumerate(plan.rejected[:1000]))
        if not dry_run:
            self.say(t("import.done", added=len(plan.added), changed=len(plan.changed)))
        elif plan.rejected:
            self.say(t("import.next_rejected", count=len(plan.rejected)), error=True)
        elif plan.added or plan.changed:
            self.say(t("import.next_ok"))
        else:
            self.say(t("import.nothing"))

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#import-title", Static).update(t("import.title"))
        self.query_one("#path", Input).placeholder = t("import.path_placeholder")
        self.table.set_columns(COLUMNS)
        if self.plan is not None:
            self.table.fill((str(i), (r.line, r.sku, r.message)) for i, r in enumerate(self.plan.rejected[:1000]))
