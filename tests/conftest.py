"""Personas built once per test: a supervisor, liaisons of two departments, a head, a viewer."""

import os
from dataclasses import dataclass

import pytest

from org.models import Department, Membership, User
from tests.smtp import smtp, smtp_settings  # noqa: F401  (shared fixtures)

REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL not set: no real Redis to talk to")


@pytest.fixture(autouse=True)
def _sign_in_lockout_only_where_tested(request, settings):
    """django-axes needs a request to authenticate, which Client.login() does not pass.

    Tests that exercise the lock-out mark themselves `axes` and sign in through the login view.
    """
    settings.AXES_ENABLED = request.node.get_closest_marker("axes") is not None


@pytest.fixture(autouse=True)
def _no_api_throttling(monkeypatch):
    """API rate limits have their own tests, which set their rates; elsewhere one address makes
    hundreds of requests a minute."""
    from rest_framework import throttling

    monkeypatch.setattr(throttling.SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})


@pytest.fixture(autouse=True)
def _import_jobs_inline_unless_a_worker_runs(request, settings):
    """Import jobs run in the test's own process; tests marked `worker` hand them to a real worker."""
    settings.PLAN_IMPORT_JOBS_INLINE = request.node.get_closest_marker("worker") is None


@pytest.fixture(autouse=True)
def _broker_taken_as_up():
    """A test that stopped the broker must not keep the next tests from queueing."""
    from notifications.outbox import broker_breaker

    broker_breaker.reset()
    yield
    broker_breaker.reset()


@dataclass
class Personas:
    dept_a: Department
    dept_b: Department
    supervisor: User
    liaison_a: User
    liaison_b: User
    head_a: User
    viewer: User


def make_user(username, *, role=User.Role.MEMBER, department=None, membership=None):
    user = User.objects.create_user(username, email=f"{username}@example.cn", password="Duban-test-2026", role=role)
    if department is not None:
        Membership.objects.create(user=user, department=department, role=membership)
    return user


@pytest.fixture
def personas(db):
    dept_a, _ = Department.objects.get_or_create(name="市教育局", defaults={"kind": Department.Kind.BUREAU})
    dept_b, _ = Department.objects.get_or_create(name="市财政局", defaults={"kind": Department.Kind.BUREAU})
    return Personas(
        dept_a=dept_a,
        dept_b=dept_b,
        supervisor=make_user("supervisor", role=User.Role.SUPERVISOR),
        liaison_a=make_user("liaison_a", department=dept_a, membership=Membership.Role.LIAISON),
        liaison_b=make_user("liaison_b", department=dept_b, membership=Membership.Role.LIAISON),
        head_a=make_user("head_a", department=dept_a, membership=Membership.Role.HEAD),
        viewer=make_user("viewer", role=User.Role.VIEWER),
    )
