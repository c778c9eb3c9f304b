"""Import jobs in a real Celery worker (a subprocess) on PostgreSQL and Redis.

A 2 MB paste is parsed by the worker and its preview opens on a first page that is small
and quick; a 4,000-task plan is confirmed by the worker, and a worker killed in the middle
of that confirm leaves not one row behind.
"""

import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from plans.demo import demo_task_list, seed_directory
from plans.models import Clause, Plan, PlanImport
from plans.selectors import import_progress
from plans.services import plan_import_preview, plan_import_request_confirm, plan_import_submit
from tasks.models import Assignment, Task
from tests.conftest import needs_redis
from tests.figures import record
from tests.notifications.conftest import worker_database_url
from tests.plans.conftest import CORPUS
from tests.worker import celery_worker

pytestmark = [needs_redis, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TWO_MB = 2 * 1024 * 1024


@pytest.fixture
def worker_env(personas):
    if connection.vendor != "postgresql":
        pytest.skip("a worker in another process needs a database server")
    seed_directory()
    celery_app.control.purge()  # messages left by earlier tests name rows that no longer exist
    return worker_database_url()


def wait_for(condition, *, timeout, every=0.2):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(every)


def job_state(plan_import) -> str:
    return PlanImport.objects.values_list("job_state", flat=True).get(pk=plan_import.pk)


def two_mb_paste() -> str:
    """The corpus end to end until it is 2 MB: every way of writing units and dates in one paste."""
    docs = [p.read_text("utf-8") for p in sorted(CORPUS.glob("*.txt"))] or [demo_task_list(2000)]
    parts, size = [], 0
    while size < TWO_MB:
        doc = docs[len(parts) % len(docs)]
        parts.append(doc)
        size += len(doc.encode()) + 2
    return "\n\n".join(parts)


def written() -> tuple[int, int, int, int]:
    return (Plan.objects.count(), Clause.objects.count(), Task.objects.count(), Assignment.objects.count())


def test_a_2mb_paste_parses_in_a_worker_and_its_first_page_is_under_2mb_and_2s(personas, worker_env, client):
    text = two_mb_paste()
    assert len(text.encode()) >= TWO_MB
    with celery_worker(database_url=worker_env):
        started = time.monotonic()
        plan_import = plan_import_submit(data=text, user=personas.supervisor)
        assert job_state(plan_import) in ("queued", "running", "done")
        wait_for(lambda: job_state(plan_import) in ("done", "failed"), timeout=180)
        parse_seconds = time.monotonic() - started
    plan_import.refresh_from_db()
    assert (plan_import.job, plan_import.job_state, plan_import.job_progress) == ("parse", "done", 100)
    clauses = sum(len(p["clauses"]) for p in plan_import.result["plans"])
    assert clauses > 1000

    client.force_login(personas.supervisor)
    url = reverse("plans:import_preview", args=[plan_import.pk])
    client.get(url)  # warm the template cache, as a running server has
    started = time.perf_counter()
    response = client.get(url)
    page_seconds = time.perf_counter() - started
    assert response.status_code == 200
    assert len(response.content) < TWO_MB
    assert page_seconds < 2.0
    body = response.content.decode()
    assert 'id="pages"' in body and "?page=2" in body  # the rest is a click away
    record(
        "import job: 2 MB paste",
        bytes=len(text.encode()),
        clauses=clauses,
        parse_in_worker_s=round(parse_seconds, 2),
        first_page_bytes=len(response.content),
        first_page_s=round(page_seconds, 3),
    )


def test_a_worker_killed_mid_confirm_of_4000_tasks_leaves_nothing_and_the_retry_builds_all(personas, worker_env):
    plan_import = plan_import_preview(data=demo_task_list(4000), user=personas.supervisor)
    assert sum(c["is_task"] for c in plan_import.result["plans"][0]["clauses"]) == 4000
    before = written()
    assert before == (0, 0, 0, 0)

    with celery_worker(database_url=worker_env) as first:
        plan_import_request_confirm(plan_import=plan_import, user=personas.supervisor)
        # the job reports progress from inside its transaction (through the cache): kill it a quarter in
        wait_for(lambda: import_progress(PlanImport.objects.get(pk=plan_import.pk)) >= 25, timeout=240, every=0.05)
        first.kill()  # SIGKILL: no cleanup; PostgreSQL rolls the open transaction back
        first.wait(timeout=10)
    wait_for(lambda: not _open_transactions(), timeout=30)
    assert written() == (0, 0, 0, 0)
    plan_import.refresh_from_db()
    assert plan_import.state == PlanImport.State.PREVIEW
    assert plan_import.job_state == PlanImport.JobState.RUNNING  # nobody is left to say otherwise …

    # … until the job has not been heard of for longer than any job may run: then it may be confirmed again.
    with celery_worker(database_url=worker_env):  # started first: a solo worker busy with a job answers no ping
        with time_machine.travel(timezone.now() + timedelta(minutes=40), tick=True):
            plan_import_request_confirm(plan_import=plan_import, user=personas.supervisor)
        started = time.monotonic()
        wait_for(lambda: job_state(plan_import) in ("done", "failed"), timeout=290)
        confirm_seconds = time.monotonic() - started
    plan_import.refresh_from_db()
    assert (plan_import.state, plan_import.job_state, plan_import.job_error) == ("confirmed", "done", "")
    assert written() == (1, 4040, 4000, 8000)
    assert Plan.objects.get().created_by == personas.supervisor
    record("import job: 4,000-task confirm", tasks=4000, confirm_in_worker_s=round(confirm_seconds, 2))


def _open_transactions() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
        )
        return cursor.fetchone()[0]
