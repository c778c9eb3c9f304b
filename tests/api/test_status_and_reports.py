from datetime import date

import pytest
from rest_framework.authtoken.models import Token

from org.models import Department
from tasks import services
from tasks.models import Task
from tasks.tasks import take_department_snapshots
from tests.api.conftest import ids
from tests.downloads import csv_rows
from tests.status.conftest import at

pytestmark = pytest.mark.django_db


def rows(response):
    return {row["department"]: row for row in response.json()}


def test_supervisor_sees_every_departments_status(world, api):
    body = rows(api("supervisor").get("/api/v1/status/departments/"))
    assert set(body) == {"市教育局", "市财政局"}
    b = body["市财政局"]
    assert (b["total"], b["overdue"], b["at_risk"], b["light"], b["completion_rate"], b["on_time_rate"]) == (
        2,
        1,
        1,
        "red",
        0.0,
        0.0,
    )
    assert (b["lead"]["total"], b["co"]["total"], b["source"]) == (2, 0, "live")


@pytest.mark.parametrize(
    ("who", "seen"),
    [
        ("liaison_a", {"市教育局"}),
        ("head_a", {"市教育局"}),
        ("liaison_b", {"市财政局"}),
        ("viewer", {"市教育局", "市财政局"}),
    ],
)
def test_status_shows_members_only_their_own_departments(world, api, personas, who, seen):
    assert set(rows(api(who).get("/api/v1/status/departments/"))) == seen
    asking_for_b = api(who).get("/api/v1/status/departments/", {"departments": str(personas.dept_b.pk)})
    assert set(rows(asking_for_b)) == seen & {"市财政局"}


def test_status_for_a_plan_per_plan_and_a_past_day(world, api):
    client = api("supervisor")
    plan_b = rows(client.get("/api/v1/status/departments/", {"plan": world.plan_b.pk}))
    assert set(plan_b) == {"市财政局"} and plan_b["市财政局"]["total"] == 1
    per_plan = client.get("/api/v1/status/departments/", {"by_plan": "true"}).json()
    assert sorted((r["department"], r["plan_id"]) for r in per_plan) == sorted(
        [("市教育局", world.plan_a.pk), ("市财政局", world.plan_a.pk), ("市财政局", world.plan_b.pk)]
    )
    past = rows(client.get("/api/v1/status/departments/", {"as_of": "2026-05-31"}))
    assert past["市财政局"]["overdue"] == 0
    assert client.get("/api/v1/status/departments/", {"as_of": "yesterday"}).status_code == 400
    far = client.get("/api/v1/status/departments/", {"as_of": "0001-01-01"})
    assert (far.status_code, far.json()["as_of"]) == (400, "日期应在 2000-01-01 到 2099-12-31 之间。")


def test_liaison_asking_for_another_departments_plan_finds_nothing(world, api):
    assert api("liaison_a").get("/api/v1/status/departments/", {"plan": world.plan_b.pk}).status_code == 404


def test_a_change_shows_in_the_status_at_once(world, api):
    client = api("supervisor")
    client.post(f"/api/v1/assignments/{world.part_b.pk}/complete/", {"completed_on": "2026-06-15"})
    assert rows(client.get("/api/v1/status/departments/"))["市财政局"]["completed_late"] == 1


# --- history


@pytest.fixture
def snapshots(world):
    for day in (date(2026, 5, 31), date(2026, 6, 14)):
        with at(date(2026, 6, 15)):
            take_department_snapshots(day.isoformat())


@pytest.mark.parametrize(
    ("who", "seen"),
    [
        ("supervisor", {"市教育局", "市财政局"}),
        ("viewer", {"市教育局", "市财政局"}),
        ("liaison_a", {"市教育局"}),
        ("liaison_b", {"市财政局"}),
    ],
)
def test_history_shows_each_role_its_departments_trend(snapshots, api, who, seen):
    body = api(who).get("/api/v1/status/history/", {"role": "all"}).json()["results"]
    assert {row["department_name"] for row in body} == seen
    assert {row["plan"] for row in body} == {None}


def test_history_of_one_department_and_plan_over_days(snapshots, world, api, personas):
    params = {"department": personas.dept_b.pk, "plan": world.plan_a.pk, "role": "all", "ordering": "as_of"}
    body = api("supervisor").get("/api/v1/status/history/", params).json()["results"]
    assert [(r["as_of"], r["overdue"]) for r in body] == [("2026-05-31", 0), ("2026-06-14", 1)]
    status_then = rows(api("supervisor").get("/api/v1/status/departments/", {"as_of": "2026-06-14"}))
    assert status_then["市财政局"]["source"] == "snapshot"


