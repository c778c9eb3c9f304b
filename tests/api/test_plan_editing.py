"""Editing a confirmed plan through the API: the same services, refusals and record as the pages."""

import pytest

from tasks.models import ActivityLog

pytestmark = pytest.mark.django_db


def _verbs():
    """The record's lines written by the plan editing (the world's own reports and requests left out)."""
    made = ("progress_report_submit", "extension_request")
    return list(ActivityLog.objects.exclude(verb__in=made).order_by("id").values_list("verb", flat=True))


def test_a_task_without_a_lead_is_refused_with_the_reason(world, api):
    response = api("supervisor").post("/api/v1/tasks/", {"plan": world.plan_a.pk, "title": "无人负责"})
    assert (response.status_code, response.json()) == (400, {"detail": "请指定牵头单位。", "code": "lead_required"})


def test_a_task_marked_ongoing_loses_its_date_and_turns_grey(world, api):
    client = api("supervisor")
    response = client.patch(f"/api/v1/tasks/{world.task_c.pk}/", {"due_kind": "ongoing"}, format="json")
    body = response.json()
    assert (response.status_code, body["due_kind"], body["due_date"], body["light"], body["status"]) == (
        200,
        "ongoing",
        None,
        "grey",
        "not_started",
    )
    periodic = client.patch(f"/api/v1/tasks/{world.task_c.pk}/", {"due_kind": "periodic"}, format="json")
    assert (periodic.status_code, periodic.json()["code"]) == (400, "reporting_cadence_required")
    assert _verbs()[-1] == "task_update"


def test_units_are_added_switched_and_the_last_lead_kept(world, api, personas):
    client = api("supervisor")
    lead = world.part_c
    refused = client.post(f"/api/v1/assignments/{lead.pk}/role/", {"role": "co"})
    assert (refused.status_code, refused.json()["code"]) == (400, "last_lead")
    assert client.delete(f"/api/v1/assignments/{lead.pk}/").json()["code"] == "last_lead"
    added = client.post(
        "/api/v1/assignments/", {"task": world.task_c.pk, "department": personas.dept_a.pk, "role": "co"}
    )
    switched = client.post(f"/api/v1/assignments/{added.json()['id']}/role/", {"role": "lead"})
    assert (switched.status_code, switched.json()["role"]) == (200, "lead")
    assert client.post(f"/api/v1/assignments/{lead.pk}/role/", {"role": "co"}).json()["role"] == "co"
    assert sorted(world.task_c.assignments.values_list("department__name", "role")) == [
        ("市教育局", "lead"),
        ("市财政局", "co"),
    ]
    assert api("liaison_b").post(f"/api/v1/assignments/{lead.pk}/role/", {"role": "lead"}).status_code == 403


def test_a_task_with_reports_is_not_deleted(world, api):
    response = api("supervisor").delete(f"/api/v1/tasks/{world.task_a.pk}/")
    assert (response.status_code, response.json()["code"]) == (400, "task_has_reports")


def test_phase_changes_go_through_the_record(world, api):
    client = api("supervisor")
    phase = world.task_a.phases.get()
    assert client.patch(f"/api/v1/phases/{phase.pk}/", {"end_date": "2026-06-30"}, format="json").status_code == 200
    assert client.delete(f"/api/v1/phases/{phase.pk}/").status_code == 204
    assert _verbs() == ["phase_update", "phase_remove"]


def test_a_plan_is_closed_or_stopped_by_supervisors_and_then_stays_as_it_is(world, api, personas):
    assert api("liaison_a").post(f"/api/v1/plans/{world.plan_a.pk}/close/").status_code == 403
    client = api("supervisor")
    no_reason = client.post(f"/api/v1/plans/{world.plan_b.pk}/stop/", {"reason": ""})
    assert (no_reason.status_code, no_reason.json()["detail"]) == (400, "终止方案须说明理由。")
    stopped = client.post(f"/api/v1/plans/{world.plan_b.pk}/stop/", {"reason": "上级文件废止"}).json()
    assert (stopped["status"], stopped["closing_reason"], stopped["closed_by"]) == (
        "stopped",
        "上级文件废止",
        personas.supervisor.pk,
    )
    closed = client.post(f"/api/v1/plans/{world.plan_a.pk}/close/", {}).json()
    assert (closed["status"], closed["closing_reason"]) == ("closed", "")
    late = client.patch(f"/api/v1/tasks/{world.task_a.pk}/", {"title": "再改"}, format="json")
    assert (late.status_code, late.json()["detail"]) == (409, "方案《教育提质行动计划》已办结,不能再修改。")
    assert _verbs() == ["plan_stop", "plan_close"]
