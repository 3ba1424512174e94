"""Money: integer fen in the database, Decimal in Python, never float.

Amounts are rounded half-up to 0.01 once per line.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999.99")
_AMOUNT_RE = re.compile(r"^-?\d{1,12}(\.\d{1,2})?$")


class MoneyError(ValueError):
    """A text that is not an amount; args[0] is an i18n key."""


def round_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_fen(value: Decimal) -> int:
    if isinstance(value, float):  # pragma: no cover - a programming error, not user input
        raise TypeError("money must not be float")
    return int(round_cents(Decimal(value)) * 100)


def from_fen(fen: int | None) -> Decimal:
    return (Decimal(fen or 0) / 100).quantize(CENT)


def normalize_number_text(text: str) -> str:
    """Full-width digits and signs to ASCII, spaces and thousands separators removed."""
    text = unicodedata.normalize("NFKC", text).strip()
    text = text.replace("¥", "").replace("￥", "").replace(",", "").replace(" ", "")
    return text.replace("。", ".")


def parse_amount(text: str, *, allow_negative: bool = False) -> Decimal:
    """Parse what a user typed as an amount of yuan ("12", "12.5", "¥1,200.00", "１２").

    Raises MoneyError with an i18n key when the text is not a valid amount.
    """
    if isinstance(text, Decimal):
        value = text
    else:
        cleaned = normalize_number_text(str(text))
        if not cleaned:
            raise MoneyError("err.amount_empty")
        if not _AMOUNT_RE.match(cleaned):
            raise MoneyError("err.amount_format")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:  # pragma: no cover - the regex already guards this
            raise MoneyError("err.amount_format") from None
    if not value.is_finite():
        raise MoneyError("err.amount_format")
    if value < 0 and not allow_negative:
        raise MoneyError("err.amount_negative")
    if abs(value) > MAX_AMOUNT:
        raise MoneyError("err.amount_too_large")
    if value != round_cents(value):
        raise MoneyError("err.amount_format")
    return value


def fmt(value: Decimal | int | None, *, fen: bool = False, symbol: bool = True) -> str:
    """'¥1,234.50' (value in yuan, or in fen when fen=True)."""
    if value is None:
        value = Decimal(0)
    amount = from_fen(int(value)) if fen else round_cents(Decimal(value))
    text = f"{amount:,.2f}"
    if symbol:
        return f"-¥{text[1:]}" if text.startswith("-") else f"¥{text}"
    return text
