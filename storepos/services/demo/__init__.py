"""The demo area: its public API."""

from __future__ import annotations

from storepos.services.demo.load import (  # noqa: F401
    LoadResult,
    demo_dir,
    demo_staff,
    load_demo,
)
from storepos.services.demo.simulate import (  # noqa: F401
    SIGNALS,
    GREETINGS,
    LEAVE_REASONS,
    SPECS,
    SimResult,
    SimDay,
    DAY_HOOKS,
)

__all__ = ['LoadResult', 'demo_dir', 'demo_staff', 'load_demo', 'SIGNALS', 'GREETINGS', 'LEAVE_REASONS', 'SPECS', 'SimResult', 'SimDay', 'DAY_HOOKS']
