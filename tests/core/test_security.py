"""Security: PIN lockouts are kept in the database (they hold across terminals and processes);
who may do what is one explicit table (a permission change must change this test too); a missing
or changed pepper file is a clear refusal everywhere a PIN is checked, never a silent lockout."""

from __future__ import annotations

import pytest
from support.reliability_figures import record
from support.reliability import fork

from storepos.models import Approval, AuditLog, Staff, Store
from storepos.services.core import approvals
from storepos.services.staff import login
from storepos.services.core.bootstrap import close_database, open_store_database
from storepos.services.core.context import Actor
from storepos.services.core.errors import DomainError, PermissionDenied
from storepos.services.core.permissions import PERMISSIONS, can, require

ROLES = ("staff", "manager", "trainer")
S, M, T = "staff", "manager", "trainer"

# The whole permission table, written out.  Changing a permission means changing this line too.
EXPECTED: dict[str, set[str]] = {
    "home.open": {S, M, T},
    "staff.manage": {M},
    "store.settings": {M},
    "approval.grant": {M},
    "audit.view": {M},
    "checklist.run": {S, M, T},
    "checklist.review": {M},
    "checklist.items": {M},
    "customer.credit": {M},
    "catalog.view": {S, M, T},
    "catalog.edit": {M},
    "catalog.import": {M},
    "catalog.export": {M},
    "stock.receive": {S, M},
    "stock.count": {S, M},
    "stock.defective": {S, M},
    "stock.adjust": {M},
    "quote.use": {S, M, T},
    "checkout.sell": {S, M, T},
    "checkout.register": {S, M, T},
    "checkout.return": {S, M, T},
    "followup.work": {S, M, T},
    "followup.reassign": {M},
    "ticket.work": {S, M, T},
    "ticket.all": {M},
    "manager.desk": {M},
    "practice.use": {M, T},
    "practice.scenario": {M, T},
}


def _actor(role: str) -> Actor:
    return Actor(store_id=1, staff_id=1, code="x", name="x", role=role, terminal="T1")


def test_every_action_times_every_role_matches_the_table():
    assert set(PERMISSIONS) == set(EXPECTED), "a permission was added or removed: update EXPECTED"
    walked = 0
    for action in sorted(PERMISSIONS):
        for role in ROLES:
            allowed = role in EXPECTED[action]
            assert can(_actor(role), action) is allowed, (action, role)
            if allowed:
                require(_actor(role), action)
            else:
                with pytest.raises(PermissionDenied):
                    require(_actor(role), action)
            walked += 1
    assert not can(None, "home.open")
    with pytest.raises(KeyError):
        can(_actor(M), "no.such.action")
    record("permissions", actions=len(PERMISSIONS), roles=len(ROLES), pairs_checked=walked, anomalies=0)


def _wrong(store_id: int, terminal: str, n: int) -> list[str]:
    keys = []
    for _ in range(n):
        try:
            login(store_id, "1001", "0000", terminal)
        except DomainError as exc:
            keys.append(exc.key)
    return keys


def test_lockout_holds_across_terminals(demo):
    store_id = Store.get().id
    assert _wrong(store_id, "T1", 2) == ["err.wrong_pin"] * 2
    assert _wrong(store_id, "T2", 2) == ["err.wrong_pin"] * 2  # the count goes on, not restarts
    assert _wrong(store_id, "T3", 1) == ["err.locked_now"]
    for term in ("T1", "T2", "T4"):
        with pytest.raises(DomainError) as exc:
            login(store_id, "1001", "1111", term)  # the right PIN on another terminal
        assert exc.value.key == "err.locked"


def _wrong_pins_in_a_process(settings, terminal: str, n: int) -> None:
    open_store_database(settings.model_copy(update={"terminal": terminal}))
    _wrong(Store.get().id, terminal, n)
    close_database()


def test_lockout_holds_across_processes(demo):
    """Two terminal processes guess at once: together they lock the code, and a third terminal
    (this process) finds it locked."""
    close_database()
    procs = [fork(_wrong_pins_in_a_process, demo, t, 3) for t in ("T2", "T3")]
    for p in procs:
        p.join(timeout=60)
    open_store_database(demo)
    assert [p.exitcode for p in procs] == [0, 0]
    staff = Staff.get(Staff.code == "1001")
    assert staff.locked_until is not None and staff.lockouts >= 1
    with pytest.raises(DomainError) as exc:
        login(Store.get().id, "1001", "1111", "T1")
    assert exc.value.key == "err.locked"


@pytest.mark.parametrize("damage, key", [("missing", "err.pepper_missing"), ("changed", "err.pepper_changed")])
def test_pepper_problem_refuses_manager_override_clearly(staff_actor, settings, damage, key):
    if damage == "missing":
        settings.pepper_path.unlink()
    else:
        settings.pepper_path.write_text("e" * 64 + "\n")
    approvals_before = Approval.select().count()
    audit_before = AuditLog.select().count()
    with pytest.raises(DomainError) as exc:
        approvals.grant(staff_actor, "discount", "9001", "9999", "a customer's discount")
    assert exc.value.key == key and str(settings.pepper_path) in exc.value.message
    assert Approval.select().count() == approvals_before and AuditLog.select().count() == audit_before
    manager = Staff.get(Staff.code == "9001")
    assert manager.failed_pins == 0 and manager.locked_until is None  # nobody was locked out


@pytest.mark.parametrize("damage, key", [("missing", "err.pepper_missing"), ("changed", "err.pepper_changed")])
async def test_pepper_problem_at_app_start_shows_the_fatal_screen(demo, settings, make_app, damage, key):
    from storepos.i18n import t
    from storepos.ui.home.fatal import FatalScreen

    if damage == "missing":
        settings.pepper_path.unlink()
    else:
        settings.pepper_path.write_text("e" * 64 + "\n")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FatalScreen)
        assert app.screen.message == t(key, path=str(settings.pepper_path))
        for ch in "1001":  # typing does nothing; no login screen behind it
            await pilot.press(ch)
        await pilot.press("enter")
        assert isinstance(app.screen, FatalScreen)
    assert Staff.get(Staff.code == "1001").failed_pins == 0
