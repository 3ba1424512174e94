"""The cart's draft file: the cart kept on disk, so a restart (or a crash) resumes it with its
payments and approvals.  (Carts move into the database in a later issue.)"""

from __future__ import annotations

import json
import os
from pathlib import Path

from storepos.services.checkout.cart import Cart


def save_draft(cart: Cart, path: str | os.PathLike[str]) -> None:
    """Keep the cart (UUID, lines, payments taken, approvals) on disk so a restart resumes it.
    Written to a temporary file and renamed, so a crash never leaves half a draft.  Raises
    OSError when the folder cannot be written."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(cart.to_dict(), ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, target)


def load_draft(path: str | os.PathLike[str]) -> Cart | None:
    """The cart saved at *path*, or None when there is none or it cannot be read."""
    target = Path(path)
    try:
        return Cart.from_dict(json.loads(target.read_text(encoding="utf-8")))
    # ArithmeticError: decimal's InvalidOperation (an amount that is not a number) is not a ValueError
    except (OSError, ValueError, TypeError, KeyError, ArithmeticError):
        return None
