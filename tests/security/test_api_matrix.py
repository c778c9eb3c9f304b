"""Who may do what through the API: every route × every role, built from the URL resolver.

A route the resolver knows and MATRIX does not name fails `test_every_api_route_is_in_the_matrix`:
a new endpoint cannot ship without saying who may use it.

Each case aims at an object of department A (or at a collection). Department B's liaison
guessing that object's id must get 404 — the object does not exist for them — and a role
that sees the object but may not change it gets 403. Anonymous callers are refused (401/403).
"""

import pytest
from django.db import transaction
from django.urls import reverse

from tasks.models import Assignment

from .routes import api_routes

pytestmark = pytest.mark.django_db

ROLES = ("supervisor", "liaison_a", "liaison_b", "head_a", "viewer", None)
OUTCOMES = {
    "ok": {200, 201, 202, 204},
    "400": {400},  # a reference the caller may not name is "invalid", as if it did not exist
    "403": {403},
    "404": {404},
    "login": {401, 403},
}


def expect(supervisor, liaison_a, liaison_b, head_a, viewer, anonymous="login"):
    return dict(zip(ROLES, (supervisor, liaison_a, liaison_b, head_a, viewer, anonymous), strict=True))


EVERYONE = expect("ok", "ok", "ok", "ok", "ok")  # signed in
DEPT_A_READS = expect("ok", "ok", "404", "ok", "ok")
SUPERVISOR = expect("ok", "403", "403", "403", "403")
READERS = expect("ok", "403", "403", "403", "ok")
SUPERVISOR_ON_A = expect("ok", "403", "404", "403", "403")
DEPT_A_SUBMITS = expect("ok", "ok", "400", "ok", "403")
DEPT_A_MEMBERS_ON_A = expect("403", "ok", "404", "ok", "403")
# The supervisor may ask; the plan-editing service may still refuse this object (its last lead, its reports).
SUPERVISOR_ASKS_ON_A = expect("pass", "403", "404", "403", "403")


def case(method, kwargs=None, data=None, expected=EVERYONE):
    return {"method": method, "kwargs": kwargs or (lambda w, x: {}), "data": data, "expected": expected}


def pk(attr):
    """The id of the object named attr in the world or its extras."""
    return lambda w, x: {"pk": (getattr(w, attr, None) or getattr(x, attr)).pk}


