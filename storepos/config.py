"""Settings of one running storepos: one pydantic model, filled from env STOREPOS_* and the CLI."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from pydantic import BaseModel, ConfigDict, Field, field_validator

from storepos.i18n import normalize_language
from storepos.paths import default_home

_PASSWORD_KEYS = ("password", "passwd", "pwd")


def _split(text: str) -> tuple[str, str | None, str, str]:
    """scheme, the userinfo (None without an "@"), host[:port] and the rest (path, query) of a
    URL.  The userinfo runs to the LAST "@" before the query, so a password holding an unquoted
    "@" or "/" is still all of it."""
    head, _, rest = text.partition("://")
    before_query = rest.split("?", 1)[0].split("#", 1)[0]
    at = before_query.rfind("@")
    start = at + 1 if at >= 0 else 0
    end = min((i for i in (rest.find(c, start) for c in "/?#") if i >= 0), default=len(rest))
    userinfo = rest[:at] if at >= 0 else None
    return head, userinfo, rest[start:end], rest[end:]


def masked(target: str | None) -> str:
    """A database path or URL as it may be shown or logged: a URL's password becomes ``***``
    (``postgresql://user:***@host/db``), as does a ``password=`` query option.  Every message,
    output and log line that names a database goes through this."""
    if not target:
        return ""
    text = str(target)
    if "://" not in text:
        return text
    head, userinfo, hostport, tail = _split(text)
    if userinfo is None:
        authority = hostport
    elif ":" in userinfo:
        authority = f"{userinfo.split(':', 1)[0]}:***@{hostport}"
    else:
        authority = f"{userinfo}@{hostport}"
    path, q, query = tail.partition("?")
    if q:
        query, hash_, fragment = query.partition("#")
        query = "&".join(
            f"{k}=***" if sep and k.lower() in _PASSWORD_KEYS else f"{k}{sep}{v}"
            for k, sep, v in (item.partition("=") for item in query.split("&"))
        ) + hash_ + fragment
    return f"{head}://{authority}{path}{q}{query}"


def _secrets_of(target: str) -> set[str]:
    """The password a database URL carries, as written and decoded (to scrub a driver's text)."""
    _, userinfo, _, tail = _split(target)
    found = set()
    if userinfo and ":" in userinfo:
        raw = userinfo.split(":", 1)[1]
        found |= {raw, unquote(raw)}
    for item in tail.partition("?")[2].partition("#")[0].split("&"):
        key, _, value = item.partition("=")
        if key.lower() in _PASSWORD_KEYS:
            found |= {value, unquote(value)}
    return {x for x in found if x}


def scrub(text: str, target: str | None) -> str:
    """*text* (a driver's error message) with *target* masked and its password, wherever it
    appears, replaced by ``***``."""
    out = str(text)
    if target and "://" in str(target):
        out = out.replace(str(target), masked(target))
        for secret in sorted(_secrets_of(str(target)), key=len, reverse=True):
            out = out.replace(secret, "***")
    return out


def _default_terminal() -> str:
    host = socket.gethostname().split(".")[0] or "POS"
    return host[:20]


class Settings(BaseModel):
    """What this terminal runs with.  Env: STOREPOS_HOME, STOREPOS_DB, STOREPOS_LANG,
    STOREPOS_TERMINAL, STOREPOS_IDLE_LOCK_MINUTES, STOREPOS_PRINT_COMMAND, STOREPOS_PRINT_SHELL,
    STOREPOS_PRINT_TIMEOUT, STOREPOS_PEPPER_FILE, STOREPOS_AUDIT_KEY_FILE, STOREPOS_PRACTICE_DB,
    STOREPOS_PRACTICE_PRINT_COMMAND.

    ``db`` always names the LIVE database; with ``practice`` the app runs on the practice database
    instead (``practice_db``, default HOME/practice.db, HOME/demo-practice.db with --demo), which is
    seeded from the live one and never writes to it."""

    model_config = ConfigDict(extra="forbid")

    home: Path = Field(default_factory=default_home, description="folder for the database, pepper, receipts")
    db: str | None = Field(None, description="database path or URL (sqlite:///…, postgresql://…)")
    lang: str | None = Field(None, description="zh_CN or en; default: the staff member's own")
    terminal: str = Field(default_factory=_default_terminal, description="this counter's code")
    idle_lock_minutes: float = Field(5, ge=0, description="lock an idle terminal after this long; 0: never")
    print_command: str | None = Field(None, description="command that receives a receipt/quote on stdin")
    print_shell: bool = Field(False, description="run the print command as a shell pipeline (iconv … | lp)")
    print_timeout: float = Field(15, gt=0, le=600, description="seconds a print may take before it fails")
    practice_print_command: str | None = Field(None, description="print command for practice printouts; "
                                                                 "default: none (saved only)")
    pepper_file: Path | None = Field(None, description="secret mixed into PIN hashes; default HOME/pepper")
    audit_key_file: Path | None = Field(None, description="secret keys of the audit chain; default beside the pepper")
    practice_db: str | None = Field(None, description="practice database path or URL; default HOME/practice.db")
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
    def audit_key_path(self) -> Path:
        """The audit chain's keys (services.core.audit): beside the pepper, kept outside the
        database like it; the live and the practice database share it (each uses its own key ids)."""
        return self.audit_key_file or self.pepper_path.parent / "audit-key"

    @property
    def files_home(self) -> Path:
        """Where this run writes its files (printouts, exports): HOME, or HOME/practice in practice,
        so nothing practice writes can overwrite or be taken for a live file."""
        return self.home / "practice" if self.practice else self.home

    @property
    def active_print_command(self) -> str | None:
        """The print command of this run: live's, or in practice the practice one (default none)."""
        return self.practice_print_command if self.practice else self.print_command

    @property
    def live_target(self) -> str:
        """The live database: the --db value, else HOME/storepos.db (HOME/demo.db for --demo)."""
        if self.db:
            return self.db
        return str(self.home / ("demo.db" if self.demo else "storepos.db"))

    @property
    def practice_target(self) -> str:
        """The practice database: --practice-db, else HOME/practice.db (HOME/demo-practice.db)."""
        if self.practice_db:
            return self.practice_db
        return str(self.home / ("demo-practice.db" if self.demo else "practice.db"))

    @property
    def database_target(self) -> str:
        """The database this run opens: the practice one with --practice, else the live one."""
        return self.practice_target if self.practice else self.live_target

    @property
    def shown_target(self) -> str:
        """:attr:`database_target` as it may be printed (its password masked)."""
        return masked(self.database_target)


ENV_FIELDS = {
    "home": "STOREPOS_HOME",
    "db": "STOREPOS_DB",
    "lang": "STOREPOS_LANG",
    "terminal": "STOREPOS_TERMINAL",
    "idle_lock_minutes": "STOREPOS_IDLE_LOCK_MINUTES",
    "print_command": "STOREPOS_PRINT_COMMAND",
    "print_shell": "STOREPOS_PRINT_SHELL",
    "print_timeout": "STOREPOS_PRINT_TIMEOUT",
    "practice_print_command": "STOREPOS_PRACTICE_PRINT_COMMAND",
    "pepper_file": "STOREPOS_PEPPER_FILE",
    "audit_key_file": "STOREPOS_AUDIT_KEY_FILE",
    "practice_db": "STOREPOS_PRACTICE_DB",
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
