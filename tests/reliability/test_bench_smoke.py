"""bench/run.py --quick still runs and reports every figure (the benchmark itself is not part of
the test run; see docs/readme/performance.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FIGURES = ("cold_start_app", "cold_start_baseline", "cold_start_ratio", "scan_to_line", "search_en", "search_zh1",
           "search_zh2", "search_zh3", "checkout_service", "checkout_raw", "checkout_ratio", "terminals_4",
           "report_daily", "report_staff_month", "report_funnel_year", "rss_app", "rss_baseline")


@pytest.mark.sqlite_only
def test_quick_benchmark_reports_every_figure_with_no_anomalies():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("STOREPOS_DB", None)
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--json"], cwd=str(ROOT),
                          capture_output=True, text=True, env=env, timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)
    figures = result["figures"]
    for key in FIGURES:
        assert key in figures, key
        fig = figures[key]
        assert "median" in fig and "p95" in fig, key
        assert fig["median"] is not None or fig.get("na"), key
    assert figures["terminals_4"]["anomalies"] == 0, figures["terminals_4"]
    assert figures["search_zh1"]["hits"] > 0 and figures["search_zh2"]["hits"] > 0
    assert figures["database"]["sale_line"] >= 20_000
    assert {"nproc", "cpu", "python", "sqlite"} <= set(result["machine"])
