"""Every permission check goes through here: which role may do what."""

from __future__ import annotations

from storepos.services.core.context import Actor
from storepos.services.core.errors import PermissionDenied

# action -> roles allowed.  Add an entry when a new guarded action lands.
PERMISSIONS: dict[str, frozenset[str]] = {
    "home.open": frozenset({"staff", "manager", "trainer"}),
    "staff.manage": frozenset({"manager"}),
    "store.settings": frozenset({"manager"}),
    "approval.grant": frozenset({"manager"}),
    "audit.view": frozenset({"manager"}),
    "checklist.run": frozenset({"staff", "manager", "trainer"}),
    "checklist.review": frozenset({"manager"}),
    "checklist.items": frozenset({"manager"}),
    "customer.credit": frozenset({"manager"}),
    # Catalog and stock (issue 3).  Everyone may look things up; managers change the catalog
    # (prices, floor prices, import/export) and adjust stock by hand; sales staff receive goods,
    # count stock (a big difference still needs a manager's PIN) and set aside defective units.
    "catalog.view": frozenset({"staff", "manager", "trainer"}),
    "catalog.edit": frozenset({"manager"}),
    "catalog.import": frozenset({"manager"}),
    "catalog.export": frozenset({"manager"}),
    "stock.receive": frozenset({"staff", "manager"}),
    "stock.count": frozenset({"staff", "manager"}),
    "stock.defective": frozenset({"staff", "manager"}),
    "stock.adjust": frozenset({"manager"}),
    "quote.use": frozenset({"staff", "manager", "trainer"}),
    "checkout.sell": frozenset({"staff", "manager", "trainer"}),
    "checkout.register": frozenset({"staff", "manager", "trainer"}),
    "checkout.return": frozenset({"staff", "manager", "trainer"}),
    # After-sales (issue 8): everyone works their own follow-ups, surveys and tickets; a manager
    # hands a follow-up to someone else and sees every ticket.
    "followup.work": frozenset({"staff", "manager", "trainer"}),
    "followup.reassign": frozenset({"manager"}),
    "ticket.work": frozenset({"staff", "manager", "trainer"}),
    "ticket.all": frozenset({"manager"}),
    # The manager's desk (issue 9): daily report, funnel, staff performance, approvals log.
    # Trainers see practice data only, so not the live desk.
    "manager.desk": frozenset({"manager"}),
    # Practice (issue 10): trainers and managers run sessions, score them and add scenarios; the
    # trainee works the journey with the ordinary permissions of their role.
    "practice.use": frozenset({"manager", "trainer"}),
    "practice.scenario": frozenset({"manager", "trainer"}),
}


def can(actor: Actor | None, action: str) -> bool:
    if actor is None:
        return False
    roles = PERMISSIONS.get(action)
    if roles is None:
        raise KeyError(f"unknown permission '{action}'")
    return actor.role in roles


# The roles as a refusal names them, most senior first ("Only a manager or a trainer can ...").
ROLE_ORDER = ("manager", "trainer", "staff")


def roles_for(action: str) -> tuple[str, ...]:
    """The roles that may do *action*, most senior first."""
    roles = PERMISSIONS[action]
    return tuple(r for r in ROLE_ORDER if r in roles)


def refusal(action: str) -> PermissionDenied:
    """The refusal of *action*, in words: what may not be done and who can ("Only a manager can
    import products" / "只有店长可以导入商品"); each action is named in the locales (perm.<action>)."""
    return PermissionDenied("err.permission_denied", action=action, roles=roles_for(action))


def require(actor: Actor | None, action: str) -> None:
    """Raise PermissionDenied (see refusal) unless *actor* may do *action*."""
    if not can(actor, action):
        raise refusal(action)
