"""`storepos check` also validates the practice scenarios shipped in fixtures/practice."""

from __future__ import annotations

from storepos import cli


def _check() -> list[str]:
    from storepos.services.practice import validate_scenarios

    return validate_scenarios()


if _check not in cli.CHECKS:
    cli.CHECKS.append(_check)
