"""Every page and API list runs a number of queries that does not grow with the data.

Each route is read by every role on the shared world, then on the world grown five times over
(more plans, tasks, parts, reports with evidence, decided extensions, 催办, notifications and
snapshots), under the same bound: a new N+1 fails here rather than on the bench.
"""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from notifications.models import Chase, Notification
from org.models import Department
from plans.models import Plan
from tasks import services
from tasks.models import Phase, Task
from tests.api.conftest import PDF, upload
from tests.security.routes import all_routes
from tests.security.test_api_matrix import ROLES
from tests.security.test_visibility_walk import INNER_LISTS, LISTS, READERS_ONLY
from tests.status.conftest import at

pytestmark = pytest.mark.django_db

# Most queries any role needs on the route, at either size of the data (the same on SQLite and PostgreSQL).
BOUNDS = {
    "activity-list": 2,
    "assignment-list": 5,
    "clause-list": 3,
    "department-group-list": 3,
    "department-list": 3,
    "evidence-list": 3,
    "extension-request-list": 3,
    "home": 19,  # one more once the undated list has rows to fetch (supervisor home)
    "notification-list": 2,
    "notifications:log": 11,
    "notifications:task_log": 13,
    "phase-list": 3,
    "plan-import-list": 3,
    "plan-list": 3,
    "plans:detail": 16,
    "plans:list": 11,
    "progress-report-list": 4,
    "report-supervision": 10,
    "report-supervision-assignments": 2,
    "status-departments": 3,
    "status-history-list": 3,
    "supervision:board": 18,
    "supervision:department": 12,
    "supervision:report": 18,
    "supervision:report_assignments": 8,
    "task-list": 6,
    "tasks:detail": 28,
}

ROUTES = sorted(set(LISTS) | set(INNER_LISTS) | set(READERS_ONLY))


def grow(world, personas, copies: int) -> None:
    """Add `copies` more of everything the pages list."""
    p = personas
    for i in range(copies):
        with at(date(2026, 2, 1)):
            dept = Department.objects.create(name=f"第{i + 1}中学", kind=Department.Kind.SCHOOL)
            services.task_assign(task=world.task_a, co=[dept])
            plan = Plan.objects.create(title=f"扩容方案{i}", issued_on=date(2026, 1, 1), status=Plan.Status.ACTIVE)
            task = Task.objects.create(plan=plan, title=f"扩容任务{i}", due_date=date(2026, 6, 20 + i))
            Phase.objects.create(task=task, kind="operation", name="运行阶段", start_date=date(2026, 3, 1))
            lead, co = services.task_assign(task=task, leads=[p.dept_a], co=[p.dept_b])
        with at(date(2026, 6, 2)):
            for part, author in ((lead, p.liaison_a), (co, p.liaison_b), (world.part_a, p.liaison_a)):
                report = services.progress_report_submit(
                    assignment=part, author=author, text="进展", percent=20, files=[upload("进展.pdf", PDF)]
                )
            services.progress_report_review(report=report, reviewer=p.supervisor, approve=True)
            extension = services.extension_request_create(
                assignment=lead, user=p.liaison_a, requested_due_date=date(2026, 9, 30), reason="场地未定"
            )
            services.extension_decide(request=extension, decider=p.supervisor, approve=False, comment="按期完成")
            for part in (lead, world.part_a):
                chase = Chase.objects.create(assignment=part, by_user=p.supervisor, note="请报送")
                Notification.objects.create(
                    recipient=p.liaison_a,
                    address=p.liaison_a.email,
                    kind=Notification.Kind.CHASE,
                    for_date=date(2026, 6, 2),
                    subject="【催办】",
                    items=[{"task_id": part.task_id, "department_id": part.department_id}],
                    chase=chase,
                    dedup_key=f"grow-{i}-{part.pk}",
                    next_attempt_at="2026-06-02T09:00:00+08:00",
                )


@pytest.fixture(params=[1, 5], ids=["data x1", "data x5"])
def scaled(request, world, more, personas, today):
    grow(world, personas, request.param - 1)
    services.department_snapshot_take(as_of=today)
    return request.param


def _url(route, world, more):
    if route in INNER_LISTS:
        return reverse(route, kwargs=INNER_LISTS[route][0](world, more))
    return reverse(route)


@pytest.mark.parametrize("route", ROUTES)
def test_queries_do_not_grow_with_the_data(route, scaled, world, more, personas, django_assert_max_num_queries):
    is_api = all_routes()[route].startswith("api/")
    url = _url(route, world, more)
    for role in ROLES:
        client = APIClient() if is_api else Client()
        if role is not None:
            (client.force_authenticate if is_api else client.force_login)(getattr(personas, role))
        with django_assert_max_num_queries(BOUNDS[route]):
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        assert response.status_code in (200, 302, 401, 403, 404), (route, role, response.status_code)
