"""The staff area: its public API."""

from __future__ import annotations

