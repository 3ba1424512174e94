"""Schema creation and upgrades.

The database carries its schema version in storepos_meta('schema_version').  A new database is
created at SCHEMA_VERSION; an older one is upgraded in place, step by step, inside one
transaction; a newer one is refused (it was written by a newer storepos).

To change the schema: bump SCHEMA_VERSION and add a step to MIGRATIONS.  New tables need no step
of their own: after the steps, every model of ALL_MODELS that is missing is created.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import peewee

from storepos.db import database, is_sqlite, transaction
from storepos.models import ALL_MODELS
from storepos.models.catalog import SQLITE_SEARCH_INDEX, Product
from storepos.models.staff import Staff
from storepos.models.store import Meta, Terminal

if TYPE_CHECKING:
    from playhouse.migrate import SchemaMigrator

# v3: checklist, visits, stock ledger and batches, extra barcodes, product.defective;
# v4: quotes and checkout (new tables) and the v3 column step again for databases that reached v3
# before product.defective existed;
# v5: after-sales (follow-ups, surveys, service tickets), practice (scenario, practice_session,
# practice_step, rubric_score): new tables; the manager's desk indexes on existing tables (sale,
# payment, approval, receivable, register_session).
# v6: the journey area (journey, cart_draft): new tables (carts leave their JSON files).
# v7: the keyed audit chain: audit_log.key_id; the upgrade records where the keyed chain starts
# (the on_upgrade hook of ensure_schema, services.core.audit.start_keyed_chain).
# v8: the print queue (print_job): a new table.
SCHEMA_VERSION = 8


class SchemaError(Exception):
    """key/params form the user's message (i18n)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def migrate(*operations: Any) -> None:
    """playhouse.migrate's migrate, imported when an upgrade runs (not at every start)."""
    from playhouse.migrate import migrate as run

    run(*operations)


def _migrator() -> SchemaMigrator:
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator

    db = database.obj
    return SqliteMigrator(db) if is_sqlite(db) else PostgresqlMigrator(db)


def _columns(table: str) -> set[str]:
    return {c.name for c in database.obj.get_columns(table)}


def _v2(m: SchemaMigrator) -> None:
    """v2: staff language preference and lockout growth; terminals remember when last seen."""
    ops = []
    cols = _columns("staff")
    if "language" not in cols:
        ops.append(m.add_column("staff", "language", Staff.language))
    if "lockouts" not in cols:
        ops.append(m.add_column("staff", "lockouts", Staff.lockouts))
    if "last_seen_at" not in _columns("terminal"):
        ops.append(m.add_column("terminal", "last_seen_at", Terminal.last_seen_at))
    if ops:
        migrate(*ops)


def _v3(m: SchemaMigrator) -> None:
    """v3: defective stock quantity on products (new tables: checklist, visits, product_barcode,
    batch, stock_move).  A database without a product table gets it whole afterwards."""
    if database.obj.table_exists("product") and "defective" not in _columns("product"):
        migrate(m.add_column("product", "defective", Product.defective))


def _v5(m: SchemaMigrator) -> None:
    """v5: the reports' indexes (models' Meta) on tables that already exist; CREATE INDEX IF NOT
    EXISTS, so a table that is missing (created whole afterwards) or an index already there is fine."""
    from storepos.models import Approval, Payment, Receivable, RegisterSession, Sale

    for model in (Sale, Payment, Approval, Receivable, RegisterSession):
        if database.obj.table_exists(model._meta.table_name):
            model._schema.create_indexes(safe=True)


def _v7(m: SchemaMigrator) -> None:
    """v7: audit_log.key_id (NULL on the rows written before: plain SHA-256 links)."""
    if database.obj.table_exists("audit_log") and "key_id" not in _columns("audit_log"):
        from storepos.models import AuditLog

        migrate(m.add_column("audit_log", "key_id", AuditLog.key_id))


MIGRATIONS: dict[int, Callable[[SchemaMigrator], None]] = {
    2: _v2,
    3: _v3,
    4: _v3,
    5: _v5,
    7: _v7,
}


