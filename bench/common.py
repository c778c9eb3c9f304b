"""Shared helpers for the benchmarks: Django set-up against the bench database, timing, query counts."""

from __future__ import annotations

import os
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/duban_bench")
os.environ.setdefault("API_THROTTLE_USER", "1000000/min")  # the API bench sends hundreds of requests a minute
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def timed(fn, *, runs: int = 5) -> tuple[float, object]:
    """Median seconds over `runs` calls (after one warm-up), and the last result."""
    result = fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def raw(sql: str, params=(), *, jit: bool = True) -> list[tuple]:
    """Run one SQL statement and fetch its rows; jit=False turns PostgreSQL's JIT off for it, as the app does."""
    with transaction.atomic(), connection.cursor() as cursor:
        if not jit:
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return cursor.fetchall()


def row(name: str, figure: float, floor: float, unit: str = "ms", extra: str = "") -> str:
    scale = 1000 if unit == "ms" else 1
    line = (
        f"{name:<48} {figure * scale:10.1f} {unit}   floor {floor * scale:9.1f} {unit}   ratio {figure / floor:6.2f}x"
    )
    print(line + (f"   {extra}" if extra else ""), flush=True)
    return line


@contextmanager
def section(title: str):
    print(f"\n== {title}", flush=True)
    yield


TODAY = date(2026, 11, 25)  # the generator's "today" (bench/datagen.py)


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def replay(captured: list[dict]) -> float:
    """Seconds to run the captured SQL statements again as they are (the database's share of a request)."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for query in captured:
            cursor.execute(query["sql"])
            if cursor.description:
                cursor.fetchall()
    return time.perf_counter() - started
