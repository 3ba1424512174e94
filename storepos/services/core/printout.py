"""Text printouts (receipts, quotes) for 40- and 80-column printers, CJK widths right.

A Chinese character takes two columns on a terminal or receipt printer; rich.cells measures that.
``deliver()`` saves the text under HOME/printouts/ (private: 0700 folders, 0600 files) and, when a print command is configured, pipes
it to that command (its failure is reported, never raised: the sale or quote is already safe).
"""

from __future__ import annotations

import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from rich.cells import cell_len, set_cell_size

from storepos import private

_config: dict[str, object] = {"folder": None, "command": None}


def configure(folder: Path, command: str | None) -> None:
    _config["folder"] = Path(folder)
    _config["command"] = command or None


def width_of(text: str) -> int:
    return cell_len(text)


def fit(text: str, width: int) -> str:
    """Cut or pad *text* to exactly *width* columns (a cut CJK character becomes a space)."""
    return set_cell_size(text, width)


def _can_break(before: str, after: str) -> bool:
    """A line may break between these two characters: at a space, or beside a wide (CJK) one."""
    return before == " " or after == " " or cell_len(before) > 1 or cell_len(after) > 1


def wrap(text: str, width: int) -> list[str]:
    """Break *text* into lines of at most *width* columns (CJK-aware).

    Latin words move whole to the next line when they fit on one; CJK text (no spaces)
    and words longer than a line break anywhere."""
    lines: list[str] = []
    for para in text.splitlines() or [""]:
        line = ""
        for ch in para:
            if cell_len(line + ch) <= width:
                line += ch
                continue
            if ch == " " or not line or _can_break(line[-1], ch):
                lines.append(line.rstrip() if ch == " " else line)
                line = "" if ch == " " else ch
                continue
            cut = next((j for j in range(len(line) - 1, 0, -1) if _can_break(line[j - 1], line[j])), 0)
            tail = line[cut:].lstrip(" ")
            if cut and line[:cut].strip() and cell_len(tail + ch) <= width:
                lines.append(line[:cut].rstrip())
                line = tail + ch
            else:
                lines.append(line)
                line = ch
        lines.append(line)
    return lines


def left_right(left: str, right: str, width: int) -> str:
    """*left* then *right* flush to the right edge; the left side is cut when both don't fit."""
    room = width - cell_len(right) - 1
    if room < 1:
        return fit(right, width)
    return fit(left, room) + " " + right


def center(text: str, width: int) -> str:
    w = cell_len(text)
    if w >= width:
        return fit(text, width)
    pad = (width - w) // 2
    return " " * pad + text + " " * (width - w - pad)


def rule(width: int, ch: str = "-") -> str:
    return ch * width


@dataclass
class Delivered:
    path: Path | None
    printed: bool
    error: str | None = None


def deliver(text: str, kind: str, name: str) -> Delivered:
    """Save the printout as HOME/printouts/<kind>/<name>.txt and send it to the print command."""
    folder = _config["folder"]
    path: Path | None = None
    if folder is not None:
        target = private.make_dir(Path(folder) / "printouts" / kind)  # 0700 folders
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
        path = private.write_text(target / f"{safe}.txt", text)  # 0600: receipts name customers
    command = _config["command"]
    if not command:
        return Delivered(path, False)
    try:
        subprocess.run(shlex.split(str(command)), input=text.encode("utf-8"), check=True, timeout=20,
                       capture_output=True)
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        return Delivered(path, False, str(exc))
    return Delivered(path, True)
