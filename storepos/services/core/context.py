"""Who is acting, where: passed to every service that writes or checks permissions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    staff_id: int
    store_id: int
    code: str
    name: str
    role: str  # staff | manager | trainer
    terminal: str = ""
    discount_authority: int = 0
    language: str | None = None

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"
