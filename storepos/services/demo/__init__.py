"""The demo area: the demo store loaded from fixtures/demo, and days of simulated history."""

from __future__ import annotations

from storepos.services.demo.load import LoadResult, demo_dir, demo_staff, load_demo
from storepos.services.demo.results import SimResult
from storepos.services.demo.simulation import simulate

__all__ = ["LoadResult", "SimResult", "demo_dir", "demo_staff", "load_demo", "simulate"]
