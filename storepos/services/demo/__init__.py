"""The demo area: its public API."""

from __future__ import annotations

from storepos.services.demo.load import (  # noqa: F401
    LoadResult,
    demo_dir,
    demo_staff,
    load_demo,
)

__all__ = ['LoadResult', 'demo_dir', 'demo_staff', 'load_demo']
