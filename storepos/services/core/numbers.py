"""One way to read a whole number someone typed: quantities, counts, percentages.

Every integer input goes through ``whole_number_text`` (full-width digits, spaces and
thousands separators normalised like storepos.money.normalize_number_text), either as
the pydantic type ``WholeNumber`` or through ``parse_whole`` for hand-written checks.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator

from storepos.money import normalize_number_text
from storepos.services.core.errors import DomainError

_INT_RE = re.compile(r"^[+-]?[0-9]+$")
_DEC_RE = re.compile(r"^[+-]?[0-9]*\.[0-9]+$|^[+-]?[0-9]+\.$")


def whole_number_text(value: Any) -> Any:
    """Text to int where it is a whole number; ValueError('err.…') when it clearly is not.

    "３" → 3, "1,000" → 1000, "1.0" → 1, "1.5" or "two" → err.not_a_whole_number, "" → err.required.
    Non-text values pass through to pydantic unchanged.
    """
    if not isinstance(value, str):
        return value
    text = normalize_number_text(value)
    if not text:
        raise ValueError("err.required")
    if _INT_RE.match(text):
        return int(text)
    if _DEC_RE.match(text):
        number = Decimal(text)
        if number == number.to_integral_value():
            return int(number)
        raise ValueError("err.not_a_whole_number")
    raise ValueError("err.not_a_whole_number")  # "two", "3x": a whole number is what is asked for


WholeNumber = Annotated[int, BeforeValidator(whole_number_text)]


def parse_whole(value: Any, *, field: str | None = None, minimum: int | None = None,
                maximum: int | None = None) -> int:
    """``whole_number_text`` plus bounds, raising DomainError(field=…) on bad input."""
    if isinstance(value, bool):
        raise DomainError("err.not_a_number", field=field)
    if isinstance(value, int):
        number = value
    else:
        try:
            number = whole_number_text("" if value is None else str(value))
        except ValueError as exc:
            raise DomainError(str(exc), field=field) from None
    if minimum is not None and number < minimum:
        raise DomainError("err.too_small", field=field, limit=minimum)
    if maximum is not None and number > maximum:
        raise DomainError("err.too_large", field=field, limit=maximum)
    return number


__all__ = ["WholeNumber", "parse_whole", "whole_number_text"]
