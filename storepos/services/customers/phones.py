"""Phone numbers as the shop stores them, and the text clean-up every typed customer detail gets.

Phone numbers (decision, see docs/readme/visit.md): a mainland mobile, 11 digits 1[3-9]xxxxxxxxx
(a leading +86 / 0086 / 86 is dropped), or a landline with its area code: 0 + 2-3 digit area code
+ 7-8 digit number ("020-83456789", "0757 8123 4567").  Full-width digits, spaces, dashes and
brackets are accepted and normalised.  Stored as "13812345678" or "020-83456789".
"""

from __future__ import annotations

import re
import unicodedata

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{9,11}$")


def normalize_text(text: str | None) -> str:
    """*text* as typed, NFKC-normalised (full-width digits and letters as plain ones) and trimmed;
    '' for None.  Names, phones and search queries all start from this form."""
    return unicodedata.normalize("NFKC", text or "").strip()


def normalize_phone(text: str) -> str:
    """The canonical form of a phone number, or ValueError("err.phone_format")."""
    raw = normalize_text(text)
    digits = re.sub(r"[\s\-()（）.]", "", raw)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not digits.isdigit():
        raise ValueError("err.phone_format")
    if _MOBILE.match(digits):
        return digits
    if _LANDLINE.match(digits):
        area_len = 3 if digits[1] in "12" else 4  # 010, 02x: 3 digits; others 4 (0757, 0371…)
        number = digits[area_len:]
        if 7 <= len(number) <= 8 and number[0] not in "01":
            return f"{digits[:area_len]}-{number}"
    raise ValueError("err.phone_format")
