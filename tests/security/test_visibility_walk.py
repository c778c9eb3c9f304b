"""Every page and endpoint, for every role, against the same answer: the model's objects.visible_to(user).

A list shows exactly the rows visible_to gives the user (or refuses the user, who then sees none);
a detail answers 200 for each object visible_to gives the user and 403/404 for every other object
of the model. Routes come from the URL resolver: a new route that is in none of LISTS, DETAILS,
READERS_ONLY and EXEMPT fails `test_every_route_is_walked_or_exempt`.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from notifications.models import Chase, Notification
from org import access
from org.models import Department, DepartmentGroup
from plans.models import Clause, Plan, PlanImport
from tasks.models import (
    ActivityLog,
    Assignment,
    DepartmentSnapshot,
    Evidence,
    ExtensionRequest,
    Phase,
    ProgressReport,
    Task,
)

from .routes import all_routes
from .test_api_matrix import ROLES

pytestmark = pytest.mark.django_db

REFUSED = {401, 403}


@dataclass
class Listing:
    visible: Callable  # user -> the queryset the route must show
    shown: Callable  # response -> the ids it shows
    exact: bool = True  # False: a digest of the visible rows (the home page), so shown ⊆ visible
    key: tuple = ("pk",)  # what names a row, for rows the API shows without an id


@dataclass
class Detail:
    model: type
    kwargs: Callable  # object -> URL kwargs
    visible: Callable | None = None  # user -> queryset; default model.objects.visible_to(user)


def api_ids(response):
    return {row["id"] for row in response.json()["results"]}


def ctx(*names, attr="pk"):
    """The ids of the objects a page put in its context under names (lists or pages of objects)."""

    def shown(response):
        out = set()
        for name in names:
            for item in response.context[name]:
                out.add(getattr(item, attr))
        return out

    return shown


def visible(model):
    return lambda user: model.objects.visible_to(user)


def directory(user):
    return Department.objects.directory_for(user)


def groups(user):
    return DepartmentGroup.objects.all() if access.is_signed_in(user) else DepartmentGroup.objects.none()


def home_assignments(context) -> set[int]:
    """The assignments the home page names: a member's work lists, a reader's queues to review."""
    shown = {a.pk for key in ("overdue", "due_soon", "returned", "unacknowledged") for a in context.get(key, [])}
    for key in ("pending_reports", "pending_extensions"):
        if isinstance(context.get(key), list):
            shown |= {row.assignment_id for row in context[key]}
    return shown


def task_parts(world):
    return lambda user: Assignment.objects.visible_to(user).filter(task=world.task_a)


LISTS = {
    # API
    "plan-list": Listing(visible(Plan), api_ids),
    "clause-list": Listing(visible(Clause), api_ids),
    "task-list": Listing(visible(Task), api_ids),
    "assignment-list": Listing(visible(Assignment), api_ids),
    "phase-list": Listing(visible(Phase), api_ids),
    "progress-report-list": Listing(visible(ProgressReport), api_ids),
    "evidence-list": Listing(visible(Evidence), api_ids),
    "extension-request-list": Listing(visible(ExtensionRequest), api_ids),
    "activity-list": Listing(visible(ActivityLog), api_ids),
    "status-history-list": Listing(
        # without ?plan= the history is the across-plans line (tasks.api.filters.SnapshotFilter)
        lambda user: DepartmentSnapshot.objects.visible_to(user).filter(plan__isnull=True),
        lambda r: {(row["department"], row["plan"], row["role"]) for row in r.json()["results"]},
        key=("department_id", "plan_id", "role"),  # one day's snapshots: one row per department, plan, role
    ),
    "notification-list": Listing(visible(Notification), api_ids),
    "plan-import-list": Listing(visible(PlanImport), api_ids),
    "department-list": Listing(directory, api_ids),
    "department-group-list": Listing(groups, api_ids),
    "status-departments": Listing(
        lambda user: Department.objects.visible_to(user).filter(assignments__isnull=False).distinct(),
        lambda response: {row["department_id"] for row in response.json()},
    ),
    # pages
    "plans:list": Listing(visible(Plan), lambda r: {row["plan"].pk for row in r.context["page"]}),
    "notifications:log": Listing(visible(Notification), ctx("page")),
    "supervision:board": Listing(
        lambda user: Department.objects.visible_to(user).filter(assignments__isnull=False).distinct(),
        ctx("cards", attr="department_id"),
    ),
    "home": Listing(visible(Assignment), lambda r: home_assignments(r.context), exact=False),
}

# Lists inside one object's page: (route, kwargs, what it must show of the object's rows)
INNER_LISTS = {
    "plans:detail": (
        lambda w, x: {"pk": w.plan_a.pk},
        lambda w: lambda user: Task.objects.visible_to(user).filter(plan=w.plan_a),
        ctx("tasks"),
    ),
    "tasks:detail": (
        lambda w, x: {"pk": w.task_a.pk},
        task_parts,
        lambda r: {p["a"].pk for p in r.context["parts"]},
    ),
    "supervision:department": (
        lambda w, x: {"pk": w.part_a.department_id},
        lambda w: lambda user: Assignment.objects.visible_to(user).filter(department=w.part_a.department),
        ctx("rows"),
    ),
    "notifications:task_log": (
        lambda w, x: {"task_pk": w.task_a.pk},
        lambda w: lambda user: Chase.objects.visible_to(user).filter(assignment__task=w.task_a),
        ctx("chases"),
    ),
}

DETAILS = {
    "plan-detail": Detail(Plan, lambda o: {"pk": o.pk}),
    "clause-detail": Detail(Clause, lambda o: {"pk": o.pk}),
    "task-detail": Detail(Task, lambda o: {"pk": o.pk}),
    "task-history": Detail(Task, lambda o: {"pk": o.pk}),
    "assignment-detail": Detail(Assignment, lambda o: {"pk": o.pk}),
    "phase-detail": Detail(Phase, lambda o: {"pk": o.pk}),
    "progress-report-detail": Detail(ProgressReport, lambda o: {"pk": o.pk}),
    "evidence-detail": Detail(Evidence, lambda o: {"pk": o.pk}),
    "evidence-download": Detail(Evidence, lambda o: {"pk": o.pk}),
    "extension-request-detail": Detail(ExtensionRequest, lambda o: {"pk": o.pk}),
    "activity-detail": Detail(ActivityLog, lambda o: {"pk": o.pk}),
    "notification-detail": Detail(Notification, lambda o: {"pk": o.pk}),
    "plan-import-detail": Detail(PlanImport, lambda o: {"pk": o.pk}),
    "department-detail": Detail(Department, lambda o: {"pk": o.pk}, directory),
    "department-group-detail": Detail(DepartmentGroup, lambda o: {"pk": o.pk}, groups),
    "plans:detail": Detail(Plan, lambda o: {"pk": o.pk}),
    "tasks:detail": Detail(Task, lambda o: {"pk": o.pk}),
    "tasks:evidence": Detail(Evidence, lambda o: {"pk": o.pk}),
    "notifications:task_log": Detail(Task, lambda o: {"task_pk": o.pk}),
    "supervision:department": Detail(Department, lambda o: {"pk": o.pk}),
    "plans:import_preview": Detail(PlanImport, lambda o: {"pk": o.pk}),
}

# Cross-department reports: whole for supervisors and viewers, refused to everyone else. The 明细
# lists every assignment visible_to gives a reader, one CSV row each.
READERS_ONLY = {
    "report-supervision": None,
    "supervision:report": None,
    "report-supervision-assignments": "csv",
    "supervision:report_assignments": "csv",
}

_ACTION = "an action, not a read: who may take it is the matrix tests'; the service refuses on its own"
EXEMPT = {
    "api-schema": "the API's description, no rows",
    "healthz": "public liveness probe, no rows",
    "plans:import": "the import wizard's upload form, supervisors only; PlanImport rows are walked via the preview",
    "org:registry": "registry workspace, supervisors only (test_page_matrix); the directory is department-list",
    "org:registry_department": "registry workspace, supervisors only (test_page_matrix)",
    "org:registry_group": "registry workspace, supervisors only (test_page_matrix)",
    "org:group_create": "registry workspace form, supervisors only (test_page_matrix)",
    "tasks:edit": "a task's editing page, supervisors only (test_page_matrix); the task is walked by tasks:detail",
    "plans:edit": "a plan's editing page, supervisors only (test_page_matrix); the plan is walked by plans:detail",
    "plans:import_job": "the import's job panel, supervisors only (test_page_matrix)",
    **{
        name: _ACTION
        for name in (
            "assignment-acknowledge",
            "assignment-complete",
            "assignment-chase",
            "progress-report-review",
            "extension-request-decide",
            "notification-resend",
            "plan-import-confirm",
            "plans:import_plan_fields",
            "plans:import_clause",
            "plans:import_clause_boundary",
            "plans:import_unit",
            "plans:import_confirm",
            "org:department_create",
            "org:alias_add",
            "org:alias_delete",
            "org:member_add",
            "org:member_remove",
            "org:member_email",
            "org:group_alias_add",
            "notifications:resend",
            "notifications:chase",
            "tasks:report_submit",
            "tasks:acknowledge",
            "tasks:extension_request",
            "tasks:report_review",
            "tasks:extension_decide",
            "assignment-role",
            "plan-close",
            "plan-stop",
            "plan-import-retry",
            "plans:edit_end",
            "plans:edit_task_add",
            "plans:import_accept",
            "plans:import_bulk",
            "plans:import_clause_dismiss",
            "plans:import_discard",
            "plans:import_retry",
            "tasks:edit_details",
            "tasks:edit_ongoing",
            "tasks:edit_remove",
            "tasks:phase_add",
            "tasks:phase_edit",
            "tasks:phase_remove",
            "tasks:unit_add",
            "tasks:unit_remove",
            "tasks:unit_role",
        )
    },
}


@pytest.fixture(autouse=True)
def _every_kind_of_row(world, more, personas, today):
    """Rows of the kinds the shared world lacks: 催办 of both departments and a day's snapshots."""
    from tasks.services import department_snapshot_take

    for part in (world.part_a, world.part_b):
        Chase.objects.create(assignment=part, by_user=personas.supervisor, note="请尽快报送")
    department_snapshot_take(as_of=today)


