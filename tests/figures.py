"""Figures the security and reliability tests measure, kept for docs/reliability.md.

Each call merges its values under its name into var/reliability-figures.json (not committed).
"""

import json
import threading
from pathlib import Path

PATH = Path(__file__).resolve().parents[1] / "var" / "reliability-figures.json"
_lock = threading.Lock()


def record(name: str, **values) -> None:
    with _lock:
        PATH.parent.mkdir(parents=True, exist_ok=True)
        try:
            figures = json.loads(PATH.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            figures = {}
        figures[name] = values
        PATH.write_text(json.dumps(figures, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
