"""Where the shipped data lives (styles/, fixtures/) and where the user's data goes."""

from __future__ import annotations

import os
from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    # Installed wheel: storepos/_data/<name>.  Source checkout / editable install: <repo>/<name>.
    for candidate in (_PKG / "_data" / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"storepos data folder '{name}' is missing from the installation")


def fixtures_dir() -> Path:
    return _data_dir("fixtures")


def styles_dir() -> Path:
    return _data_dir("styles")


def default_home() -> Path:
    """$STOREPOS_HOME, else $XDG_DATA_HOME/storepos, else ~/.local/share/storepos."""
    env = os.environ.get("STOREPOS_HOME")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "storepos"
