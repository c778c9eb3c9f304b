"""Shared helpers for the importer tests (no Django)."""

from __future__ import annotations

from pathlib import Path

from plans.importing import parse_document, result_to_json

CORPUS = Path("/work/shared/corpus")
if not CORPUS.exists():  # CI copies shared/ beside the clone
    for cand in (Path(__file__).resolve().parents[3] / "shared" / "corpus", Path.cwd().parent / "shared" / "corpus"):
        if cand.exists():
            CORPUS = cand
            break


def corpus_bytes(prefix: str) -> bytes:
    matches = sorted(CORPUS.glob(f"{prefix}_*.txt"))
    assert matches, f"corpus file {prefix} not found in {CORPUS}"
    return matches[0].read_bytes()


def parse_json(data: bytes | str, **kw) -> dict:
    return result_to_json(parse_document(data, **kw))


def by_path(plan: dict) -> dict:
    return {c["path"]: c for c in plan["clauses"]}


def codes(clause: dict) -> list[str]:
    return [w["code"] for w in clause["warnings"]]