MATRIX = {
    "api-schema": [case("get")],
    "plan-import-list": [
        case("get", expected=SUPERVISOR),
        case("post", data=lambda w, x: {"text": x.plan_import.source_text}, expected=SUPERVISOR),
    ],
    "plan-import-detail": [
        case("get", pk("plan_import"), expected=SUPERVISOR),
        case(
            "patch",
            pk("plan_import"),
            data=lambda w, x: {"corrections": [{"op": "set_plan", "plan": 0, "field": "title", "value": "新标题"}]},
            expected=expect("pass", "403", "403", "403", "403"),
        ),
        case("delete", pk("plan_import"), expected=expect("pass", "403", "403", "403", "403")),
    ],
    "plan-import-confirm": [case("post", pk("plan_import"), expected=expect("pass", "403", "403", "403", "403"))],
    "plan-import-retry": [case("post", pk("plan_import"), expected=expect("pass", "403", "403", "403", "403"))],
    "status-departments": [case("get")],
    "report-supervision": [case("get", expected=READERS)],
    "report-supervision-assignments": [case("get", expected=READERS)],
    "plan-list": [case("get")],
    "plan-detail": [case("get", lambda w, x: {"pk": x.plan_a_only.pk}, expected=DEPT_A_READS)],
    "clause-list": [case("get")],
    "clause-detail": [case("get", pk("clause_a"), expected=expect("ok", "ok", "ok", "ok", "ok"))],
    "task-list": [
        case("get"),
        case(
            "post",
            data=lambda w, x: {
                "plan": w.plan_a.pk, "title": "新增任务", "due_date": "2026-12-31", "leads": [x.spare_department.pk]
            },  # fmt: skip
            expected=SUPERVISOR,
        ),
    ],
    "task-detail": [
        case("get", pk("task_a"), expected=DEPT_A_READS),
        case("put", pk("task_a"), data=lambda w, x: {"plan": w.plan_a.pk, "title": "改名"}, expected=SUPERVISOR_ON_A),
        case("patch", pk("task_a"), data=lambda w, x: {"title": "改名"}, expected=SUPERVISOR_ON_A),
        case("delete", pk("task_a"), expected=SUPERVISOR_ASKS_ON_A),
    ],
    "task-history": [case("get", pk("task_a"), expected=DEPT_A_READS)],
    "assignment-list": [
        case("get"),
        case(
            "post",
            data=lambda w, x: {"task": w.task_a.pk, "department": x.spare_department.pk, "role": "co"},
            expected=SUPERVISOR,
        ),
    ],
    "assignment-detail": [
        case("get", pk("part_a"), expected=DEPT_A_READS),
        case("delete", pk("part_a"), expected=SUPERVISOR_ASKS_ON_A),
    ],
    "assignment-role": [case("post", pk("part_a"), data=lambda w, x: {"role": "lead"}, expected=SUPERVISOR_ON_A)],
    "plan-close": [case("post", pk("plan_a_only"), data=lambda w, x: {"reason": "完成"}, expected=SUPERVISOR_ON_A)],
    "plan-stop": [case("post", pk("plan_a_only"), data=lambda w, x: {"reason": "废止"}, expected=SUPERVISOR_ON_A)],
    "assignment-acknowledge": [case("post", pk("part_a"), expected=DEPT_A_MEMBERS_ON_A)],
    "assignment-complete": [case("post", pk("part_a"), data=lambda w, x: {}, expected=SUPERVISOR_ON_A)],
    "assignment-chase": [case("post", pk("part_a"), data=lambda w, x: {"note": "请回复"}, expected=SUPERVISOR)],
    "phase-list": [
        case("get"),
        case("post", data=lambda w, x: {"task": w.task_a.pk, "kind": "evaluation"}, expected=SUPERVISOR),
    ],
    "phase-detail": [
        case("get", pk("phase_a"), expected=DEPT_A_READS),
        case(
            "put",
            pk("phase_a"),
            data=lambda w, x: {"task": w.task_a.pk, "kind": "evaluation"},
            expected=SUPERVISOR_ON_A,
        ),
        case("patch", pk("phase_a"), data=lambda w, x: {"name": "评估阶段"}, expected=SUPERVISOR_ON_A),
        case("delete", pk("phase_a"), expected=SUPERVISOR_ON_A),
    ],
    "progress-report-list": [
        case("get"),
        case(
            "post",
            data=lambda w, x: {"assignment": w.part_a.pk, "text": "已开工", "percent": 50},
            expected=DEPT_A_SUBMITS,
        ),
    ],
    "progress-report-detail": [case("get", pk("report_a"), expected=DEPT_A_READS)],
    "progress-report-review": [
        case("post", pk("report_a"), data=lambda w, x: {"decision": "approve"}, expected=SUPERVISOR_ON_A)
    ],
    "evidence-list": [case("get")],
    "evidence-detail": [case("get", pk("evidence_a"), expected=DEPT_A_READS)],
    "evidence-download": [case("get", pk("evidence_a"), expected=DEPT_A_READS)],
    "extension-request-list": [
        case("get"),
        case(
            "post",
            data=lambda w, x: {"assignment": x.part_d.pk, "requested_due_date": "2027-01-31", "reason": "设备未到"},
            expected=DEPT_A_SUBMITS,
        ),
    ],
    "extension-request-detail": [case("get", pk("extension_a"), expected=DEPT_A_READS)],
    "extension-request-decide": [
        case("post", pk("extension_a"), data=lambda w, x: {"decision": "approve"}, expected=SUPERVISOR_ON_A)
    ],
    "activity-list": [case("get", expected=READERS)],
    "activity-detail": [case("get", lambda w, x: {"pk": x.activity_a.pk}, expected=READERS)],
    "status-history-list": [case("get")],
    "department-list": [
        case("get"),
        case("post", data=lambda w, x: {"name": "市卫健委", "kind": "bureau"}, expected=SUPERVISOR),
    ],
    "department-detail": [
        case("get", pk("spare_department")),
        case(
            "put",
            pk("spare_department"),
            data=lambda w, x: {"name": "市体育总局", "kind": "bureau"},
            expected=SUPERVISOR,
        ),
        case("patch", pk("spare_department"), data=lambda w, x: {"short_name": "体育局"}, expected=SUPERVISOR),
        case("delete", pk("spare_department"), expected=SUPERVISOR),
    ],
    "department-group-list": [
        case("get"),
        case("post", data=lambda w, x: {"name": "各学校", "members": [x.spare_department.pk]}, expected=SUPERVISOR),
    ],
    "department-group-detail": [
        case("get", pk("group")),
        case("put", pk("group"), data=lambda w, x: {"name": "各县区", "members": []}, expected=SUPERVISOR),
        case("patch", pk("group"), data=lambda w, x: {"name": "各县(市)区"}, expected=SUPERVISOR),
        case("delete", pk("group"), expected=SUPERVISOR),
    ],
    "notification-list": [case("get", expected=SUPERVISOR)],
    "notification-detail": [case("get", pk("notification_a"), expected=SUPERVISOR)],
    "notification-resend": [case("post", pk("notification_a"), expected=SUPERVISOR)],
}


