"""Supervisors keep a confirmed plan right from its pages: task, units, phases, 长期, 办结 / 终止."""

from datetime import date

import pytest
from django.urls import reverse

from org.models import Department
from tasks import editing
from tasks.models import ActivityLog, Phase, Task
from tasks.services import task_assign

pytestmark = pytest.mark.django_db


def _details(task, **changes):
    data = {
        "title": task.title,
        "description": task.description,
        "due_kind": task.due_kind,
        "start_date": "",
        "due_date": task.due_date.isoformat() if task.due_date else "",
        "reporting_cadence": task.reporting_cadence,
    }
    return {**data, **changes}


def test_the_task_page_links_supervisors_to_editing_and_no_one_else(signed_in, world):
    url = reverse("tasks:edit", args=[world.task_a.pk])
    assert url in signed_in("supervisor").get(reverse("tasks:detail", args=[world.task_a.pk])).content.decode()
    assert url not in signed_in("liaison_a").get(reverse("tasks:detail", args=[world.task_a.pk])).content.decode()
    assert signed_in("liaison_a").get(url).status_code == 403
    edit_url = reverse("tasks:edit_details", args=[world.task_a.pk])
    response = signed_in("liaison_a").post(edit_url, _details(world.task_a))
    assert response.status_code == 403


def test_the_edit_form_shows_the_due_date_as_it_is(signed_in, world):
    page = signed_in("supervisor").get(reverse("tasks:edit", args=[world.task_a.pk])).content.decode()
    assert f'name="due_date" value="{world.task_a.due_date.isoformat()}"' in page


def test_a_supervisor_moves_a_due_date_and_the_change_is_on_the_task_page(signed_in, world):
    client = signed_in("supervisor")
    response = client.post(
        reverse("tasks:edit_details", args=[world.task_a.pk]), _details(world.task_a, due_date="2026-12-31")
    )
    assert response.status_code == 302 and response["Location"].endswith("#details")
    world.task_a.refresh_from_db()
    assert world.task_a.due_date == date(2026, 12, 31)
    page = client.get(reverse("tasks:detail", args=[world.task_a.pk])).content.decode()
    assert "修改任务" in page and "2026-12-31" in page


def test_a_refused_edit_shows_the_chinese_reason_beside_the_form(signed_in, world):
    client = signed_in("supervisor")
    response = client.post(
        reverse("tasks:edit_details", args=[world.task_a.pk]),
        _details(world.task_a, due_kind="periodic", due_date="", reporting_cadence="none"),
    )
    assert response.status_code == 400
    assert "按周期报送的任务须指定报告频次。" in response.content.decode()
    world.task_a.refresh_from_db()
    assert world.task_a.due_kind == "dated"


def test_marking_ongoing_adding_and_switching_units_and_adding_a_phase(signed_in, world, personas):
    client = signed_in("supervisor")
    task = world.task_a
    client.post(reverse("tasks:edit_ongoing", args=[task.pk]))
    sports = Department.objects.create(name="市体育局")
    added = client.post(reverse("tasks:unit_add", args=[task.pk]), {"department": sports.pk, "role": "co"})
    client.post(reverse("tasks:unit_role", args=[world.part_a_co_b.pk]), {"role": "lead"})
    # with 市财政局 a lead too, 市教育局 may go
    removed = client.post(reverse("tasks:unit_remove", args=[world.part_a.pk]), follow=True)
    phase = client.post(
        reverse("tasks:phase_add", args=[task.pk]),
        {"new-kind": "evaluation", "new-name": "考核评估阶段", "new-end_date": "2026-12-31"},
    )
    task.refresh_from_db()
    assert (task.due_kind, task.due_date, added.status_code, phase.status_code) == ("ongoing", None, 302, 302)
    units = sorted(task.assignments.values_list("department__name", "role"))
    assert units == [("市体育局", "co"), ("市财政局", "lead")]
    assert "已移除责任单位。" in removed.content.decode()
    assert list(Phase.objects.filter(task=task, kind="evaluation").values_list("name", "end_date")) == [
        ("考核评估阶段", date(2026, 12, 31))
    ]
    verbs = list(ActivityLog.objects.order_by("id").values_list("verb", flat=True))
    assert verbs == ["task_update", "assignment_add", "assignment_set_role", "assignment_remove", "phase_add"]


