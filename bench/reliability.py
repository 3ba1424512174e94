"""Print the reliability figures the tests wrote (tests/.figures/reliability.json) as a Markdown
table for the README's reliability section.

    python -m pytest tests/test_torture.py tests/test_crash.py tests/test_fuzz.py \
        tests/test_ui_fuzz.py tests/test_security.py tests/test_backup_load.py
    python bench/reliability.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

FILE = Path(__file__).resolve().parents[1] / "tests" / ".figures" / "reliability.json"
SKIP = {"date", "machine"}


def main() -> int:
    try:
        data = json.loads(FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        print(f"no figures yet: run the reliability tests first ({FILE})", file=sys.stderr)
        return 1
    print("| database | test | figures | run |")
    print("|---|---|---|---|")
    for backend in sorted(data):
        for section, entry in sorted(data[backend].items()):
            figures = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(entry.items()) if k not in SKIP)
            print(f"| {backend} | {section} | {figures} | {entry.get('date', '')[:10]}, {entry.get('machine', '')} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
