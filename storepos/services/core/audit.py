"""The audit log: every write that matters appends one row; rows are never changed.

Rows form a keyed chain: each row's ``hash`` is an HMAC-SHA256, under a secret audit key kept
OUTSIDE the database, of the row's contents, its key id and the hash of the row before it.  A
changed or removed row breaks the chain, and someone who can write the database but not read the
key file cannot compute a chain that `storepos check` accepts (a plain SHA-256 chain, which
anyone can recompute, was what rows had before schema 7).

The key file (``Settings.audit_key_path``, beside the pepper, 0600) holds numbered keys, one per
line: ``<id> <64 hex digits>``.  Each row names its key (``key_id``); `storepos audit-key rotate`
appends a new key and keeps the old ones, which old rows still need.  The database keeps a
fingerprint of every key it used (``audit_keys``) and the key it signs with now (``audit_key``),
so a missing or replaced key file is one clear message, not a "row changed" per row.

A database upgraded from before schema 7 keeps its plain SHA-256 rows: they are verified the old
way, up to the first keyed row, written by the upgrade itself (``audit.chain_keyed``), whose
HMAC covers the hash of the last plain row.  Where that start is (row id, that hash, the key) is
kept in ``audit_keyed_from`` with an HMAC of its own, written in the upgrade's transaction: it
cannot be moved, forward or back, without the key.

The chain head lives in storepos_meta and is updated in the writing transaction, which
serialises writers on every database.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import peewee

from storepos import clock
from storepos.db import database, transaction
from storepos.i18n import t
from storepos.models import AuditLog, Meta
from storepos.models.schema import SchemaError
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError

GENESIS = "0" * 64
KEYED_SINCE = 7  # the schema version from which every new audit row is keyed
MAX_ROW_LINES = 20  # rows named by check; the rest are counted

HEAD, CURRENT, KNOWN, START = "audit_head", "audit_key", "audit_keys", "audit_keyed_from"

_key_path: Path | None = None
_KEY_LINE = re.compile(r"^\s*(\d{1,9})\s+([0-9a-fA-F]{64})\s*$")
_cache: dict[Path, tuple[tuple[int, int, int], dict[int, bytes]]] = {}


class KeyFileError(Exception):
    """The key file cannot be used: ``reason`` says why (missing: FileNotFoundError instead)."""


# -- the key file -------------------------------------------------------------------------------

def configure_key(path: Path) -> None:
    global _key_path
    _key_path = Path(path)


def key_path() -> Path:
    if _key_path is None:
        raise RuntimeError("audit.configure_key() was not called")
    return _key_path


def fingerprint(key: bytes) -> str:
    return hmac.new(key, b"storepos audit key check", hashlib.sha256).hexdigest()[:32]


def read_keys(path: Path) -> dict[int, bytes]:
    """The keys in *path* by id.  Raises FileNotFoundError, or KeyFileError naming the problem."""
    try:
        st = path.stat()
        sig = (st.st_ino, st.st_size, st.st_mtime_ns)
        cached = _cache.get(path)
        if cached is not None and cached[0] == sig:
            return dict(cached[1])
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise
    except (OSError, UnicodeError) as exc:
        raise KeyFileError(getattr(exc, "strerror", None) or str(exc)) from None
    keys: dict[int, bytes] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _KEY_LINE.match(line)
        if m is None or int(m.group(1)) in keys:
            raise KeyFileError(f"line {number}")
        keys[int(m.group(1))] = bytes.fromhex(m.group(2))
    if not keys:
        raise KeyFileError("no key")
    _cache[path] = (sig, dict(keys))
    return keys


def _write_keys(path: Path, keys: dict[int, bytes], *, new: bool) -> None:
    """Write the key file whole: a 0600 file made with O_EXCL beside it, then linked in place
    (*new*: fails with FileExistsError when another process made the file first) or renamed over
    the old one.  Never a half-written key file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    body = ("# storepos audit chain keys: secret. Back this file up apart from the database;\n"
            "# never delete a key (old audit rows are verified with it). Format: <id> <key>\n"
            + "".join(f"{kid} {keys[kid].hex()}\n" for kid in sorted(keys)))
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        if new:
            os.link(tmp, path)
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        if tmp.exists():
            tmp.unlink()
        raise
    try:
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:  # pragma: no cover - a folder that cannot be fsynced
        pass


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Rotations of databases sharing one key file (live, practice, demo) one at a time: each
    reads the file, adds its key and writes it back whole."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not a POSIX system
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _keys_or_refuse(path: Path) -> dict[int, bytes]:
    try:
        return read_keys(path)
    except FileNotFoundError:
        raise DomainError("err.audit_key_missing", path=str(path)) from None
    except KeyFileError as exc:
        raise DomainError("err.audit_key_unreadable", path=str(path), reason=str(exc)) from None


