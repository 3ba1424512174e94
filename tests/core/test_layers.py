"""Layers point down only: nothing below ui/ imports textual; services never import ui."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "storepos"


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def test_core_never_imports_textual_or_ui():
    core = [p for p in SRC.rglob("*.py") if "ui" not in p.relative_to(SRC).parts]
    assert core
    for path in core:
        if path.name in ("cli.py",) or "commands" in path.parts:
            continue  # the CLI starts the app lazily
        bad = {m for m in _imports(path) if m.split(".")[0] == "textual" or m.startswith("storepos.ui")}
        assert not bad, f"{path.relative_to(SRC)} imports {bad}"


def test_models_do_not_import_services():
    for path in (SRC / "models").rglob("*.py"):
        bad = {m for m in _imports(path) if m.startswith("storepos.services") or m.startswith("storepos.ui")}
        assert not bad, f"{path.name} imports {bad}"
