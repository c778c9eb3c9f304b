"""A plan import that fails partway leaves nothing behind: no plan, clause, task, assignment, phase or history row."""

import pytest
from django.db import DatabaseError, connection, transaction

from plans.models import Clause, Plan, PlanImport
from plans.services import plan_import_confirm, plan_import_preview
from tasks.models import Assignment, Phase, Task
from tests.figures import record
from tests.plans.conftest import DEMO_PLAN, directory  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the fault is a PostgreSQL trigger"),
]

MODELS = (Plan, Clause, Task, Assignment, Phase, Task.history.model, Assignment.history.model, Phase.history.model)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def fail_on_nth_task():
    """A trigger that lets the first tasks in and fails the insert of the fifth, as a full disk or a kill would."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE SEQUENCE IF NOT EXISTS fault_task_inserts;
            CREATE OR REPLACE FUNCTION fault_after_four_tasks() RETURNS trigger AS $$
            BEGIN
                IF nextval('fault_task_inserts') >= 5 THEN
                    RAISE EXCEPTION 'injected fault: the database fails mid-import';
                END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER fault_task_insert BEFORE INSERT ON tasks_task
                FOR EACH ROW EXECUTE FUNCTION fault_after_four_tasks();
            """
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER IF EXISTS fault_task_insert ON tasks_task;"
            "DROP FUNCTION IF EXISTS fault_after_four_tasks(); DROP SEQUENCE IF EXISTS fault_task_inserts;"
        )


def test_a_confirm_failing_midway_writes_nothing(directory, personas, fail_on_nth_task):  # noqa: F811
    plan_import = plan_import_preview(data=DEMO_PLAN.read_bytes(), filename="plan.txt", user=personas.supervisor)
    before = counts()
    with pytest.raises(DatabaseError, match="injected fault"):
        with transaction.atomic():  # as the API and the page call it
            plan_import_confirm(plan_import=plan_import, user=personas.supervisor)
    assert counts() == before
    plan_import.refresh_from_db()
    assert plan_import.state == PlanImport.State.PREVIEW and not plan_import.plans.exists()

    # The fault gone, the same import goes through whole.
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER fault_task_insert ON tasks_task")
    with transaction.atomic():
        plan_import_confirm(plan_import=plan_import, user=personas.supervisor)
    after = counts()
    assert after["Task"] > 4 and after["HistoricalTask"] == after["Task"]
    record(
        "interrupted import",
        tasks_written_before_fault=4,
        rows_left_after_fault=0,
        tasks_after_retry=after["Task"],
    )


def test_the_api_confirm_failing_midway_writes_nothing(directory, personas, fail_on_nth_task):  # noqa: F811
    from rest_framework.test import APIClient

    plan_import = plan_import_preview(data=DEMO_PLAN.read_bytes(), filename="plan.txt", user=personas.supervisor)
    before = counts()
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(personas.supervisor)
    response = client.post(f"/api/v1/imports/{plan_import.pk}/confirm/")
    assert response.status_code == 202  # the confirm is a job: its failure is the job's, said in Chinese
    assert response.json()["job"]["state"] == "failed"
    assert response.json()["job"]["error"].startswith("处理时出现系统错误,没有写入任何数据")
    assert counts() == before
    plan_import.refresh_from_db()
    assert plan_import.state == PlanImport.State.PREVIEW
