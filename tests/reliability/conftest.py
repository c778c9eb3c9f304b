import pytest
from rest_framework import throttling

from tests.api.conftest import api, fast_passwords, private_media, today, world  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _no_throttling(monkeypatch):
    """Throttling has its own tests (tests/security); these make many requests from one address."""
    monkeypatch.setattr(throttling.SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})
