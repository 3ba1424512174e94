"""What keeps practice apart from live: the practice mark and read-only connections.

The practice database carries ``database_role = practice`` in storepos_meta and every practice
write checks it (:func:`require_practice_db`).  Another database (the live one when seeding, the
practice one from the live app) is only ever read, through its own read-only peewee database
object (:func:`open_readonly`), never through the bound proxy.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote as url_quote

import peewee
from playhouse.db_url import connect as url_connect

from storepos.db import is_url, transaction
from storepos.models import Meta
from storepos.services.core.errors import DomainError

ROLE_KEY = "database_role"


def open_readonly(target: str) -> peewee.Database:
    """A separate, read-only peewee database for *target* (never bound to the models).  SQLite:
    mode=ro URI; PostgreSQL: default_transaction_read_only.  Raises DomainError when missing."""
    target = target.strip()
    if is_url(target) and not target.lower().startswith("sqlite:"):
        return url_connect(target, options="-c default_transaction_read_only=on")
    path = target.split("://", 1)[1].lstrip("/") if target.lower().startswith("sqlite:") else target
    if target.lower().startswith("sqlite:////"):
        path = "/" + path
    p = Path(path).expanduser()
    if not p.is_file():
        raise DomainError("err.practice_db_missing", target=str(p))
    return peewee.SqliteDatabase(f"file:{url_quote(str(p.resolve()))}?mode=ro", uri=True, timeout=15,
                                 pragmas={"busy_timeout": 15000}, check_same_thread=False)


def is_practice_db() -> bool:
    """Whether the bound database carries the practice mark."""
    row = Meta.get_or_none(Meta.key == ROLE_KEY)
    return row is not None and row.value == "practice"


def require_practice_db() -> None:
    """Practice writes only ever go to a database marked as the practice one.  Raises
    DomainError("err.practice_live_db") otherwise."""
    if not is_practice_db():
        raise DomainError("err.practice_live_db")


def mark_as_practice() -> None:
    """Mark the bound database as the practice one (its own transaction)."""
    with transaction():
        if not Meta.update(value="practice").where(Meta.key == ROLE_KEY).execute():
            Meta.insert(key=ROLE_KEY, value="practice").execute()


def same_database(a: str, b: str) -> bool:
    """Whether two targets (paths or URLs) name the same database."""
    if is_url(a) or is_url(b):
        return a.strip() == b.strip()
    return Path(a).expanduser().resolve() == Path(b).expanduser().resolve()
