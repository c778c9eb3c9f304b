from pathlib import Path

import pytest

from plans.demo import seed_directory

ROOT = Path(__file__).resolve().parents[2]
DEMO_PLAN = ROOT / "demo" / "plan.txt"
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture
def directory(db):
    """The demo city's departments and groups, as `make run` seeds them."""
    seed_directory()


@pytest.fixture
def demo_plan_bytes():
    return DEMO_PLAN.read_bytes()
