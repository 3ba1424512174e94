"""Opening checklist (SOP §0): today's run, one key per answer, the countdown to opening."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from storepos.i18n import t
from storepos.services import checklist
from storepos.services.checklist import ItemState, RunState
from storepos.services.core.errors import DomainError
from storepos.services.core.store import business_date, get_store
from storepos.ui.kit.chrome import StepRail
from storepos.ui.kit.prompt import Prompt
from storepos.ui.kit.screen import StoreposScreen
from storepos.ui.kit.text import safe

MARKS = {None: ("[ ]", ""), "ok": ("[✓]", "green"), "problem": ("[!]", "bold red"), "na": ("[–]", "dim")}


def expiring_line(store_id: int) -> str:
    """A line about expiring stock for the FIFO item, when the stock area provides it."""
    try:
        from storepos.services import catalog
    except ImportError:
        return ""
    try:
        found: Any = catalog.expiring(store_id)
    except Exception:  # noqa: BLE001 - another area's helper; never break the checklist
        return ""
    if isinstance(found, str):
        return found
    try:
        rows = list(found)
    except TypeError:
        return ""
    if not rows:
        return t("checklist.expiring_none")
    names = []
    for r in rows[:3]:
        name = getattr(r, "name", None) or (r.get("name") if isinstance(r, dict) else None) or str(r)
        names.append(str(name))
    return t("checklist.expiring", count=len(rows), names="、".join(names))


class ChecklistScreen(StoreposScreen):
    """Today's run (or a returned run of an earlier day when *run_id* is given)."""

    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("o", "answer('ok')", "checklist.key_ok"),
        Binding("p", "answer('problem')", "checklist.key_problem"),
        Binding("n", "answer('na')", "checklist.key_na"),
        Binding("s", "submit", "checklist.key_submit"),
        Binding("r", "open_returned", "checklist.key_returned", show=False),
    ]

    def __init__(self, run_id: int | None = None) -> None:
        super().__init__()
        self.run_id = run_id
        self.state: RunState | None = None
        self.row_errors: dict[int, str] = {}
        # What was typed in a note closed with Esc, by item id: it comes back when p is pressed again.
        self.drafts: dict[int, dict[str, Any]] = {}

    def compose_body(self) -> ComposeResult:
        yield StepRail("checklist", id="rail")
        yield Static("", id="cl-header")
        yield OptionList(id="cl-items")
        yield Static("", id="cl-tip")
        yield Static("", id="message")

    def on_mount(self) -> None:
        self.load(keep=False)
        self.query_one("#cl-items", OptionList).focus()
        self.set_interval(5, self.render_header)

    # -- data -----------------------------------------------------------------------------------

    def load(self, *, keep: bool = True, focus_item: int | None = None) -> None:
        if self.run_id is None:
            self.state = checklist.today_state(self.actor)
        else:
            self.state = checklist.state_of(self.actor, self.run_id)
        ol = self.query_one("#cl-items", OptionList)
        current = self.current_item_id() if keep else None
        options: list[Option] = []
        for g in self.state.groups:
            options.append(Option(safe(g.label, style="bold underline"), id=f"g-{g.code}", disabled=True))
            for item in g.items:
                options.append(Option(self._prompt(item), id=f"i-{item.item_id}"))
        ol.set_options(options)
        target = focus_item or current
        if target is None:
            nxt = next((i for i in self.state.all_items if not i.answer), None)
            target = nxt.item_id if nxt else (self.state.all_items[0].item_id if self.state.all_items else None)
        if target is not None:
            with suppress(OptionDoesNotExist):  # the item is no longer shown: the cursor stays
                ol.highlighted = ol.get_option_index(f"i-{target}")
        self.render_header()
        self.render_tip()

    def _prompt(self, item: ItemState) -> Text:
        mark, style = MARKS.get(item.answer, MARKS[None])
        text = Text()
        text.append(mark + " ", style=style)
        text.append(safe(item.label))
        if item.mandatory:
            text.append(" *", style="bold")
        if item.note:
            text.append(" — ", style="italic")
            text.append(safe(item.note, style="italic"))
        if item.item_id in self.row_errors:
            text.append("  ← ", style="bold red")
            text.append(safe(self.row_errors[item.item_id], style="bold red"))
        return text

    def current_item_id(self) -> int | None:
        ol = self.query_one("#cl-items", OptionList)
        if ol.highlighted is None:
            return None
        opt = ol.get_option_at_index(ol.highlighted)
        return int(opt.id[2:]) if opt.id and opt.id.startswith("i-") else None

    def current_item(self) -> ItemState | None:
        iid = self.current_item_id()
        if self.state is None or iid is None:
            return None
        return next((i for i in self.state.all_items if i.item_id == iid), None)

    # -- display --------------------------------------------------------------------------------

    def render_header(self) -> None:
        st = self.state
        if st is None:
            return
        store = get_store(self.actor.store_id)
        parts = [t("checklist.header_date", date=st.business_date.isoformat()),
                 t("checklist.progress", answered=st.answered, total=st.total),
                 t("checklist.problems", count=len(st.problems))]
        text = safe(" · ".join(parts))
        text.append(" · ")
        if st.status in ("not_started", "open", "returned"):
            if st.business_date == business_date(store):
                win = checklist.store_window(store, st.business_date)
                style = {"early": "", "window": "bold yellow", "open": "bold red"}[win.state]
                text.append(t(f"checklist.window_{win.state}", minutes=win.minutes), style=style)
            text.append(" · ")
        status = t(f"checklist.status.{st.status}")
        if st.late:
            status += " " + t("checklist.late_mark")
        text.append(status, style="bold")
        if st.status == "returned" and st.review_note:
            text.append("\n")
            text.append(safe(t("checklist.returned_comment", manager=st.reviewer_name,
                                 comment=st.review_note), style="bold yellow"))
        elif self.run_id is None and st.status != "returned":
            others = [r for r in checklist.returned_runs(self.actor) if r.id != st.run_id]
            if others:
                text.append("\n")
                text.append(t("checklist.other_returned", date=others[0].business_date.isoformat()),
                            style="yellow")
        self.query_one("#cl-header", Static).update(text)

    def render_tip(self) -> None:
        item = self.current_item()
        text = Text()
        if item is not None:
            if item.tip:
                text.append(safe(item.tip, style="dim"))
            if item.answer and item.staff_name:
                text.append("\n")
                text.append(safe(t("checklist.answered_by", name=item.staff_name, count=item.answers_given),
                                 style="dim italic"))
            if item.code == "fifo_no_expired":
                line = expiring_line(self.actor.store_id)
                if line:
                    text.append("\n")
                    text.append(safe(line, style="yellow"))
        self.query_one("#cl-tip", Static).update(text)

    @on(OptionList.OptionHighlighted, "#cl-items")
    def _moved(self) -> None:
        self.render_tip()

    # -- actions --------------------------------------------------------------------------------

    def _next_open(self, after: int) -> int | None:
        assert self.state is not None
        seq = self.state.all_items
        ids = [i.item_id for i in seq]
        start = ids.index(after) if after in ids else -1
        for item in seq[start + 1:] + seq[:start + 1]:
            if not item.answer:
                return item.item_id
        return None

    def action_answer(self, value: str) -> None:
        item = self.current_item()
        if item is None:
            return
        if self.state is not None and not self.state.editable:
            self.say(t("err.checklist_read_only", status=t(f"checklist.status.{self.state.status}")),
                     error=True)
            return
        if value == "problem":
            self.open_note(item)
            return
        self.clear_errors()
        try:
            checklist.answer(self.actor, item.item_id, value, "", run_id=self.run_id)
        except DomainError as exc:
            self.row_errors[item.item_id] = exc.message
            self.say(exc.message, error=True)
            self.load(focus_item=item.item_id)
            return
        self.answered(item)

    def answered(self, item: ItemState) -> None:
        """After an answer was saved: the row's error goes, the cursor goes to the next open item."""
        self.row_errors.pop(item.item_id, None)
        self.say("")
        self.load(keep=False)
        nxt = self._next_open(item.item_id)
        self.load(focus_item=nxt or item.item_id)

    def open_note(self, item: ItemState) -> None:
        """A problem needs a note: a one-field form naming the item (Esc keeps what was typed)."""

        def apply(note: str) -> int:
            try:
                checklist.answer(self.actor, item.item_id, "problem", note, run_id=self.run_id)
            except DomainError as exc:
                self.row_errors[item.item_id] = exc.message  # said beside the row too
                self.load(focus_item=item.item_id)
                raise
            return item.item_id

        def done(result: int | None) -> None:
            if result is None:
                self.query_one("#cl-items", OptionList).focus()
                return
            self.answered(item)

        draft = self.drafts.setdefault(item.item_id, {})
        self.app.push_screen(
            Prompt(t("checklist.note_title"), "checklist.note", item.note, apply, name="note", max_length=500,
                   intro=safe(t("checklist.note_intro", item=item.label), lines=True),
                   draft=draft),
            done)

    def action_submit(self) -> None:
        self.clear_errors()
        try:
            run = checklist.submit(self.actor, self.run_id)
        except DomainError as exc:
            self.say(exc.message, error=True)
            return
        self.load()
        self.say(t("checklist.submitted_late" if run.late else "checklist.submitted"))

    def action_open_returned(self) -> None:
        if self.run_id is not None:
            return
        others = [r for r in checklist.returned_runs(self.actor)
                  if self.state is None or r.id != self.state.run_id]
        if others:
            self.app.push_screen(ChecklistScreen(others[0].id))

    def action_back(self) -> None:
        self.app.pop_screen()

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#rail", StepRail).render_rail()
        self.load()