def test_the_last_lead_cannot_be_removed_and_the_page_says_why(signed_in, world):
    response = signed_in("supervisor").post(reverse("tasks:unit_remove", args=[world.part_b.pk]), follow=True)
    assert "这是该任务唯一的牵头单位,请先指定另一个牵头单位。" in response.content.decode()
    assert world.task_b.assignments.count() == 1


def test_a_supervisor_adds_a_task_to_a_plan_with_its_lead(signed_in, world, personas):
    client = signed_in("supervisor")
    url = reverse("plans:edit_task_add", args=[world.plan.pk])
    missing = client.post(url, {"task-title": "新任务", "task-due_kind": "dated", "task-reporting_cadence": "none"})
    assert missing.status_code == 400 and "该字段是必填项。" in missing.content.decode()
    made = client.post(
        url,
        {
            "task-title": "开展课后服务满意度调查",
            "task-lead": personas.dept_a.pk,
            "task-co": [personas.dept_b.pk],
            "task-due_kind": "periodic",
            "task-reporting_cadence": "quarterly",
        },
    )
    task = Task.objects.get(title="开展课后服务满意度调查")
    assert made.status_code == 302 and made["Location"] == reverse("tasks:detail", args=[task.pk])
    assert (task.due_kind, task.reporting_cadence, task.due_date) == ("periodic", "quarterly", None)


def test_a_plan_is_stopped_with_a_reason_and_then_offers_no_editing(signed_in, world):
    client = signed_in("supervisor")
    url = reverse("plans:edit_end", args=[world.plan.pk])
    refused = client.post(url, {"end-end": "stop", "end-reason": ""})
    assert refused.status_code == 400 and "终止方案须说明理由。" in refused.content.decode()
    stopped = client.post(url, {"end-end": "stop", "end-reason": "上级文件已废止"})
    assert stopped.status_code == 302
    page = client.get(reverse("plans:detail", args=[world.plan.pk])).content.decode()
    assert "已终止,此后不再发送提醒。" in page and "上级文件已废止" in page
    assert reverse("plans:edit", args=[world.plan.pk]) not in page
    late = client.post(reverse("tasks:edit_details", args=[world.task_a.pk]), _details(world.task_a, title="再改"))
    assert late.status_code == 400 and "不能再修改" in late.content.decode()


def test_the_supervisor_home_lists_undated_tasks_those_never_dated_first(signed_in, world, personas):
    marked = Task.objects.create(plan=world.plan, title="长期坚持立德树人", due_kind="ongoing")
    missing = Task.objects.create(plan=world.other_plan, title="健全督导机制")
    done = Task.objects.create(plan=world.plan, title="已完成的无时限任务")
    for task in (marked, missing, done):
        task_assign(task=task, leads=[personas.dept_a])
    done.state, done.progress, done.completed_on = "completed", 100, date(2026, 6, 1)
    done.save()
    body = signed_in("supervisor").get("/").content.decode()
    section = body[body.index('id="undated"') : body.index('id="pending-reports"')]
    assert section.index("健全督导机制") < section.index("长期坚持立德树人")
    assert "已完成的无时限任务" not in section
    assert section.count("<li") == 2 and "未定时限" in section and "长期" in section
    assert reverse("tasks:edit", args=[missing.pk]) in section
    assert '<a href="#undated">2</a>' in body


def test_a_closed_plan_offers_no_task_editing(signed_in, world, personas):
    editing.plan_close(plan=world.plan, user=personas.supervisor, reason="完成")
    page = signed_in("supervisor").get(reverse("tasks:detail", args=[world.task_a.pk])).content.decode()
    assert reverse("tasks:edit", args=[world.task_a.pk]) not in page
    edit_page = signed_in("supervisor").get(reverse("tasks:edit", args=[world.task_a.pk])).content.decode()
    assert "方案已办结,不能再修改。" in edit_page and "保存修改" not in edit_page
