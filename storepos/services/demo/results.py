"""What a simulation did (SimResult): shown by `storepos simulate` and the benchmark."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SimResult:
    days: int = 0
    visits: int = 0
    sales: int = 0
    returns: int = 0
    voids: int = 0
    quotes: int = 0
    approvals: int = 0
    sessions: int = 0
    followups: int = 0  # reached
    surveys: int = 0
    net: int = 0  # fen

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)