def test_every_route_is_walked_or_exempt():
    walked = set(LISTS) | set(INNER_LISTS) | set(DETAILS) | set(READERS_ONLY) | set(EXEMPT)
    routes = set(all_routes())
    assert not routes - walked, f"routes no visibility walk covers: {sorted(routes - walked)}"
    assert not walked - routes, f"walked routes that no longer exist: {sorted(walked - routes)}"


@pytest.fixture
def as_role(personas, today):
    """as_role(role, route) is a client of the right kind signed in as the persona (None: anonymous)."""

    def client(role, route):
        is_api = all_routes()[route].startswith("api/")
        c = APIClient() if is_api else Client()
        if role is not None:
            (c.force_authenticate if is_api else c.force_login)(getattr(personas, role))
        return c

    return client


def _user(personas, role):
    from django.contrib.auth.models import AnonymousUser

    return getattr(personas, role) if role else AnonymousUser()


def _get(client, url, data=None):
    with transaction.atomic():
        response = client.get(url, data or {})
        transaction.set_rollback(True)
    return response


def _refused(response) -> bool:
    return response.status_code in REFUSED or (
        response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    )


@pytest.mark.parametrize("route", sorted(LISTS))
def test_a_list_shows_each_role_exactly_what_visible_to_gives(route, world, more, as_role, personas):
    spec = LISTS[route]
    url = reverse(route)
    query = {"page_size": 500} if all_routes()[route].startswith("api/") else {}
    for role in ROLES:
        response = _get(as_role(role, route), url, query)
        rows = spec.visible(_user(personas, role))
        expected = set(rows.values_list(*spec.key, flat=True) if len(spec.key) == 1 else rows.values_list(*spec.key))
        if _refused(response):
            assert not expected, f"{route} refuses {role}, who may read {sorted(expected)}"
            continue
        assert response.status_code == 200, (route, role, response.status_code)
        shown = spec.shown(response)
        if spec.exact:
            assert shown == expected, (route, role)
        else:
            assert shown <= expected and (shown or not expected), (route, role, shown, expected)


