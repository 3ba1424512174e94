"""The home area: today at a glance and the notices, gathered from every area."""

from __future__ import annotations

from storepos.services.home.glance import Figure, glance, notices

__all__ = ["Figure", "glance", "notices"]
