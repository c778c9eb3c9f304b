"""Benchmark: parse + preview of a 150 KB and a 2 MB plan against the floor of reading + decoding it.

Usage::

    .venv/bin/python bench/bench_import.py [--runs N] [--kb SIZE,SIZE…] [--corpus DIR]

For each SIZE, builds a plan by concatenating the corpus documents (all of them, so that
every way of marking units is in the mix) until it reaches SIZE KB, writes it to a
temporary file, then times (median of N runs):

* floor: read the file and decode the bytes (``decode_document``);
* parse: read + ``parse_document`` + ``preview`` + ``result_to_json``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from plans.importing import parse_document, preview, result_to_json  # noqa: E402
from plans.importing.decode import decode_document  # noqa: E402


def find_corpus(explicit: str | None) -> Path:
    for cand in (explicit, "/work/shared/corpus", ROOT.parent / "shared" / "corpus", ROOT / "shared" / "corpus"):
        if cand and Path(cand).is_dir() and list(Path(cand).glob("*.txt")):
            return Path(cand)
    raise SystemExit("corpus not found; pass --corpus DIR")


def build(corpus: Path, kb: int) -> bytes:
    docs = [p.read_text("utf-8") for p in sorted(corpus.glob("*.txt"))]
    parts: list[str] = []
    size = 0
    while size < kb * 1024:
        doc = docs[len(parts) % len(docs)]
        parts.append(doc)
        size += len(doc.encode()) + 2
    return "\n\n".join(parts).encode()


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench(corpus: Path, kb: int, runs: int) -> None:
    data = build(corpus, kb)
    with tempfile.NamedTemporaryFile(suffix=".txt", delete=False) as fh:
        fh.write(data)
        path = Path(fh.name)
    try:

        def floor() -> None:
            decode_document(path.read_bytes())

        summary = {}

        def full() -> None:
            result = parse_document(path.read_bytes())
            summary["preview"] = preview(result)
            result_to_json(result)

        full()  # warm-up (regex compilation, OpenCC table)
        t_floor = median_time(floor, runs)
        t_full = median_time(full, runs)
    finally:
        path.unlink(missing_ok=True)
    plans = summary["preview"]["plans"]
    print(
        f"input: {len(data) / 1024:.0f} KB, {len(plans)} plans, "
        f"{sum(p['clauses'] for p in plans)} clauses, {sum(p['tasks'] for p in plans)} tasks"
    )
    print(f"floor (read + decode):          {t_floor * 1000:8.1f} ms (median of {runs})")
    print(f"parse + preview + json:         {t_full * 1000:8.1f} ms (median of {runs})")
    print(f"ratio parse/floor:              {t_full / t_floor:8.1f}x")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--kb", default="150,2048")
    ap.add_argument("--corpus")
    args = ap.parse_args()
    corpus = find_corpus(args.corpus)
    for kb in args.kb.split(","):
        bench(corpus, int(kb), args.runs)


if __name__ == "__main__":
    main()
