"""Opening the practice database for the app (``storepos --practice``).

Practice runs on its OWN database (``Settings.practice_target``, default HOME/practice.db);
when it is new it is marked as the practice one and seeded from the live store.
"""

from __future__ import annotations

from storepos.config import Settings, masked
from storepos.db import database
from storepos.models import Store
from storepos.services import demo
from storepos.services.core.bootstrap import Opened, close_database, open_store_database
from storepos.services.core.errors import DomainError
from storepos.services.practice.isolation import is_practice_db, mark_as_practice, same_database
from storepos.services.practice.seeding import seed_from_live


def _unbind() -> None:
    close_database()
    database.initialize(None)


def prepare(settings: Settings, *, load_demo: bool | None = None) -> Opened:
    """Open the practice database for *settings* (bound as the app's database), created and
    seeded from the live one when new.  With --demo the demo store is loaded into the live demo
    database first.  Returns bootstrap.Opened.  Raises DomainError (same file as live, not a
    practice database, live missing), DatabaseOpenError, SchemaError."""
    practice_settings = settings.model_copy(update={"practice": True})
    live_settings = settings.model_copy(update={"practice": False})
    if same_database(settings.live_target, settings.practice_target):
        raise DomainError("err.practice_same_db", target=masked(settings.practice_target))
    if load_demo if load_demo is not None else settings.demo:
        open_store_database(live_settings)
        try:
            demo.load_demo()
        finally:
            _unbind()
    opened = open_store_database(practice_settings)
    if not is_practice_db():
        # a database with a store but no mark may be someone's live one: never write to it
        if not opened.created and Store.select().exists():
            _unbind()
            raise DomainError("err.practice_not_practice_db", target=masked(settings.practice_target))
        mark_as_practice()
    if not Store.select().exists():
        seed_from_live(practice_settings)
    return opened