@pytest.mark.parametrize("route", sorted(INNER_LISTS))
def test_a_page_lists_of_its_object_exactly_what_visible_to_gives(route, world, more, as_role, personas):
    kwargs, rows, shown = INNER_LISTS[route]
    url = reverse(route, kwargs=kwargs(world, more))
    for role in ROLES:
        response = _get(as_role(role, route), url)
        if response.status_code != 200:
            continue  # whether the page itself opens is test_a_detail_opens_exactly_for_visible_objects
        assert shown(response) == set(rows(world)(_user(personas, role)).values_list("pk", flat=True)), (route, role)


@pytest.mark.parametrize("route", sorted(DETAILS))
def test_a_detail_opens_exactly_for_visible_objects(route, world, more, as_role, personas):
    spec = DETAILS[route]
    wrong = []
    for role in ROLES:
        user = _user(personas, role)
        rule = spec.visible or (lambda u: spec.model.objects.visible_to(u))
        mine = set(rule(user).values_list("pk", flat=True))
        client = as_role(role, route)
        for obj in spec.model.objects.all():
            response = _get(client, reverse(route, kwargs=spec.kwargs(obj)))
            if obj.pk in mine:
                ok = response.status_code == 200
            else:
                ok = response.status_code == 404 or _refused(response)
            if not ok:
                wrong.append(f"{route} #{obj.pk} as {role}: {response.status_code} (visible: {obj.pk in mine})")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("route", sorted(READERS_ONLY))
def test_a_cross_department_report_is_whole_for_readers_and_refused_to_others(route, world, more, as_role, personas):
    for role in ROLES:
        user = _user(personas, role)
        response = _get(as_role(role, route), reverse(route))
        if not access.reads_everything(user):
            assert _refused(response), (route, role, response.status_code)
            continue
        assert response.status_code == 200, (route, role)
        if READERS_ONLY[route] == "csv":
            body = b"".join(response.streaming_content) if response.streaming else response.content
            rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
            assert len(rows) - 1 == Assignment.objects.visible_to(user).count(), (route, role)
