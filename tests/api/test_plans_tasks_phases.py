from datetime import date

import pytest

from tasks.models import Task
from tests.api.conftest import ids

pytestmark = pytest.mark.django_db

READERS = ["supervisor", "viewer", "liaison_a", "head_a", "liaison_b"]


@pytest.mark.parametrize(
    ("who", "plans"),
    [
        ("supervisor", {"a", "b"}),
        ("viewer", {"a", "b"}),
        ("liaison_a", {"a"}),
        ("head_a", {"a"}),
        ("liaison_b", {"a", "b"}),
    ],
)
def test_plan_list_shows_each_role_the_plans_that_concern_it(world, api, who, plans):
    expected = {getattr(world, f"plan_{p}").pk for p in plans}
    assert ids(api(who).get("/api/v1/plans/")) == expected
    assert ids(api(who).get("/api/v1/clauses/")) == {getattr(world, f"clause_{p}").pk for p in plans}


def test_another_departments_plan_and_clause_are_not_found(world, api):
    client = api("liaison_a")
    assert client.get(f"/api/v1/plans/{world.plan_b.pk}/").status_code == 404
    assert client.get(f"/api/v1/clauses/{world.clause_b.pk}/").status_code == 404
    assert client.get(f"/api/v1/plans/{world.plan_a.pk}/").json()["doc_number"] == "宁教〔2026〕1号"


@pytest.mark.parametrize("who", READERS)
def test_plans_and_clauses_are_read_only_here(world, api, who):
    client = api(who)
    assert client.post("/api/v1/plans/", {"title": "新方案"}).status_code == 405
    assert client.patch(f"/api/v1/plans/{world.plan_a.pk}/", {"title": "改"}).status_code == 405
    assert client.delete(f"/api/v1/clauses/{world.clause_a.pk}/").status_code == 405


def test_anonymous_reads_nothing(world, api):
    for url in ("/api/v1/plans/", "/api/v1/tasks/", "/api/v1/assignments/", "/api/v1/phases/"):
        assert api(None).get(url).status_code in (401, 403)


def test_plan_filters_search_and_department(world, api):
    client = api("supervisor")
    assert ids(client.get("/api/v1/plans/", {"q": "宁教"})) == {world.plan_a.pk}
    assert ids(client.get("/api/v1/plans/", {"department": world.part_c.department_id})) == {
        world.plan_a.pk,
        world.plan_b.pk,
    }
    assert ids(client.get("/api/v1/clauses/", {"plan": world.plan_b.pk})) == {world.clause_b.pk}


# --- tasks


@pytest.mark.parametrize(
    ("who", "tasks"),
    [("supervisor", "abc"), ("viewer", "abc"), ("liaison_a", "a"), ("head_a", "a"), ("liaison_b", "bc")],
)
def test_task_list_shows_each_role_its_tasks(world, api, who, tasks):
    assert ids(api(who).get("/api/v1/tasks/")) == {getattr(world, f"task_{t}").pk for t in tasks}


def test_task_detail_carries_status_light_and_assignments(world, api):
    body = api("liaison_b").get(f"/api/v1/tasks/{world.task_b.pk}/").json()
    assert (body["status"], body["light"], body["days_overdue"]) == ("overdue", "red", 15)
    assert body["assignments"] == [
        {"id": world.part_b.pk, "department": world.part_b.department_id, "department_name": "市财政局", "role": "lead"}
    ]


