"""Data is never markup: the one place where what a user or a file typed becomes screen text.

Every table cell, label, title, option and notification that shows data goes through
:func:`safe` (a ``rich.text.Text``, never parsed as markup) or :class:`Plain` (a Static that never
parses markup).  A name like ``Pot [/b] [red]x`` shows exactly as typed.  Characters a terminal
would act on instead of showing (control codes: ESC, BEL, NUL, a newline inside a one-line cell)
are shown as their visible Unicode pictures (␛ ␇ ␀ ⏎) so they can neither break the screen nor
hide.

Chinese lines break the Chinese way (:func:`break_offsets`, used by :class:`Plain`): never before
a closing mark (，。、：；！？）…) nor after an opening one (（「《), never between a number and the
measure word after it (12 个), Latin words whole.  Textual's wrapper breaks at spaces only and cuts
a run of Chinese wherever the line is full.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

from rich.cells import cell_len, get_character_cell_size, set_cell_size
from rich.text import Text
from textual.content import Content
from textual.visual import Visual
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


# No line starts with these (closing marks) and none ends with the opening ones.
_CLOSING = set("，。、：；！？）」』》〉】〕…—％,.;:!?)]}%·~～")
_OPENING = set("（「『《〈【〔([{“‘¥￥")


def _wide(ch: str) -> bool:
    """A character of Chinese (or Japanese) text: a line may break before or after it."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _may_break(before: str, after: str) -> bool:
    """Whether a line may end between *before* and *after*."""
    if after.isspace():
        return False
    if before.isspace():
        return True
    if after in _CLOSING or before in _OPENING:
        return False
    if before.isdigit() and _wide(after):
        return False  # 12 个, 30 天: a number stays with its measure word
    return _wide(before) or _wide(after)


def break_offsets(text: str, width: int) -> list[int]:
    """Where the lines of *text* (one line, no newline) start when it is wrapped to *width* cells:
    greedy, at the places :func:`_may_break` allows; a piece longer than a line is cut (still
    not before a closing mark when it can be helped).  Spaces at a break stay at the end of the
    line before it."""
    if width <= 0 or cell_len(text) <= width:
        return []
    offsets: list[int] = []
    start, used, last_break = 0, 0, -1
    for i, ch in enumerate(text):
        if i > start and _may_break(text[i - 1], ch):
            last_break = i
        size = get_character_cell_size(ch)
        if used + size > width and not ch.isspace() and i > start:  # spaces may hang at the end
            if last_break > start:
                cut = last_break
            else:  # a piece too long for a line: cut it, taking characters along before closing marks
                cut = i
                while cut - 1 > start and text[cut] in _CLOSING:
                    cut -= 1
            offsets.append(cut)
            start = cut
            used = cell_len(text[start:i])
            last_break = max((j for j in range(start + 1, i + 1) if _may_break(text[j - 1], text[j])),
                             default=-1)
        used += size
    return offsets


class LineBroken(Visual):
    """A Content whose lines break by :func:`break_offsets` at the width it is drawn at (Textual
    then finds every line fits and breaks nothing more)."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self._at: dict[int, Content] = {}

    def __str__(self) -> str:
        return str(self.content)

    def __getattr__(self, name: str) -> Any:  # read like the Content it draws (.plain, .spans)
        if name.startswith("__") or name in ("content", "_at"):
            raise AttributeError(name)
        return getattr(self.content, name)

    def broken(self, width: int) -> Content:
        if width not in self._at:
            pieces: list[Content] = []
            for line in self.content.split("\n", allow_blank=True):
                offsets = break_offsets(line.plain, width)
                if not offsets:
                    pieces.append(line)
                    continue
                *first, last = line.divide(offsets)
                pieces.extend(part.rstrip() for part in first)
                pieces.append(last)
            self._at = {width: Content("\n").join(pieces)}  # one width at a time
        return self._at[width]

    def render_strips(self, width: int, height: int | None, style: Any, options: Any) -> Any:
        return self.broken(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: Any, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: Any) -> int:
        return self.content.get_minimal_width(rules)

    def get_height(self, rules: Any, width: int) -> int:
        return self.broken(width).get_height(rules, width)


class Plain(Static):
    """A Static whose content is never parsed as markup: strings show exactly as given; Chinese
    lines break the Chinese way (see the module doc)."""

    def __init__(self, content: object = "", *, lines: bool = True, **kwargs: Any) -> None:
        self._lines = lines
        super().__init__(safe(content, lines=lines) if not isinstance(content, Text) else content,
                         markup=False, **kwargs)

    def update(self, content: object = "", *, layout: bool = True) -> None:  # type: ignore[override]
        if isinstance(content, str):
            content = safe(content, lines=getattr(self, "_lines", True))
        super().update(content, layout=layout)  # type: ignore[arg-type]

    def render(self) -> Any:
        visual = super().render()
        return LineBroken(visual) if isinstance(visual, Content) else visual
