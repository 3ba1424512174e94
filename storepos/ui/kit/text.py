"""Data is never markup: the one place where what a user or a file typed becomes screen text.

Every table cell, label, title, option and notification that shows data goes through
:func:`safe` (a ``rich.text.Text``, never parsed as markup) or :class:`Plain` (a Static that never
parses markup).  A name like ``Pot [/b] [red]x`` shows exactly as typed.  Characters a terminal
would act on instead of showing (control codes: ESC, BEL, NUL, a newline inside a one-line cell)
are shown as their visible Unicode pictures (␛ ␇ ␀ ⏎) so they can neither break the screen nor
hide.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.widgets import Static

from storepos.money import fmt

# C0 controls -> U+2400.. control pictures; DEL -> ␡.  A newline keeps its meaning only where
# the caller allows several lines.
_PICTURES = {i: chr(0x2400 + i) for i in range(0x20)}
_PICTURES[0x7F] = "\u2421"
_PICTURES[0x0A] = "\u23ce"  # ⏎
_PICTURES[0x0D] = "\u23ce"
_PICTURES[0x09] = " "


def clean(value: object, *, lines: bool = False) -> str:
    """*value* as text a terminal shows as is: control characters become visible pictures (C1
    controls and other format characters that draw nothing become U+FFFD); with *lines*, newlines
    stay newlines."""
    text = "" if value is None else str(value)
    if text.isprintable() and "\t" not in text:
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if lines and ch == "\n":
            out.append(ch)
        elif code in _PICTURES:
            out.append(_PICTURES[code])
        elif 0x80 <= code < 0xA0:
            out.append("\ufffd")
        else:
            out.append(ch)  # printable, a space separator (U+3000) or a bidi mark: shown as typed
    return "".join(out)


def safe(value: object, *, style: str = "", justify: Any = None, lines: bool = False) -> Text:
    """Data as screen text: a ``Text`` (already a Text: kept as it is)."""
    if isinstance(value, Text):
        return value
    return Text(clean(value, lines=lines), style=style, justify=justify)


def money(value: int | Decimal | None, *, fen: bool = False, style: str = "") -> Text:
    """An amount as ¥ with two decimals, right-aligned (fen: *value* is integer fen)."""
    if value is None:
        return Text("—", justify="right", style=style)
    return Text(fmt(value, fen=fen), justify="right", style=style)


def number(value: object, *, style: str = "") -> Text:
    """A count or quantity, right-aligned."""
    return Text("" if value is None else str(value), justify="right", style=style)


def fit(value: object, width: int) -> str:
    """*value* cut to *width* terminal cells (CJK counts two) with an ellipsis when it is longer."""
    text = clean(value)
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)) + "…"


class Plain(Static):
    """A Static whose content is never parsed as markup: strings show exactly as given."""

    def __init__(self, content: object = "", *, lines: bool = True, **kwargs: Any) -> None:
        self._lines = lines
        super().__init__(safe(content, lines=lines) if not isinstance(content, Text) else content,
                         markup=False, **kwargs)

    def update(self, content: object = "", *, layout: bool = True) -> None:  # type: ignore[override]
        if isinstance(content, str):
            content = safe(content, lines=getattr(self, "_lines", True))
        super().update(content, layout=layout)  # type: ignore[arg-type]