def test_every_api_route_is_in_the_matrix():
    missing = api_routes() - set(MATRIX)
    assert not missing, f"API routes with no authorization rule in the matrix: {sorted(missing)}"
    assert not set(MATRIX) - api_routes(), "matrix names routes that no longer exist"


def _call(client, method, url, data):
    if data is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data, format="json")


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_api_route_answers_each_role_as_the_matrix_says(route, world, more, api):
    wrong = []
    for spec in MATRIX[route]:
        url = reverse(route, kwargs=spec["kwargs"](world, more))
        for role in ROLES:
            data = spec["data"](world, more) if spec["data"] else None
            with transaction.atomic():
                response = _call(api(role), spec["method"], url, data)
                transaction.set_rollback(True)  # every role meets the same world
            expected = spec["expected"][role]
            allowed = {*OUTCOMES["ok"], 400, 409} if expected == "pass" else OUTCOMES[expected]
            if response.status_code not in allowed:
                wrong.append(f"{spec['method'].upper()} {url} as {role}: {response.status_code}, expected {expected}")
    assert not wrong, "\n".join(wrong)


# ---------------------------------------------------------------------------
# Lists: DRF checks object permissions on single objects only, so every list must filter itself.

A_ONLY = {
    "plan-list": lambda w, x: {x.plan_a_only.pk},
    "task-list": lambda w, x: {w.task_a.pk, x.part_d.task_id},
    "assignment-list": lambda w, x: {w.part_a.pk, x.part_d.pk},
    "phase-list": lambda w, x: {x.phase_a.pk},
    "progress-report-list": lambda w, x: {w.report_a.pk},
    "evidence-list": lambda w, x: {x.evidence_a.pk},
    "extension-request-list": lambda w, x: {w.extension_a.pk},
}
B_ONLY = {
    "plan-list": lambda w, x: {w.plan_b.pk},
    "task-list": lambda w, x: {w.task_b.pk, w.task_c.pk},
    "assignment-list": lambda w, x: {w.part_b.pk, w.part_c.pk},
    "phase-list": lambda w, x: set(),
    "progress-report-list": lambda w, x: {w.report_b.pk},
    "evidence-list": lambda w, x: {x.evidence_b.pk},
    "extension-request-list": lambda w, x: {w.extension_b.pk},
}


@pytest.mark.parametrize("route", sorted(A_ONLY))
def test_lists_show_each_department_only_its_own(route, world, more, api):
    url = reverse(route) + "?page_size=200"
    a_only, b_only = A_ONLY[route](world, more), B_ONLY[route](world, more)

    def seen(role):
        response = api(role).get(url)
        assert response.status_code == 200, (role, response.status_code)
        return {row["id"] for row in response.json()["results"]}

    for role in ("liaison_a", "head_a"):
        assert a_only <= seen(role) and not (b_only & seen(role)), role
    assert b_only <= seen("liaison_b") and not (a_only & seen("liaison_b"))
    for role in ("supervisor", "viewer"):
        assert a_only | b_only <= seen(role), role


def test_filters_cannot_widen_a_list(world, more, api):
    """Naming another department in a filter narrows within what the user sees; it never adds rows."""
    client = api("liaison_b")
    for route, key in (("assignment-list", "department"), ("task-list", "department")):
        response = client.get(reverse(route), {key: world.part_a.department_id})
        assert response.status_code in (200, 400)
        if response.status_code == 200:
            assert response.json()["results"] == [], route
    status = client.get(reverse("status-departments"), {"departments": str(world.part_a.department_id)})
    assert status.status_code == 200 and status.json() == []


def test_assignment_department_is_not_someone_elses(world, more, api):
    """A report or request naming another department's assignment is refused as if it did not exist."""
    response = api("liaison_b").post(
        reverse("progress-report-list"), {"assignment": world.part_a.pk, "text": "x", "percent": 5}, format="json"
    )
    assert response.status_code == 400
    assert not Assignment.objects.get(pk=world.part_a.pk).reports.filter(author__username="liaison_b").exists()


def test_database_refusals_answer_in_chinese_not_500(world, more, api):
    """Found by Schemathesis: a twin name and a delete of a department still at work were 500s."""
    client = api("supervisor")
    twin = client.post(reverse("department-group-list"), {"name": more.group.name, "members": []}, format="json")
    assert twin.status_code == 400 and "同名" in str(twin.json())
    twin = client.post(reverse("department-list"), {"name": " 市教育局 ", "kind": "bureau"}, format="json")
    assert twin.status_code == 400
    busy = client.delete(reverse("department-detail", kwargs={"pk": world.part_a.department_id}))
    assert busy.status_code == 409 and busy.json()["code"] == "protected"
    missing = client.get("/api/v1/assignments/not-a-number/chase/")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    csv_refusal = api("liaison_a").get(reverse("report-supervision"), {"format": "csv"})
    assert csv_refusal.status_code == 403 and csv_refusal["Content-Type"].startswith("application/json")
