"""Property-based API testing (Schemathesis) in-process against the project's OpenAPI schema.

Every operation gets EXAMPLES generated requests as a supervisor and as a department
liaison; none may answer 500 or break the schema. `make fuzz` runs many more.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token

from tests.figures import record

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "15"))
# positive_data_acceptance: an id the schema allows (any integer) may name no object; the API answers 400 or 404.
# ignored_auth: it takes the cookie Schemathesis invents for the session scheme as the only credentials, while
# the token header is what signs in; tests/security/test_api_matrix.py checks every route refuses anonymous calls.
# negative_data_rejection: query parameters are read leniently (an unreadable page_size is ignored, as DRF does).
EXCLUDED = [
    schemathesis.checks.positive_data_acceptance,
    schemathesis.checks.ignored_auth,
    schemathesis.checks.negative_data_rejection,
]
REQUESTS = {"count": 0, "by_status": {}}


@pytest.fixture
def in_process():
    """Requests through the WSGI handler must keep the test's connection open, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, world, personas, private_media, in_process):
    token = Token.objects.create(user=personas.supervisor)
    return schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", get_wsgi_application(), headers={"Authorization": f"Token {token.key}"}
    )


schema = schemathesis.pytest.from_fixture("api_schema")


# CI runs generated examples only; `make fuzz` adds Schemathesis' coverage phase (every boundary and
# wrong type of every parameter, run as Hypothesis' explicit examples) and many more examples.
FULL = os.environ.get("SCHEMATHESIS_FULL") == "1"
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=not FULL,
    phases=[Phase.explicit, Phase.generate] if FULL else [Phase.generate],
)


def _check(case, user):
    token = Token.objects.get_or_create(user=user)[0].key
    response = case.call_and_validate(headers={"Authorization": f"Token {token}"}, excluded_checks=EXCLUDED)
    REQUESTS["count"] += 1
    key = str(response.status_code)
    REQUESTS["by_status"][key] = REQUESTS["by_status"].get(key, 0) + 1
    record("schemathesis", examples_per_operation=EXAMPLES, **REQUESTS)


@schema.parametrize()
@HYPOTHESIS
def test_api_as_a_supervisor(case, personas):
    _check(case, personas.supervisor)


@schema.parametrize()
@HYPOTHESIS
def test_api_as_a_department_liaison(case, personas):
    _check(case, personas.liaison_a)