def test_another_departments_task_is_not_found_for_reading_or_writing(world, api):
    client = api("liaison_a")
    assert client.get(f"/api/v1/tasks/{world.task_b.pk}/").status_code == 404
    assert client.patch(f"/api/v1/tasks/{world.task_b.pk}/", {"title": "改"}).status_code == 404
    assert client.delete(f"/api/v1/tasks/{world.task_b.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["viewer", "liaison_a", "head_a"])
def test_only_supervisors_change_tasks(world, api, who):
    client = api(who)
    assert client.post("/api/v1/tasks/", {"plan": world.plan_a.pk, "title": "新任务"}).status_code == 403
    assert client.patch(f"/api/v1/tasks/{world.task_a.pk}/", {"title": "改"}).status_code == 403
    assert client.delete(f"/api/v1/tasks/{world.task_a.pk}/").status_code == 403
    assert Task.objects.filter(title__in=["新任务", "改"]).count() == 0


def test_supervisor_creates_edits_and_deletes_a_task(world, api, personas):
    client = api("supervisor")
    created = client.post(
        "/api/v1/tasks/",
        {
            "plan": world.plan_a.pk,
            "title": "新任务",
            "due_date": "2026-06-10",
            "reporting_cadence": "monthly",
            "leads": [personas.dept_a.pk],
        },
    )
    assert created.status_code == 201, created.json()
    assert (created.json()["status"], created.json()["light"]) == ("overdue", "red")
    pk = created.json()["id"]
    edited = client.patch(f"/api/v1/tasks/{pk}/", {"due_date": "2026-12-31"}, format="json")
    assert (edited.status_code, edited.json()["status"]) == (200, "not_started")
    assert client.patch(f"/api/v1/tasks/{pk}/", {"start_date": "2027-01-01"}).status_code == 400
    assert client.patch(f"/api/v1/tasks/{pk}/", {"progress": 80}).json()["progress"] == 0  # derived, not typed
    assert client.delete(f"/api/v1/tasks/{pk}/").status_code == 204


@pytest.mark.parametrize(
    ("params", "tasks"),
    [
        ({"status": "overdue"}, "b"),
        ({"status": "not_started"}, "ac"),
        ({"status": ["overdue", "completed_on_time"]}, "b"),
        ({"light": "red"}, "b"),
        ({"light": "yellow"}, "ac"),  # a: 40% reported, not yet approved; c: 0% with 45% of the year gone
        ({"overdue": "true"}, "b"),
        ({"overdue": "false"}, "ac"),
        ({"plan": "PLAN_B"}, "c"),
        ({"department": "DEPT_A"}, "a"),
        ({"role": "lead"}, "abc"),
        ({"phase_kind": "operation"}, "a"),
        ({"due_after": "2026-06-01", "due_before": "2026-06-30"}, "a"),
        ({"q": "培训"}, "b"),
    ],
)
def test_task_filters(world, api, personas, params, tasks):
    swap = {"PLAN_B": world.plan_b.pk, "DEPT_A": personas.dept_a.pk}
    params = {k: swap.get(v, v) if isinstance(v, str) else v for k, v in params.items()}
    assert ids(api("supervisor").get("/api/v1/tasks/", params)) == {getattr(world, f"task_{t}").pk for t in tasks}


def test_task_status_as_of_another_day_and_bad_dates(world, api):
    client = api("supervisor")
    before = client.get(f"/api/v1/tasks/{world.task_b.pk}/", {"as_of": "2026-05-31"}).json()
    assert before["status"] == "not_started"
    assert client.get("/api/v1/tasks/", {"as_of": "2026-13-01"}).status_code == 400


def test_tasks_order_and_paginate_with_a_capped_page_size(world, api):
    client = api("supervisor")
    body = client.get("/api/v1/tasks/", {"ordering": "-days_overdue", "page_size": 1}).json()
    assert body["count"] == 3 and len(body["results"]) == 1 and body["next"]
    assert body["results"][0]["id"] == world.task_b.pk
    titles = [t["title"] for t in client.get("/api/v1/tasks/", {"ordering": "due_date"}).json()["results"]]
    assert titles == ["教师培训", "校舍改造", "经费拨付"]
    assert len(client.get("/api/v1/tasks/", {"page_size": 100000}).json()["results"]) == 3


def test_pages_walked_one_by_one_give_the_whole_ordered_list_with_computed_columns(world, api):
    client = api("supervisor")
    whole = [t["id"] for t in client.get("/api/v1/tasks/", {"ordering": "due_date"}).json()["results"]]
    walked = [
        client.get("/api/v1/tasks/", {"ordering": "due_date", "page_size": 1, "page": n}).json()["results"][0]["id"]
        for n in (1, 2, 3)
    ]
    assert walked == whole and len(whole) == 3
    first = client.get("/api/v1/tasks/", {"ordering": "-days_overdue", "page_size": 1}).json()["results"][0]
    assert (first["id"], first["status"], first["light"]) == (world.task_b.pk, "overdue", "red")
    assert first["days_overdue"] == 15  # due 05-31, seen on 06-15


def test_status_filter_follows_the_as_of_day(world, api):
    client = api("supervisor")
    assert ids(client.get("/api/v1/tasks/", {"status": "overdue", "as_of": "2026-05-31"})) == set()
    assert world.task_b.pk in ids(client.get("/api/v1/tasks/", {"status": "not_started", "as_of": "2026-05-31"}))
    assert ids(client.get("/api/v1/tasks/", {"overdue": "true", "as_of": "2026-06-01"})) == {world.task_b.pk}


# --- phases


@pytest.mark.parametrize(
    ("who", "visible"), [("supervisor", True), ("viewer", True), ("liaison_a", True), ("liaison_b", False)]
)
def test_phases_are_seen_with_their_task(world, api, who, visible):
    phase = world.task_a.phases.get()
    response = api(who).get(f"/api/v1/phases/{phase.pk}/")
    assert response.status_code == (200 if visible else 404)
    assert (phase.pk in ids(api(who).get("/api/v1/phases/"))) is visible


@pytest.mark.parametrize("who", ["viewer", "liaison_a", "head_a"])
def test_only_supervisors_change_phases(world, api, who):
    phase = world.task_a.phases.get()
    client = api(who)
    assert client.post("/api/v1/phases/", {"task": world.task_a.pk, "kind": "evaluation"}).status_code == 403
    assert client.patch(f"/api/v1/phases/{phase.pk}/", {"name": "改"}).status_code == 403


def test_supervisor_adds_a_phase_and_it_moves_the_schedule(world, api):
    client = api("supervisor")
    bad = client.post(
        "/api/v1/phases/",
        {"task": world.task_c.pk, "kind": "evaluation", "start_date": "2026-12-01", "end_date": "2026-11-01"},
    )
    assert bad.status_code == 400
    made = client.post("/api/v1/phases/", {"task": world.task_c.pk, "kind": "operation", "start_date": "2026-06-01"})
    assert made.status_code == 201
    assert client.get(f"/api/v1/tasks/{world.task_c.pk}/").json()["span_start"] == "2026-06-01"
    assert ids(client.get("/api/v1/phases/", {"kind": "operation", "plan": world.plan_b.pk})) == {made.json()["id"]}


def test_task_expected_progress_uses_the_phase_under_way(world, api):
    body = api("supervisor").get(f"/api/v1/tasks/{world.task_a.pk}/").json()
    # operation phase from 03-01 to the due date 06-30: 106 of 121 days
    assert (body["span_start"], body["expected_progress"]) == ("2026-03-01", 106 * 100 // 121)
    assert date.fromisoformat(body["effective_due"]) == date(2026, 6, 30)


@pytest.mark.parametrize("ordering", ["-days_overdue", "due_date", "-progress", "title"])
def test_members_lists_order_and_filter_like_the_supervisors(world, api, ordering):
    client = api("liaison_b")
    body = client.get("/api/v1/tasks/", {"ordering": ordering, "light": ["red", "yellow"]}).json()
    assert {t["id"] for t in body["results"]} == {world.task_b.pk, world.task_c.pk}
    parts = client.get("/api/v1/assignments/", {"ordering": ordering.replace("due_date", "effective_due")}).json()
    assert {p["id"] for p in parts["results"]} == {world.part_b.pk, world.part_c.pk}
