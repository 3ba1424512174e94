"""Prompt: a form of one value (a quantity, a discount, a price, a reason), whose ``apply`` calls
the service; its error shows beside the field whatever the service called the field.

    push_screen(Prompt(title, "quote.prompt_qty", str(line.qty),
                       lambda v: quotes.set_qty(actor, line.id, v)), done)

The prefilled value is replaced by the first key typed (typing 3 over a prefilled 1 gives 3).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from rich.text import Text

from storepos.ui.kit.fields import Field
from storepos.ui.kit.form import FormModal

T = TypeVar("T")


class Prompt(FormModal[T]):
    HINT_KEY = "form.hint_one"

    def __init__(self, title: str | Text, label_key: str, value: str, apply: Callable[[str], T], *,
                 name: str = "value", max_length: int = 40, intro: str | Text | None = None,
                 hint: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._title = title
        self._intro = intro
        self._field = Field(name, label_key, value=value, max_length=max_length, hint=hint)
        self.apply = apply

    def form_title(self) -> str | Text:
        return self._title

    def intro(self) -> str | Text | None:
        return self._intro

    def fields(self) -> Sequence[Field]:
        return [self._field]

    def save(self, values: dict[str, Any]) -> T:
        result = self.apply(str(values.get(self._field.name) or ""))
        return result if result is not None else True  # type: ignore[return-value]
