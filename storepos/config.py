"""Settings of one running storepos: one pydantic model, filled from env STOREPOS_* and the CLI."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from storepos.i18n import normalize_language
from storepos.paths import default_home


def _default_terminal() -> str:
    host = socket.gethostname().split(".")[0] or "POS"
    return host[:20]


class Settings(BaseModel):
    """What this terminal runs with.  Env: STOREPOS_HOME, STOREPOS_DB, STOREPOS_LANG,
    STOREPOS_TERMINAL, STOREPOS_IDLE_LOCK_MINUTES, STOREPOS_PRINT_COMMAND, STOREPOS_PEPPER_FILE."""

    model_config = ConfigDict(extra="forbid")

    home: Path = Field(default_factory=default_home, description="folder for the database, pepper, receipts")
    db: str | None = Field(None, description="database path or URL (sqlite:///…, postgresql://…)")
    lang: str | None = Field(None, description="zh_CN or en; default: the staff member's own")
    terminal: str = Field(default_factory=_default_terminal, description="this counter's code")
    idle_lock_minutes: float = Field(5, ge=0, description="lock an idle terminal after this long; 0: never")
    print_command: str | None = Field(None, description="command that receives a receipt/quote on stdin")
    pepper_file: Path | None = Field(None, description="secret mixed into PIN hashes; default HOME/pepper")
    demo: bool = False
    practice: bool = False

    @field_validator("lang")
    @classmethod
    def _lang(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        code = normalize_language(value)
        if code is None:
            raise ValueError(f"unknown language '{value}' (use zh_CN or en)")
        return code

    @field_validator("terminal")
    @classmethod
    def _terminal(cls, value: str) -> str:
        value = value.strip()
        if not value or len(value) > 40:
            raise ValueError("terminal code must be 1-40 characters")
        return value

    @property
    def pepper_path(self) -> Path:
        return self.pepper_file or self.home / "pepper"

    @property
    def database_target(self) -> str:
        """The --db value, else the default file (demo.db for --demo, practice.db for --practice)."""
        if self.db:
            return self.db
        if self.practice:
            return str(self.home / "practice.db")
        return str(self.home / ("demo.db" if self.demo else "storepos.db"))


ENV_FIELDS = {
    "home": "STOREPOS_HOME",
    "db": "STOREPOS_DB",
    "lang": "STOREPOS_LANG",
    "terminal": "STOREPOS_TERMINAL",
    "idle_lock_minutes": "STOREPOS_IDLE_LOCK_MINUTES",
    "print_command": "STOREPOS_PRINT_COMMAND",
    "pepper_file": "STOREPOS_PEPPER_FILE",
}


def load_settings(**overrides: Any) -> Settings:
    """Env first, then explicit overrides (CLI flags) that are not None.  Raises pydantic's
    ValidationError on bad values."""
    values: dict[str, Any] = {}
    for field, env in ENV_FIELDS.items():
        if os.environ.get(env):
            values[field] = os.environ[env]
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)