# --- supervision report


def test_supervision_report_in_json(world, api):
    body = (
        api("supervisor").get("/api/v1/reports/supervision/", {"plan": world.plan_a.pk, "as_of": "2026-06-15"}).json()
    )
    assert body["as_of"] == "2026-06-15" and body["plan"]["doc_number"] == "宁教〔2026〕1号"
    assert (body["summary"]["total"], body["summary"]["overdue"], body["summary"]["light"]) == (2, 1, "red")
    assert [(d["rank"], d["department"]) for d in body["departments"]] == [(1, "市教育局"), (2, "市财政局")]
    assert [(o["task"], o["days_overdue"]) for o in body["overdue"]] == [("教师培训", 15)]


def test_supervision_report_for_chosen_departments(world, api, personas):
    body = api("viewer").get("/api/v1/reports/supervision/", {"departments": f"{personas.dept_a.pk}"}).json()
    assert [d["department"] for d in body["departments"]] == ["市教育局"] and body["overdue"] == []
    assert api("viewer").get("/api/v1/reports/supervision/", {"departments": "a,b"}).status_code == 400


@pytest.mark.parametrize(
    ("who", "code"), [("liaison_a", 403), ("head_a", 403), ("liaison_b", 403), (None, 403), ("viewer", 200)]
)
def test_supervision_report_is_for_supervisors_and_viewers(world, api, who, code):
    response = api(who).get("/api/v1/reports/supervision/")
    assert response.status_code in ((401, 403) if code == 403 else (code,))


def _csv(response):
    assert response.streaming
    return csv_rows(response)


def test_supervision_report_in_csv_by_format_or_accept(world, api):
    client = api("supervisor")
    by_format = client.get("/api/v1/reports/supervision/", {"format": "csv"})
    by_accept = client.get("/api/v1/reports/supervision/", HTTP_ACCEPT="text/csv")
    for response in (by_format, by_accept):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert response["Content-Disposition"] == 'attachment; filename="supervision-20260615.csv"'
    table = _csv(by_format)
    assert table[0] == ["督查通报", "全部方案", "统计日期 2026-06-15"]
    assert table[2][:3] == ["排名", "单位", "得分"]
    ranked = [r[:2] for r in table[3:5]]
    assert ranked == [["1", "市教育局"], ["2", "市财政局"]]
    assert ["市财政局", "牵头", "教师培训", "教育提质行动计划", "2026-05-31", "15", "0", "已逾期"] in table


def test_csv_cells_that_start_like_formulas_are_defused(world, api, personas):
    personas.dept_b.name = '=HYPERLINK("http://evil.example","点我")'
    personas.dept_b.save()
    Task.objects.filter(pk=world.task_b.pk).update(title="-2+3")
    table = _csv(api("supervisor").get("/api/v1/reports/supervision/", {"format": "csv"}))
    cells = [cell for row in table for cell in row]
    assert '\'=HYPERLINK("http://evil.example","点我")' in cells
    assert "'-2+3" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_unknown_department_in_the_report_is_just_absent(world, api):
    other = Department.objects.create(name="市卫健委")
    body = api("supervisor").get("/api/v1/reports/supervision/", {"departments": str(other.pk)}).json()
    assert body["departments"] == [] and body["summary"]["total"] == 0


# --- activity record and token authentication


@pytest.mark.parametrize(("who", "code"), [("supervisor", 200), ("viewer", 200), ("liaison_a", 403), ("head_a", 403)])
def test_activity_record_is_for_supervisors_and_viewers(world, api, who, code):
    assert api(who).get("/api/v1/activity/").status_code == code


def test_activity_record_lists_who_did_what(world, api, personas):
    services.assignment_acknowledge(assignment=world.part_a, user=personas.liaison_a)
    body = api("supervisor").get("/api/v1/activity/", {"verb": "assignment_acknowledge"}).json()["results"]
    assert [(r["actor_name"], r["object_type"], r["object_id"]) for r in body] == [
        ("liaison_a", "assignment", world.part_a.pk)
    ]
    submitted = api("viewer").get("/api/v1/activity/", {"verb": "progress_report_submit"}).json()["count"]
    assert submitted == 2


def test_token_authentication_reads_as_the_tokens_user(world, personas):
    from rest_framework.test import APIClient

    token = Token.objects.create(user=personas.liaison_a)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert ids(client.get("/api/v1/assignments/")) == {world.part_a.pk}
    # session authentication comes first, so a refused token answers 403 rather than 401
    assert APIClient(HTTP_AUTHORIZATION="Token wrong").get("/api/v1/assignments/").status_code in (401, 403)
