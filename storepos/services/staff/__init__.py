"""The staff area: its public API."""

from __future__ import annotations

from storepos.services.staff.auth import (  # noqa: F401
    MAX_FAILED,
    LOCK_MINUTES,
    MAX_LOCK_MINUTES,
    configure_pepper,
    pepper_path,
    ensure_pepper,
    normalize_pin,
    check_pin_format,
    hash_pin,
    verify_pin,
    actor_for,
    lock_minutes,
    find_staff,
    login,
    verify_manager,
    unlock_check,
    StaffInput,
    insert_staff,
    create_staff,
    update_staff,
    reset_pin,
    unlock_staff,
    change_own_pin,
    set_language,
    list_staff,
    has_staff,
    store_has_staff,
)

__all__ = ['MAX_FAILED', 'LOCK_MINUTES', 'MAX_LOCK_MINUTES', 'configure_pepper', 'pepper_path', 'ensure_pepper', 'normalize_pin', 'check_pin_format', 'hash_pin', 'verify_pin', 'actor_for', 'lock_minutes', 'find_staff', 'login', 'verify_manager', 'unlock_check', 'StaffInput', 'insert_staff', 'create_staff', 'update_staff', 'reset_pin', 'unlock_staff', 'change_own_pin', 'set_language', 'list_staff', 'has_staff', 'store_has_staff']
