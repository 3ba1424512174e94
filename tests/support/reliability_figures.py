"""The reliability tests write what they measured here (not a test module).

tests/.figures/reliability.json (gitignored) holds, per database backend, one entry per test
section: the figures (processes, checkouts, kills, inputs tried, anomalies…), the date, the
machine and the seconds it took.  `python bench/reliability.py` prints them as the README's table.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from pathlib import Path
from typing import Any

FILE = Path(__file__).resolve().parents[1] / ".figures" / "reliability.json"


def backend() -> str:
    return "postgresql" if os.environ.get("STOREPOS_TEST_PG") else "sqlite"


def record(section: str, *, add: bool = False, **figures: Any) -> None:
    """Merge *figures* for *section* under the current backend (best effort: never fails a test).

    With *add*, numbers are added to what another process of the same test run recorded (pytest-xdist
    workers each record their share)."""
    try:
        FILE.parent.mkdir(parents=True, exist_ok=True)
        try:
            data = json.loads(FILE.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        entry = dict(figures)
        run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
        old = data.get(backend(), {}).get(section)
        if add and run and isinstance(old, dict) and old.get("run") == run:
            for key in ("inputs_tried", "accepted", "refused", "anomalies"):
                if isinstance(old.get(key), int) and isinstance(entry.get(key), int):
                    entry[key] += old[key]
        entry["run"] = run
        entry["date"] = dt.datetime.now().isoformat(timespec="seconds")
        entry["machine"] = f"{platform.machine()} {os.cpu_count()} CPU, Python {platform.python_version()}"
        data.setdefault(backend(), {})[section] = entry
        tmp = FILE.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        os.replace(tmp, FILE)
    except OSError:
        pass
