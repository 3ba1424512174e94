"""Layers point down only: ui -> services -> models -> db.

- nothing below ui/ imports textual or ui (the CLI starts the app, and prints the reports' rich
  views, lazily);
- models never import services or ui;
- ui/, cli.py and commands/ never import models, db or peewee: screens and commands call services;
- a screen uses an area through its public API only (the names in services/<area>/__init__'s
  __all__), never an area's internal modules;
- an area uses another area through that area's public API (or services.core), never its
  internals.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path


SRC = Path(__file__).resolve().parents[2] / "storepos"
SERVICES = SRC / "services"
AREAS = sorted(p.name for p in SERVICES.iterdir() if p.is_dir() and (p / "__init__.py").exists()
               and p.name != "core")

# Where the CLI may reach into ui/ (lazily): the app itself, and the reports' rich views.
CLI_UI_ALLOWED = {"storepos.ui", "storepos.ui.app", "storepos.ui.reports", "storepos.ui.reports.view"}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _imports(path: Path) -> set[str]:
    """Every module *path* imports, `from x import y` giving both x and x.y (y may be a module)."""
    out: set[str] = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return out


def _rel(path: Path) -> str:
    return str(path.relative_to(SRC))


def _files(*parts: str) -> list[Path]:
    return sorted(SRC.joinpath(*parts).rglob("*.py"))


def _is_module(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


def test_core_never_imports_textual_or_ui():
    core = [p for p in SRC.rglob("*.py") if "ui" not in p.relative_to(SRC).parts]
    assert core
    for path in core:
        cli = path.name == "cli.py" or "commands" in path.parts
        bad = {m for m in _imports(path) if m.split(".")[0] == "textual"
               or (m.startswith("storepos.ui") and not (cli and (m in CLI_UI_ALLOWED
                                                                 or m.startswith("storepos.ui.app."))))}
        assert not bad, f"{_rel(path)} imports {bad}"


def test_models_do_not_import_services():
    for path in _files("models"):
        bad = {m for m in _imports(path) if m.startswith("storepos.services") or m.startswith("storepos.ui")}
        assert not bad, f"{path.name} imports {bad}"


def _data_access(path: Path) -> list[str]:
    bad = {m for m in _imports(path) if m.split(".")[0] in ("peewee", "playhouse")
           or m in ("storepos.models", "storepos.db") or m.startswith(("storepos.models.", "storepos.db."))}
    # `from storepos.models import Staff` gives storepos.models and storepos.models.Staff: name the module
    mods = sorted({m if m in ("peewee", "playhouse") else ".".join(m.split(".")[:2]) for m in bad})
    return [f"imports {m}" for m in mods]


def _area_api(area: str) -> set[str]:
    module = importlib.import_module(f"storepos.services.{area}")
    return set(getattr(module, "__all__", ()))


def _internal_uses(path: Path, own_area: str | None) -> list[str]:
    """Uses of another area's internals in *path*: importing storepos.services.<area>.<module>, or
    naming something through the area package that is not in its __all__."""
    out: list[str] = []
    bound: dict[str, str] = {}  # local name -> area whose package it is
    tree = _tree(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            mod = node.module
            parts = mod.split(".")
            if mod == "storepos.services":
                for a in node.names:
                    if a.name in AREAS and a.name != own_area:
                        bound[a.asname or a.name] = a.name
            elif parts[:2] == ["storepos", "services"] and len(parts) >= 3 and parts[2] in AREAS \
                    and parts[2] != own_area:
                if len(parts) > 3:
                    out.append(f"imports {mod}")
                    continue
                api = _area_api(parts[2])
                for a in node.names:
                    if a.name not in api:
                        out.append(f"imports {mod}.{a.name} (not in its __all__)")
        elif isinstance(node, ast.Import):
            for a in node.names:
                parts = a.name.split(".")
                if parts[:2] == ["storepos", "services"] and len(parts) > 3 and parts[2] in AREAS \
                        and parts[2] != own_area:
                    out.append(f"imports {a.name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound:
            area = bound[node.value.id]
            if node.attr not in _area_api(area):
                out.append(f"uses {node.value.id}.{node.attr} (not in services.{area}.__all__)")
    return sorted(set(out))


def _own_area(path: Path) -> str | None:
    parts = path.relative_to(SRC).parts
    if parts[0] == "services" and len(parts) > 2:
        return parts[1]
    return None


def _core_imports_areas(path: Path) -> list[str]:
    """services/core is below the areas: it never imports one (the manifest names them lazily)."""
    parts = path.relative_to(SRC).parts
    if parts[:2] != ("services", "core"):
        return []
    return sorted({f"core imports {m}" for m in _imports(path)
                   if m.split(".")[:2] == ["storepos", "services"] and len(m.split(".")) > 2
                   and m.split(".")[2] in AREAS})


def violations() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = _rel(path)
        top = path.relative_to(SRC).parts[0]
        uses: list[str] = []
        if top in ("ui", "commands", "cli.py"):
            uses += _data_access(path)
        if top in ("ui", "commands", "cli.py", "services") and path.name != "manifest.py":
            uses += _internal_uses(path, _own_area(path))
        uses += _core_imports_areas(path)
        if uses:
            found[rel] = uses
    return found


# Still reaching past a layer or an area's public API: moving each area onto its public API
# empties its part of this list (the UI-kit issue).  Never add to it.
KNOWN: dict[str, list[str]] = {
}


def test_screens_and_commands_use_services_and_areas_their_public_api():
    new = {k: [u for u in v if u not in KNOWN.get(k, [])] for k, v in violations().items()}
    new = {k: v for k, v in new.items() if v}
    assert not new, "\n".join(f"{k}: {'; '.join(v)}" for k, v in new.items())


def test_known_exceptions_are_still_real():
    """An entry in KNOWN that no longer happens must be deleted (the list only shrinks)."""
    found = violations()
    stale = {k: [u for u in v if u not in found.get(k, [])] for k, v in KNOWN.items()}
    stale = {k: v for k, v in stale.items() if v}
    assert not stale, f"no longer true, delete from KNOWN: {stale}"