def set_meta(key: str, value: str) -> None:
    """Upsert a storepos_meta row (portable: REPLACE is SQLite-only)."""
    if not Meta.update(value=value).where(Meta.key == key).execute():
        Meta.insert(key=key, value=value).execute()


def ensure_search_index() -> None:
    """SQLite: the trigram FTS5 index of product names and its triggers (idempotent; filled from
    the product table when it is new).  Skipped quietly where FTS5/trigram is unavailable:
    search then uses the plain path.  Nothing to do on PostgreSQL."""
    db = database.obj
    if not is_sqlite(db):
        return
    existed = db.table_exists("product_fts")
    try:
        with transaction():
            for sql in SQLITE_SEARCH_INDEX:
                db.execute_sql(sql)
            if not existed:
                db.execute_sql("INSERT INTO product_fts(product_fts) VALUES ('rebuild')")
    except peewee.OperationalError:  # pragma: no cover - SQLite built without FTS5 trigram
        pass


def get_version() -> int | None:
    """The database's schema version; None for an empty database."""
    db = database.obj
    if not db.table_exists("storepos_meta"):
        return None
    row = Meta.get_or_none(Meta.key == "schema_version")
    return int(row.value) if row else None


def ensure_schema(on_upgrade: Callable[[int], None] | None = None) -> tuple[int | None, int]:
    """Create or upgrade the schema.  Returns (version found, version now).

    *on_upgrade(found)* runs inside the upgrade's transaction, after the steps (the audit chain
    records where its keyed part starts there, atomically with the new version).
    Raises SchemaError when the database is newer than this program or is not a storepos one.
    """
    db = database.obj
    found = get_version()
    if found is None:
        if db.get_tables() and not db.table_exists("storepos_meta"):
            other = [t for t in db.get_tables() if not t.startswith("sqlite_")]
            if other:
                raise SchemaError("err.db_not_storepos")
        with transaction():
            db.create_tables(ALL_MODELS, safe=True)
            set_meta("schema_version", str(SCHEMA_VERSION))
        ensure_search_index()
        return None, SCHEMA_VERSION
    if found > SCHEMA_VERSION:
        raise SchemaError("err.db_too_new", found=found, supported=SCHEMA_VERSION)
    if found < SCHEMA_VERSION:
        m = _migrator()
        if is_sqlite(db):
            # ALTER TABLE on SQLite (add_column with constraints) must not run with FKs on.
            db.execute_sql("PRAGMA foreign_keys = OFF")
        try:
            with transaction():
                for version in range(found + 1, SCHEMA_VERSION + 1):
                    step = MIGRATIONS.get(version)
                    if step is not None:
                        step(m)
                db.create_tables(ALL_MODELS, safe=True)
                if on_upgrade is not None:
                    on_upgrade(found)
                set_meta("schema_version", str(SCHEMA_VERSION))
        finally:
            if is_sqlite(db):
                db.execute_sql("PRAGMA foreign_keys = ON")
    else:
        # Same version: tables added by later code of the same version are still created.
        missing = [m for m in ALL_MODELS if not db.table_exists(m._meta.table_name)]
        if missing:
            with transaction():
                db.create_tables(missing, safe=True)
    ensure_search_index()
    return found, SCHEMA_VERSION


def integrity_problems() -> list[str]:
    """SQLite's integrity_check and foreign_key_check; empty when all is well."""
    db = database.obj
    problems: list[str] = []
    if is_sqlite(db):
        rows = [r[0] for r in db.execute_sql("PRAGMA integrity_check").fetchall()]
        if rows != ["ok"]:
            problems.extend(rows)
        for row in db.execute_sql("PRAGMA foreign_key_check").fetchall():
            problems.append(f"foreign key: {row}")
    return problems


__all__ = ["SCHEMA_VERSION", "SchemaError", "ensure_schema", "ensure_search_index", "get_version",
           "integrity_problems",
           "peewee"]
