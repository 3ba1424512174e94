"""PINs: the rule every area shares (DESIGN: "PINs").

PINs are 4–8 digits, stored as salted scrypt hashes of PIN + pepper.  The pepper is a secret file
kept outside the database (HOME/pepper), made on first run; a fingerprint of it is kept in the
database so that a missing or replaced pepper file gives a clear refusal instead of locking
everyone out.  Five wrong PINs lock that staff code for 5 minutes, doubling on each repeat; the
state lives in the database, so it holds on every terminal.  A manager's PIN entered on the spot
(:func:`verify_manager`) follows the same rules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import os
import re
import secrets
import unicodedata
from pathlib import Path

from storepos import clock
from storepos.db import transaction
from storepos.models import Meta, Staff
from storepos.services.core import audit
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, NotFound

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MAX_FAILED = 5
LOCK_MINUTES = 5
MAX_LOCK_MINUTES = 24 * 60
_PIN_RE = re.compile(r"^\d{4,8}$")

_pepper_path: Path | None = None


# -- pepper -------------------------------------------------------------------------------------

def configure_pepper(path: Path) -> None:
    global _pepper_path
    _pepper_path = Path(path)


def pepper_path() -> Path:
    if _pepper_path is None:
        raise RuntimeError("auth.configure_pepper() was not called")
    return _pepper_path


def _fingerprint(pepper: bytes) -> str:
    return hmac.new(pepper, b"storepos pepper check", hashlib.sha256).hexdigest()[:32]


def ensure_pepper() -> bytes:
    """The pepper; made (0600) when there is none and no staff exist yet.

    Raises DomainError when staff exist but the pepper file is missing or is not the one their
    PINs were made with."""
    path = pepper_path()
    stored = Meta.get_or_none(Meta.key == "pepper_check")
    if not path.exists():
        if stored is not None or Staff.select().exists():
            raise DomainError("err.pepper_missing", path=str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32) + "\n")
    try:
        pepper = path.read_text().strip().encode()
    except OSError as exc:
        raise DomainError("err.pepper_unreadable", path=str(path), reason=exc.strerror or "") from None
    if len(pepper) < 32:
        raise DomainError("err.pepper_unreadable", path=str(path), reason="too short")
    fp = _fingerprint(pepper)
    if stored is None:
        with transaction():
            if Meta.get_or_none(Meta.key == "pepper_check") is None:
                Meta.insert(key="pepper_check", value=fp).execute()
    elif stored.value != fp:
        raise DomainError("err.pepper_changed", path=str(path))
    return pepper


# -- hashing ------------------------------------------------------------------------------------

def normalize_pin(pin: str) -> str:
    return unicodedata.normalize("NFKC", str(pin)).strip()


def check_pin_format(pin: str) -> str:
    pin = normalize_pin(pin)
    if not _PIN_RE.match(pin):
        raise DomainError("err.pin_format", field="pin")
    return pin


def hash_pin(pin: str, pepper: bytes | None = None) -> str:
    pin = check_pin_format(pin)
    pepper = ensure_pepper() if pepper is None else pepper
    salt = secrets.token_bytes(16)
    dk = hashlib.scrypt(pin.encode() + pepper, salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${dk.hex()}"


def verify_pin(pin: str, stored: str, pepper: bytes | None = None) -> bool:
    pepper = ensure_pepper() if pepper is None else pepper
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        dk = hashlib.scrypt(normalize_pin(pin).encode() + pepper, salt=bytes.fromhex(salt), n=int(n),
                            r=int(r), p=int(p), dklen=32, maxmem=256 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(dk.hex(), digest)


# -- login and lockout --------------------------------------------------------------------------

def actor_for(staff: Staff, terminal: str = "") -> Actor:
    return Actor(staff_id=staff.id, store_id=staff.store_id, code=staff.code, name=staff.name,
                 role=staff.role, terminal=terminal, discount_authority=staff.discount_authority,
                 language=staff.language)


def lock_minutes(lockouts: int) -> int:
    """Length of the n-th lockout in a row: 5, 10, 20, 40 … minutes, at most a day."""
    return min(MAX_LOCK_MINUTES, LOCK_MINUTES * 2 ** max(0, lockouts - 1))


def _remaining_minutes(until: dt.datetime) -> int:
    return max(1, math.ceil((until - clock.now()).total_seconds() / 60))


def check_pin_for(staff: Staff, pin: str, terminal: str, purpose: str) -> None:
    """Verify *pin* for *staff*, counting failures and locking; raises DomainError when refused."""
    if staff.locked_until and staff.locked_until > clock.now():
        raise DomainError("err.locked", field="pin", code=staff.code,
                          minutes=_remaining_minutes(staff.locked_until))
    pepper = ensure_pepper()
    try:
        pin = check_pin_format(pin)
    except DomainError:
        raise DomainError("err.pin_format", field="pin") from None
    ok = verify_pin(pin, staff.pin_hash, pepper)
    error: DomainError | None = None
    with transaction():
        fresh = Staff.get_by_id(staff.id)
        if ok:
            if fresh.failed_pins or fresh.lockouts or fresh.locked_until:
                Staff.update(failed_pins=0, lockouts=0, locked_until=None).where(
                    Staff.id == staff.id).execute()
        else:
            failed = fresh.failed_pins + 1
            if failed >= MAX_FAILED:
                lockouts = fresh.lockouts + 1
                minutes = lock_minutes(lockouts)
                until = clock.now() + dt.timedelta(minutes=minutes)
                Staff.update(failed_pins=0, lockouts=lockouts, locked_until=until).where(
                    Staff.id == staff.id).execute()
                audit.record(None, "staff.lockout", "staff", staff.id,
                             after={"minutes": minutes, "purpose": purpose},
                             store_id=staff.store_id, terminal=terminal)
                error = DomainError("err.locked_now", field="pin", code=staff.code, minutes=minutes)
            else:
                Staff.update(failed_pins=failed).where(Staff.id == staff.id).execute()
                error = DomainError("err.wrong_pin", field="pin", left=MAX_FAILED - failed)
    if error is not None:
        raise error


def find_staff(store_id: int, code: str) -> Staff:
    code = normalize_pin(code)  # NFKC: full-width digits typed on a Chinese IME
    staff = Staff.get_or_none(Staff.store == store_id, Staff.code == code, Staff.active == True)  # noqa: E712
    if staff is None:
        raise NotFound("err.no_such_staff", field="code", code=code)
    return staff


def verify_manager(store_id: int, code: str, pin: str, terminal: str = "") -> Staff:
    """A manager's code and PIN entered on the spot; same lockout rules as login."""
    staff = find_staff(store_id, code)
    if staff.role != "manager":
        raise DomainError("err.not_a_manager", field="code", code=staff.code)
    check_pin_for(staff, pin, terminal, "override")
    return staff