# -- storepos_meta ------------------------------------------------------------------------------

def _meta(*keys: str) -> dict[str, str]:
    return {m.key: m.value for m in Meta.select().where(Meta.key.in_(keys))}


def _set_meta(present: dict[str, str], key: str, value: str) -> None:
    if key in present:
        Meta.update(value=value).where(Meta.key == key).execute()
    else:
        Meta.insert(key=key, value=value).execute()
    present[key] = value


def _known(metas: dict[str, str]) -> dict[int, str]:
    """Fingerprints of the keys this database's chain used, by key id."""
    try:
        return {int(k): str(v) for k, v in json.loads(metas.get(KNOWN) or "{}").items()}
    except (ValueError, TypeError, AttributeError):
        return {}


def _start(metas: dict[str, str]) -> dict[str, Any] | None:
    """The recorded start of the keyed chain (upgraded databases), {} when it cannot be read,
    None when there is none."""
    if START not in metas:
        return None
    try:
        start = json.loads(metas[START])
        return start if isinstance(start, dict) and isinstance(start.get("row"), int) else {}
    except ValueError:
        return {}


def _current_id(metas: dict[str, str]) -> int | None:
    """The id of the key this database signs with; None when there is none or it is garbled."""
    try:
        return int(metas[CURRENT])
    except (KeyError, ValueError):
        return None


def _start_mac(key: bytes, row: int, prev: str, key_id: int) -> str:
    return hmac.new(key, f"storepos audit keyed from|{row}|{prev}|{key_id}".encode(),
                    hashlib.sha256).hexdigest()


def _signing_key(metas: dict[str, str], *, create: bool = True) -> tuple[int, bytes] | None:
    """The key this database signs new rows with: (id, key).  The first keyed row takes the key
    file's newest key, making the file (0600) when there is none and nothing was keyed yet.
    Raises DomainError when the file is missing, unreadable, lacks that key or holds another.
    With *create* False nothing is written and None means "nothing signed yet"."""
    path = key_path()
    if CURRENT in metas:
        kid = _current_id(metas)
        if kid is None:
            raise DomainError("err.audit_key_changed", path=str(path), key_id=metas[CURRENT])
        key = _keys_or_refuse(path).get(kid)
        if key is None:
            raise DomainError("err.audit_key_lost", path=str(path), key_id=kid)
        if _known(metas).get(kid, fingerprint(key)) != fingerprint(key):
            raise DomainError("err.audit_key_changed", path=str(path), key_id=kid)
        return kid, key
    keyed_before = AuditLog.select().where(AuditLog.key_id.is_null(False)).exists()
    if not path.exists():
        if keyed_before:
            raise DomainError("err.audit_key_missing", path=str(path))
        if not create:
            return None
        try:
            _write_keys(path, {1: secrets.token_bytes(32)}, new=True)
        except FileExistsError:
            pass  # another process made it a moment ago: use that one
    keys = _keys_or_refuse(path)
    if not create:
        return None
    kid = max(keys)
    known = _known(metas)
    if known.get(kid, fingerprint(keys[kid])) != fingerprint(keys[kid]):
        raise DomainError("err.audit_key_changed", path=str(path), key_id=kid)
    known[kid] = fingerprint(keys[kid])
    _set_meta(metas, KNOWN, json.dumps({str(k): v for k, v in sorted(known.items())}))
    _set_meta(metas, CURRENT, str(kid))
    return kid, keys[kid]


def check_key() -> None:
    """Raise DomainError when the audit key this database signs with is missing or not the one
    it used (at app start: one clear screen rather than a refusal at the first write).  Writes
    nothing and makes no file."""
    _signing_key(_meta(CURRENT, KNOWN), create=False)


# -- rows ---------------------------------------------------------------------------------------

def _payload(fields: dict[str, Any]) -> str:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str)


def _legacy_digest(prev: str, fields: dict[str, Any]) -> str:
    """The link of a row written before schema 7: plain SHA-256, which anyone can recompute.
    Only accepted before the recorded start of the keyed chain."""
    return hashlib.sha256((prev + _payload(fields)).encode("utf-8")).hexdigest()


def _link(key: bytes, key_id: int, prev: str, fields: dict[str, Any]) -> str:
    message = f"storepos audit|{key_id}|{prev}|{_payload(fields)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _row_fields(row: AuditLog) -> dict[str, Any]:
    return {
        "at": row.at.isoformat(sep=" ") if hasattr(row.at, "isoformat") else str(row.at),
        "store": row.store_id,
        "terminal": row.terminal,
        "staff": row.staff_id,
        "action": row.action,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "before": row.before,
        "after": row.after,
    }


