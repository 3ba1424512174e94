"""Satisfaction survey (SOP §8) for one sale, a form: a score 1–5 per dimension of
fixtures/sop/survey.toml (type the digit; the cursor moves on), expectations and suggestions, the
channel (↑/↓ or F6); Ctrl+S or F9 saves, Esc cancels (what was typed is kept for next time).
A score outside 1–5 shows its message beside the field.  A low score opens a service ticket."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from storepos.i18n import t
from storepos.services import aftersales
from storepos.services.core.errors import DomainError
from storepos.ui.kit.fields import Field, FormField
from storepos.ui.kit.form import FormModal
from storepos.ui.kit.inputs import KitSelect
from storepos.ui.kit.text import safe


class DataField(FormField):
    """A FormField whose label is fixture text (an SOP entry), not an i18n key."""

    def __init__(self, entry: Any, widget: Widget, *, name: str) -> None:
        super().__init__("", widget, name=name)
        self.entry = entry
        self.add_class("score-field")
        widget.add_class("score")

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(safe(self.entry.label), classes="field-label", markup=False)
            yield self.input
        yield Static("", classes="field-error", markup=False)

    def relabel(self) -> None:
        self.query_one(".field-label", Label).update(safe(self.entry.label))


def saved_message(res: aftersales.SurveyResult, customer: str) -> str:
    """What the list says once a survey is saved, naming the customer."""
    if res.ticket is not None:
        return t("survey.saved_ticket", customer=customer, ticket=aftersales.ticket_label(res.ticket))
    return t("survey.saved", customer=customer, average=f"{res.survey.average_x100 / 100:.1f}")


class SurveyForm(FormModal[aftersales.SurveyResult]):
    """The survey of one sale (or of the sale a typed receipt number names).  Dismissed with the
    SurveyResult."""

    TITLE_KEY = "survey.title"
    BINDINGS = [
        Binding("f6", "channel", "survey.key_channel"),
        Binding("f9", "save", "survey.key_save", priority=True),
    ]

    def __init__(self, *, sale_id: int | None = None, followup_id: int | None = None,
                 channel: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sale_id = sale_id
        self.followup_id = followup_id
        codes = [c.code for c in aftersales.channels()]
        self.channel = channel if channel in codes else codes[0]
        self.ask_receipt = sale_id is None
        self._dims = {d.code: d for d in aftersales.dimensions()}

    # -- the form ------------------------------------------------------------------------------

    def intro(self) -> str | Text | None:
        lines = []
        if self.sale_id is not None:
            s = aftersales.sale_summary(self.actor, self.sale_id)
            lines.append(t("survey.sale_info", receipt=s.receipt, customer=s.customer, seller=s.seller))
        lines.append(t("survey.intro_hint"))
        return safe("\n".join(lines), lines=True)

    def fields(self) -> Sequence[Field]:
        out = []
        if self.ask_receipt:
            out.append(Field("receipt", "survey.receipt", max_length=20, placeholder="survey.receipt_hint"))
        out += [Field(code, "survey.title", max_length=1) for code in self._dims]
        out.append(Field("comment", "survey.comment", max_length=500, placeholder="survey.comment_hint"))
        out.append(Field("channel", "survey.channel", value=self.channel, hint="survey.channel_hint",
                         options=[(c.label, c.code) for c in aftersales.channels()]))
        return out

    def compose(self) -> ComposeResult:
        # The dimensions' labels are the SOP's words (fixture text), not i18n keys.
        for widget in super().compose():
            if isinstance(widget, FormField) and widget.name in self._dims:
                widget = DataField(self._dims[widget.name], widget.input, name=widget.name)
            yield widget

    def scores(self) -> dict[str, str]:
        values = self.values()
        return {code: values.get(code) or "" for code in self._dims}

    # -- typing --------------------------------------------------------------------------------

    def _field_of(self, widget: Widget) -> FormField | None:
        return next((ff for ff in self.query(FormField) if ff.input is widget), None)

    @on(Input.Changed)
    def _score(self, event: Input.Changed) -> None:
        field = self._field_of(event.input)
        if field is None or field.name not in self._dims:
            return
        if not event.value:
            field.clear_error()
            return
        try:
            aftersales.check_score(field.name, event.value)
        except DomainError as exc:
            field.show_error(exc.message)
            return
        field.clear_error()
        self._move_from(event.input)

    def _find_sale(self, text: str) -> None:
        found = aftersales.find_survey_sale(self.actor, text)
        self.sale_id = found.sale_id
        intro = self.intro()
        self.query_one("#form-intro", Static).update(intro if intro is not None else "")

    def _move_from(self, widget: Widget | None) -> None:
        if self.ask_receipt and widget is self.widget("receipt"):
            self.clear_errors()
            try:
                self._find_sale(str(getattr(widget, "value", "")))
            except DomainError as exc:
                self.show_form_error(exc)
                return
        super()._move_from(widget)

    def action_channel(self) -> None:
        select = self.widget("channel")
        if isinstance(select, KitSelect):
            select.action_cycle(1)

    # -- saving --------------------------------------------------------------------------------

    def save(self, values: dict[str, Any]) -> aftersales.SurveyResult:
        if self.ask_receipt and (values.get("receipt") or "").strip():
            self._find_sale(values["receipt"])
        if self.sale_id is None:
            raise DomainError("survey.need_sale", field="receipt")
        return aftersales.submit_survey(self.actor, self.sale_id, self.scores(), comment=values.get("comment") or "",
                                        channel=values.get("channel") or self.channel,
                                        followup_id=self.followup_id)

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#form-title", Static).update(safe(self.form_title()))
        intro = self.intro()
        self.query_one("#form-intro", Static).update(intro if intro is not None else "")
        self.query_one("#form-hint", Static).update(t(self.HINT_KEY))
