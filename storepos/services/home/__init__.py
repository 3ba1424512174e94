"""The home area: its public API."""

from __future__ import annotations

from storepos.services.home.figures import (  # noqa: F401
    Figure,
    ORDER,
    PROVIDERS,
    provider,
    glance,
    NOTICES,
    notices,
)

__all__ = ['Figure', 'ORDER', 'PROVIDERS', 'provider', 'glance', 'NOTICES', 'notices']
