from datetime import date

import pytest

from tasks.models import ActivityLog, Assignment
from tests.api.conftest import ids

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "parts"),
    [("supervisor", "abc"), ("viewer", "abc"), ("liaison_a", "a"), ("head_a", "a"), ("liaison_b", "bc")],
)
def test_assignment_list_shows_each_role_its_departments_parts(world, api, who, parts):
    assert ids(api(who).get("/api/v1/assignments/")) == {getattr(world, f"part_{p}").pk for p in parts}


def test_assignment_detail_and_another_departments_part(world, api):
    client = api("liaison_a")
    body = client.get(f"/api/v1/assignments/{world.part_a.pk}/").json()
    assert (body["role"], body["status"], body["light"], body["plan"]) == (
        "lead",
        "not_started",
        "yellow",
        world.plan_a.pk,
    )
    assert client.get(f"/api/v1/assignments/{world.part_b.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("params", "parts"),
    [
        ({"status": "overdue"}, "b"),
        ({"light": "yellow"}, "ac"),
        ({"overdue": "true"}, "b"),
        ({"role": "co"}, ""),
        ({"q": "财政"}, "bc"),
        ({"due_before": "2026-06-01"}, "b"),
        ({"phase_kind": "operation"}, "a"),
        ({"acknowledged": "false"}, "abc"),
    ],
)
def test_assignment_filters(world, api, params, parts):
    assert ids(api("supervisor").get("/api/v1/assignments/", params)) == {getattr(world, f"part_{p}").pk for p in parts}


def test_assignment_filter_by_plan_and_ordering_by_lateness(world, api):
    client = api("supervisor")
    assert ids(client.get("/api/v1/assignments/", {"plan": world.plan_b.pk})) == {world.part_c.pk}
    first = client.get("/api/v1/assignments/", {"ordering": "-days_overdue"}).json()["results"][0]
    assert (first["id"], first["days_overdue"]) == (world.part_b.pk, 15)


# --- create and delete (supervisors)


def test_supervisor_assigns_a_department_once(world, api, personas):
    client = api("supervisor")
    made = client.post(
        "/api/v1/assignments/", {"task": world.task_a.pk, "department": personas.dept_b.pk, "role": "co"}
    )
    assert made.status_code == 201 and made.json()["role"] == "co"
    again = client.post(
        "/api/v1/assignments/", {"task": world.task_a.pk, "department": personas.dept_b.pk, "role": "co"}
    )
    assert again.status_code == 400
    assert client.delete(f"/api/v1/assignments/{made.json()['id']}/").status_code == 204


@pytest.mark.parametrize("who", ["viewer", "liaison_a", "head_a"])
def test_others_cannot_assign_or_remove_parts(world, api, personas, who):
    client = api(who)
    body = {"task": world.task_a.pk, "department": personas.dept_b.pk, "role": "co"}
    assert client.post("/api/v1/assignments/", body).status_code == 403
    assert client.delete(f"/api/v1/assignments/{world.part_a.pk}/").status_code == 403
    assert Assignment.objects.count() == 3


def test_liaison_removing_another_departments_part_finds_nothing(world, api):
    assert api("liaison_a").delete(f"/api/v1/assignments/{world.part_b.pk}/").status_code == 404


# --- complete (supervisors)


def test_supervisor_marks_a_part_complete_and_it_is_recorded(world, api, personas):
    response = api("supervisor").post(
        f"/api/v1/assignments/{world.part_b.pk}/complete/", {"completed_on": "2026-06-10"}
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["days_overdue"]) == ("completed_late", 10)
    world.task_b.refresh_from_db()
    assert world.task_b.state == "completed"
    log = ActivityLog.objects.get(verb="assignment_complete", object_id=world.part_b.pk)
    assert log.actor == personas.supervisor
    assert (log.before["state"], log.after["state"], log.after["completed_on"]) == (
        "not_started",
        "completed",
        "2026-06-10",
    )


def test_completion_date_cannot_be_in_the_future(world, api):
    response = api("supervisor").post(
        f"/api/v1/assignments/{world.part_a.pk}/complete/", {"completed_on": "2026-07-01"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("who", "part", "code"),
    [("liaison_a", "a", 403), ("head_a", "a", 403), ("viewer", "a", 403), ("liaison_a", "b", 404)],
)
def test_others_cannot_mark_complete(world, api, who, part, code):
    assignment = getattr(world, f"part_{part}")
    assert api(who).post(f"/api/v1/assignments/{assignment.pk}/complete/").status_code == code
    assignment.refresh_from_db()
    assert assignment.state != "completed"


# --- acknowledge (the department's own people)


def test_own_department_acknowledges_and_the_first_acknowledgement_stays(world, api, personas):
    first = api("liaison_a").post(f"/api/v1/assignments/{world.part_a.pk}/acknowledge/")
    assert first.status_code == 200 and first.json()["acknowledged_by"] == personas.liaison_a.pk
    second = api("head_a").post(f"/api/v1/assignments/{world.part_a.pk}/acknowledge/")
    assert second.json()["acknowledged_by"] == personas.liaison_a.pk
    assert ActivityLog.objects.filter(verb="assignment_acknowledge").count() == 1
    assert ids(api("supervisor").get("/api/v1/assignments/", {"acknowledged": "true"})) == {world.part_a.pk}


@pytest.mark.parametrize(
    ("who", "part", "code"),
    [("supervisor", "a", 403), ("viewer", "a", 403), ("liaison_a", "b", 404), ("liaison_b", "a", 404)],
)
def test_others_cannot_acknowledge(world, api, who, part, code):
    assignment = getattr(world, f"part_{part}")
    assert api(who).post(f"/api/v1/assignments/{assignment.pk}/acknowledge/").status_code == code
    assignment.refresh_from_db()
    assert assignment.acknowledged_at is None


def test_as_of_a_past_day_the_part_was_not_yet_overdue(world, api):
    body = api("liaison_b").get(f"/api/v1/assignments/{world.part_b.pk}/", {"as_of": "2026-05-31"}).json()
    assert (body["status"], body["effective_due"]) == ("not_started", "2026-05-31")
    assert date.fromisoformat(body["span_start"]) == date(2026, 1, 1)