def record(
    actor: Actor | None,
    action: str,
    entity: str = "",
    entity_id: object = "",
    *,
    before: Any = None,
    after: Any = None,
    store_id: int | None = None,
    terminal: str | None = None,
) -> AuditLog:
    """Append one audit row.  Call inside the transaction of the write it describes.  Raises
    DomainError (the write is refused whole) when the audit key file is missing or replaced."""
    assert database.obj.in_transaction(), "audit.record must run inside the write's transaction"
    metas = _meta(HEAD, CURRENT, KNOWN)
    signing = _signing_key(metas)
    assert signing is not None
    kid, key = signing
    prev = metas.get(HEAD, GENESIS)
    row = AuditLog(
        at=clock.now(),
        store=store_id if store_id is not None else (actor.store_id if actor else None),
        terminal=terminal if terminal is not None else (actor.terminal if actor else ""),
        staff=actor.staff_id if actor else None,
        action=action,
        entity=entity,
        entity_id=str(entity_id) if entity_id is not None else "",
        before=before,
        after=after,
        prev_hash=prev,
        hash="",
        key_id=kid,
    )
    row.hash = _link(key, kid, prev, _row_fields(row))
    row.save(force_insert=True)
    _set_meta(metas, HEAD, row.hash)
    return row


def start_keyed_chain(found: int) -> None:
    """Upgrade hook (models.schema.ensure_schema(on_upgrade=...)), inside the upgrade's
    transaction: a database from before schema 7 with audit rows gets its first keyed row
    (``audit.chain_keyed``, chained on the last plain row) and the record of that start, with
    its HMAC.  Without rows there is nothing to anchor: every row will be keyed."""
    if found >= KEYED_SINCE:
        return
    last = AuditLog.select(AuditLog.id, AuditLog.hash).order_by(AuditLog.id.desc()).first()
    if last is None:
        return
    count = AuditLog.select().count()
    try:
        row = record(None, "audit.chain_keyed", "audit_log", last.id, terminal="upgrade",
                     after={"plain_rows": count, "last_plain_row": last.id, "schema_from": found})
        kid, key = row.key_id, _keys_or_refuse(key_path())[row.key_id]
    except DomainError as exc:  # the upgrade is refused whole, with the key file's problem
        raise SchemaError(exc.key, **exc.params) from None
    metas = _meta(START)
    _set_meta(metas, START, json.dumps({"row": row.id, "prev": row.prev_hash, "key": kid,
                                        "mac": _start_mac(key, row.id, row.prev_hash, kid)}))


def rotate_key(terminal: str = "cli") -> tuple[int | None, int]:
    """A new audit key (the key file's highest id + 1) that this database signs with from now on;
    the old keys stay in the file (old rows are verified with them).  The rotation is the first
    row signed with the new key.  Returns (previous key id or None, new key id).  Raises
    DomainError when the key in use is missing or replaced (restore it first: a rotation must
    not hide a lost key)."""
    path = key_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _folder_lock(path.parent), transaction():
        metas = _meta(HEAD, CURRENT, KNOWN)
        previous = _signing_key(metas, create=False) if CURRENT in metas else None
        try:
            keys = read_keys(path)
            new_file = False
        except FileNotFoundError:
            if AuditLog.select().where(AuditLog.key_id.is_null(False)).exists():
                raise DomainError("err.audit_key_missing", path=str(path)) from None
            keys, new_file = {}, True
        except KeyFileError as exc:
            raise DomainError("err.audit_key_unreadable", path=str(path), reason=str(exc)) from None
        kid = max(keys, default=0) + 1
        keys[kid] = secrets.token_bytes(32)
        _write_keys(path, keys, new=new_file)
        known = _known(metas)
        known[kid] = fingerprint(keys[kid])
        _set_meta(metas, KNOWN, json.dumps({str(k): v for k, v in sorted(known.items())}))
        _set_meta(metas, CURRENT, str(kid))
        old = previous[0] if previous else None
        record(None, "audit.key_rotated", "audit_key", kid, terminal=terminal,
               before={"key": old}, after={"key": kid, "fingerprint": known[kid]})
    return old, kid


def key_status() -> dict[str, Any]:
    """What `storepos audit-key status` shows: the file, its key ids, the key in use, where the
    keyed chain starts, and the problems check would report about the key."""
    metas = _meta(CURRENT, KNOWN, START)
    path = key_path()
    try:
        ids = sorted(read_keys(path))
    except (FileNotFoundError, KeyFileError):
        ids = []
    start = _start(metas)
    last = AuditLog.select(AuditLog.id, AuditLog.hash).order_by(AuditLog.id.desc()).first()
    return {"path": str(path), "ids": ids, "current": _current_id(metas),
            "keyed_from": start.get("row") if start else None, "problems": _key_problems(metas)[0],
            "last_row": last.id if last else None, "head": last.hash if last else None}


# -- verification (`storepos check`: reads only) ------------------------------------------------

