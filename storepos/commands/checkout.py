"""Checkout's invariants for `storepos check` (sales add up, gapless receipts, returns bounded)."""

from storepos import cli
from storepos.services.checkout.sale_checks import CHECKS

for _check in CHECKS:
    if _check not in cli.CHECKS:
        cli.CHECKS.append(_check)
