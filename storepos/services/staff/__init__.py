"""The staff area: signing in and unlocking, staff records (roles, discount authority, PINs,
lockouts) and the first run (the store and its first manager).  PIN hashing, the pepper and the
lockout rule are shared by every area: storepos.services.core.pins (re-exported here)."""

from __future__ import annotations

from storepos.services.core.pins import (
    LOCK_MINUTES,
    MAX_FAILED,
    MAX_LOCK_MINUTES,
    actor_for,
    check_pin_format,
    configure_pepper,
    ensure_pepper,
    find_staff,
    hash_pin,
    lock_minutes,
    normalize_pin,
    pepper_path,
    verify_manager,
    verify_pin,
)
from storepos.services.staff.accounts import (
    StaffInput,
    change_own_pin,
    create_staff,
    has_staff,
    insert_staff,
    list_staff,
    reset_pin,
    set_language,
    store_has_staff,
    unlock_staff,
    update_staff,
)
from storepos.services.staff.login import login, unlock_check
from storepos.services.staff.setup import FirstRunInput, first_run, needs_setup

__all__ = [
    "LOCK_MINUTES", "MAX_FAILED", "MAX_LOCK_MINUTES", "actor_for", "check_pin_format", "configure_pepper",
    "ensure_pepper", "find_staff", "hash_pin", "lock_minutes", "normalize_pin", "pepper_path", "verify_manager",
    "verify_pin",
    "StaffInput", "change_own_pin", "create_staff", "has_staff", "insert_staff", "list_staff", "reset_pin",
    "set_language", "store_has_staff", "unlock_staff", "update_staff",
    "login", "unlock_check",
    "FirstRunInput", "first_run", "needs_setup",
]
