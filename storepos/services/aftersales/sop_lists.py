"""What the SOP lists for after-sales (fixtures/sop/followups.toml, survey.toml): the kinds of
follow-up and the channels a customer is contacted by."""

from __future__ import annotations

from storepos.services.core import sop


def kinds() -> tuple[sop.Entry, ...]:
    """The follow-up kinds, in the SOP's order."""
    return sop.entries("followups", "kinds")


def kind_entry(code: str) -> sop.Entry | None:
    """The SOP entry of follow-up kind *code*, or None for a kind the SOP does not list."""
    return next((e for e in kinds() if e.code == code), None)


def kind_label(code: str) -> str:
    """The follow-up kind's label in the current language (the code itself for an unknown kind)."""
    e = kind_entry(code)
    return e.label if e else code


def channels() -> tuple[sop.Entry, ...]:
    """The contact channels (phone, message…) of follow-ups and surveys."""
    return sop.entries("survey", "channels")


def channel_label(code: str) -> str:
    """The channel's label in the current language (the code itself for an unknown channel)."""
    return next((e.label for e in channels() if e.code == code), code)


def channel_of(kind: str) -> str:
    """The channel the SOP gives follow-up kind *kind* (phone when it says none)."""
    e = kind_entry(kind)
    return str(e.get("channel", "phone")) if e else "phone"