def _key_ranges() -> dict[int, tuple[int, int, int]]:
    """key id -> (first row, last row, rows) of the keyed rows."""
    q = (AuditLog.select(AuditLog.key_id, peewee.fn.MIN(AuditLog.id), peewee.fn.MAX(AuditLog.id),
                         peewee.fn.COUNT(AuditLog.id))
         .where(AuditLog.key_id.is_null(False)).group_by(AuditLog.key_id).tuples())
    return {int(k): (int(lo), int(hi), int(n)) for k, lo, hi, n in q}


def _key_problems(metas: dict[str, str]) -> tuple[list[str], dict[int, bytes]]:
    """One line per unusable key (file missing, unreadable, key lost, key replaced) and the keys
    that can verify rows."""
    path = key_path()
    known = _known(metas)
    ranges = _key_ranges()
    needed = set(ranges) | set(known)
    start = _start(metas)
    if start and isinstance(start.get("key"), int):
        needed.add(start["key"])
    if not needed:
        return [], {}
    try:
        keys = read_keys(path)
    except FileNotFoundError:
        rows = sum(n for _, _, n in ranges.values())
        return [t("integrity.audit_key_missing", path=str(path), count=rows)], {}
    except KeyFileError as exc:
        return [t("integrity.audit_key_unreadable", path=str(path), reason=str(exc))], {}
    problems: list[str] = []
    usable: dict[int, bytes] = {}
    for kid in sorted(needed):
        first, last, _ = ranges.get(kid, (0, 0, 0))
        if kid not in keys:
            problems.append(t("integrity.audit_key_lost", path=str(path), key=kid, first=first, last=last))
        elif kid in known and known[kid] != fingerprint(keys[kid]):
            problems.append(t("integrity.audit_key_changed", path=str(path), key=kid))
        else:
            usable[kid] = keys[kid]
    return problems, usable


def _plain_only() -> bool:
    """A database not upgraded yet (schema < 7, e.g. checked read-only): no key_id column, every
    row is a plain SHA-256 one."""
    return "key_id" not in {c.name for c in database.obj.get_columns(AuditLog._meta.table_name)}


def verify_chain() -> list[str]:
    """Problems in the audit chain (empty when unbroken).  Reads only: no key file is made."""
    metas = _meta(HEAD, CURRENT, KNOWN, START)
    plain_only = _plain_only()
    problems, keys = ([], {}) if plain_only else _key_problems(metas)
    start = None if plain_only else _start(metas)
    keyed_from = 1 << 62 if plain_only else 1
    start_ok = True
    if start is not None:
        keyed_from = start.get("row", 0)
        kid = start.get("key")
        if not start or not isinstance(kid, int):
            start_ok = False
        elif kid in keys:
            mac = _start_mac(keys[kid], keyed_from, str(start.get("prev")), kid)
            start_ok = hmac.compare_digest(mac, str(start.get("mac")))
    prev = GENESIS
    last = None
    seen_start = start is None
    bad_rows: list[str] = []  # a log re-chained from row 100 of 50,000: 20 lines and a count
    columns = [f for f in AuditLog._meta.sorted_fields if not (plain_only and f.name == "key_id")]
    for row in AuditLog.select(*columns).order_by(AuditLog.id).iterator():
        if row.prev_hash != prev:
            bad_rows.append(t("integrity.audit_prev", id=row.id))
        fields = _row_fields(row)
        if row.id < keyed_from:
            if row.key_id is not None or _legacy_digest(row.prev_hash, fields) != row.hash:
                bad_rows.append(t("integrity.audit_changed", id=row.id))
        elif row.key_id is None:
            bad_rows.append(t("integrity.audit_unkeyed", id=row.id))
        elif row.key_id in keys and not hmac.compare_digest(
                _link(keys[row.key_id], row.key_id, row.prev_hash, fields), row.hash):
            bad_rows.append(t("integrity.audit_changed", id=row.id))
        if start is not None and row.id == keyed_from:
            seen_start = True
            if row.prev_hash != start.get("prev") or row.key_id != start.get("key"):
                start_ok = False
        prev = row.hash
        last = row
    problems.extend(bad_rows[:MAX_ROW_LINES])
    if len(bad_rows) > MAX_ROW_LINES:
        problems.append(t("integrity.audit_more", count=len(bad_rows) - MAX_ROW_LINES))
    if not start_ok or not seen_start:
        problems.append(t("integrity.audit_start_changed", row=keyed_from))
    head = metas.get(HEAD)
    if last is not None and head != last.hash:
        problems.append(t("integrity.audit_head"))
    return problems


__all__ = ["GENESIS", "KEYED_SINCE", "KeyFileError", "check_key", "configure_key", "fingerprint", "key_path",
           "key_status", "read_keys", "record", "rotate_key", "start_keyed_chain", "verify_chain"]
