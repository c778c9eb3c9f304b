"""Every page for every role: who gets 200, who 403, who 404 (not in their view), and that it speaks Chinese."""

import pytest
from django.urls import reverse

from notifications.models import Notification

pytestmark = pytest.mark.django_db

READERS = ("supervisor", "viewer")
MEMBERS = ("liaison_a", "liaison_b", "head_a")
EVERYONE = READERS + MEMBERS


def test_pages_need_sign_in(client, world):
    for url in ("/", "/plans/", f"/plans/{world.plan.pk}/", f"/tasks/{world.task_a.pk}/", "/board/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize("who", EVERYONE)
def test_home_answers_every_role_in_chinese(signed_in, world, who):
    response = signed_in(who).get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body and "您好" in body


def test_home_shows_the_supervisor_the_overview(signed_in, world, personas):
    Notification.objects.create(
        recipient=personas.liaison_a, address="liaison_a@example.cn", kind="digest", for_date=world.plan.issued_on,
        subject="提醒汇总", dedup_key="x1", state="failed", last_error="SMTP 550 邮箱不存在",
        next_attempt_at=world.plan.created_at,
    )  # fmt: skip
    body = signed_in("supervisor").get("/").content.decode()
    assert "课后服务提质行动方案" in body  # active plans
    assert "完善经费保障" in body  # red list: task_b overdue
    assert "SMTP 550 邮箱不存在" in body  # failed notifications


def test_home_shows_a_liaison_their_departments_work(signed_in, world):
    body = signed_in("liaison_a").get("/").content.decode()
    assert "扩大覆盖面" in body and "填报进展" in body
    assert "完善经费保障" not in body and "财政专项资金" not in body
    body_b = signed_in("liaison_b").get("/").content.decode()
    assert "完善经费保障" in body_b  # overdue for dept_b


def test_viewer_home_has_no_notification_panel(signed_in, world):
    body = signed_in("viewer").get("/").content.decode()
    assert "发送失败的通知" not in body and "红榜" in body


@pytest.mark.parametrize("who", EVERYONE)
def test_plan_list_and_page(signed_in, world, who):
    client = signed_in(who)
    assert client.get("/plans/").status_code == 200
    assert client.get(f"/plans/{world.plan.pk}/").status_code == 200


def test_plan_list_filters(signed_in, world):
    client = signed_in("supervisor")
    body = client.get("/plans/", {"q": "财政"}).content.decode()
    assert "财政保障方案" in body and "课后服务提质行动方案" not in body
    body = client.get("/plans/", {"light": "red"}).content.decode()
    assert "课后服务提质行动方案" in body and "财政保障方案" not in body
    body = client.get("/plans/", {"q": "没有这个"}).content.decode()
    assert "没有符合条件的方案" in body


def test_plans_outside_a_members_view_are_not_found(signed_in, world):
    client = signed_in("liaison_a")
    assert client.get(f"/plans/{world.other_plan.pk}/").status_code == 404
    assert "财政保障方案" not in client.get("/plans/").content.decode()
    assert client.get(f"/tasks/{world.task_b.pk}/").status_code == 404
    assert client.get(f"/tasks/{world.task_c.pk}/").status_code == 404
    assert client.get(f"/notifications/tasks/{world.task_c.pk}/").status_code == 404


def test_plan_page_shows_tree_units_phases_and_timeline(signed_in, world):
    body = signed_in("supervisor").get(f"/plans/{world.plan.pk}/").content.decode()
    assert "(一)" in body and "扩大覆盖面" in body
    assert "市教育局" in body and "市财政局" in body  # lead and co
    assert "推进阶段" in body
    assert '<svg class="gantt"' in body and "ph-operation" in body


@pytest.mark.parametrize("who,status", [*((w, 200) for w in EVERYONE)])
def test_task_page(signed_in, world, who, status):
    assert signed_in(who).get(f"/tasks/{world.task_a.pk}/").status_code == status


def test_task_page_shows_forms_only_to_those_allowed(signed_in, world):
    url = f"/tasks/{world.task_a.pk}/"
    report_a = reverse("tasks:report_submit", args=[world.part_a.pk])
    review_marker = "提交审核"
    liaison = signed_in("liaison_a").get(url).content.decode()
    assert report_a in liaison and reverse("tasks:acknowledge", args=[world.part_a.pk]) in liaison
    assert reverse("tasks:report_submit", args=[world.part_a_co_b.pk]) not in liaison  # not their department
    assert reverse("notifications:chase", args=[world.part_a.pk]) not in liaison
    viewer = signed_in("viewer").get(url).content.decode()
    assert report_a not in viewer
    assert reverse("notifications:chase", args=[world.part_a.pk]) not in viewer
    assert review_marker not in viewer
    supervisor = signed_in("supervisor").get(url).content.decode()
    assert reverse("notifications:chase", args=[world.part_a.pk]) in supervisor
    assert reverse("tasks:acknowledge", args=[world.part_a.pk]) not in supervisor  # 签收 is the department's


@pytest.mark.parametrize("who", EVERYONE)
def test_board(signed_in, world, who):
    client = signed_in(who)
    assert client.get("/board/").status_code == 200
    assert client.get("/board/", {"plan": world.plan.pk, "as_of": "2026-01-01"}).status_code == 200
    far = client.get("/board/", {"as_of": "0001-01-01"})  # date arithmetic once overflowed here
    assert far.status_code == 200 and "日期应在 2000-01-01 到 2099-12-31 之间。" in far.content.decode()


def test_board_of_a_member_lists_their_own_department_only(signed_in, world, personas):
    body = signed_in("liaison_a").get("/board/").content.decode()
    assert personas.dept_a.name in body and f'data-department="{personas.dept_b.name}"' not in body


def test_department_page(signed_in, world, personas):
    assert signed_in("supervisor").get(f"/departments/{personas.dept_b.pk}/").status_code == 200
    assert signed_in("viewer").get(f"/departments/{personas.dept_b.pk}/").status_code == 200
    assert signed_in("liaison_a").get(f"/departments/{personas.dept_a.pk}/").status_code == 200
    assert signed_in("liaison_a").get(f"/departments/{personas.dept_b.pk}/").status_code == 404


@pytest.mark.parametrize("who,status", [("supervisor", 200), ("viewer", 200), ("liaison_a", 403), ("head_a", 403)])
def test_report_page(signed_in, world, who, status):
    assert signed_in(who).get("/reports/supervision/").status_code == status


@pytest.mark.parametrize(
    "url",
    ["/plans/import/", "/registry/", "/notifications/", "/registry/groups/new/"],
)
@pytest.mark.parametrize("who,status", [("supervisor", 200), ("viewer", 403), ("liaison_a", 403), ("head_a", 403)])
def test_supervisor_pages(signed_in, world, url, who, status):
    assert signed_in(who).get(url).status_code == status


def test_registry_department_page(signed_in, personas):
    assert signed_in("supervisor").get(f"/registry/departments/{personas.dept_a.pk}/").status_code == 200
    assert signed_in("liaison_a").get(f"/registry/departments/{personas.dept_a.pk}/").status_code == 403


def test_header_shows_department_and_role(signed_in, world):
    body = signed_in("liaison_a").get("/").content.decode()
    assert "市教育局 · 联络员" in body
    assert "督查员" in signed_in("supervisor").get("/").content.decode()


def test_pages_never_inline_script(signed_in, world):
    client = signed_in("supervisor")
    for url in ("/", "/plans/", f"/plans/{world.plan.pk}/", f"/tasks/{world.task_a.pk}/", "/board/"):
        body = client.get(url).content.decode()
        assert "<script>" not in body and " onclick=" not in body and " onsubmit=" not in body, url


def test_task_page_shows_who_changed_what(signed_in, personas):
    from plans.models import Plan
    from tasks.models import Task
    from tasks.services import assignment_complete, task_assign

    task = Task.objects.create(plan=Plan.objects.create(title="历史方案"), title="建设学校")
    (assignment,) = task_assign(task=task, leads=[personas.dept_a])
    assignment_complete(assignment=assignment, actor=personas.liaison_a)
    body = signed_in("supervisor").get(f"/tasks/{task.pk}/").content.decode()
    assert "变更记录" in body and "标记完成" in body
    assert f"/api/v1/tasks/{task.pk}/history/?format=csv" in body
    # another department's liaison cannot see the task at all
    assert signed_in("liaison_b").get(f"/tasks/{task.pk}/").status_code == 404


def test_supervisor_home_counts_every_overdue_part_and_lists_the_first_twelve(signed_in, personas):
    from datetime import timedelta

    from django.utils import timezone

    from plans.models import Plan
    from tasks.models import Task
    from tasks.services import task_assign

    plan = Plan.objects.create(title="逾期方案", status=Plan.Status.ACTIVE)
    yesterday = timezone.localdate() - timedelta(days=1)
    for i in range(14):
        task = Task.objects.create(plan=plan, title=f"逾期任务{i}", due_date=yesterday - timedelta(days=i))
        task_assign(task=task, leads=[personas.dept_a])
    response = signed_in("supervisor").get("/")
    assert response.context["red_count"] == 14
    assert len(response.context["red_list"]) == 12
    assert response.context["red_list"][0].task.title == "逾期任务13"  # longest overdue first
    assert "查看完整逾期清单" in response.content.decode()


def test_supervisor_home_puts_the_plans_needing_attention_first_and_links_to_the_rest(signed_in, personas):
    from datetime import timedelta

    from django.utils import timezone

    from plans.models import Plan
    from supervision.selectors import HOME_PLANS
    from tasks.models import Task
    from tasks.services import task_assign

    today = timezone.localdate()
    for i in range(HOME_PLANS + 3):
        plan = Plan.objects.create(title=f"按期方案{i}", status=Plan.Status.ACTIVE)
        task_assign(task=Task.objects.create(plan=plan, title="按期任务", due_date=today + timedelta(days=30)),
                    leads=[personas.dept_a])  # fmt: skip
    late = Plan.objects.create(title="有逾期的方案", status=Plan.Status.ACTIVE)
    for days in (1, 2):
        task = Task.objects.create(plan=late, title=f"逾期{days}", due_date=today - timedelta(days=days))
        task_assign(task=task, leads=[personas.dept_a])
    Plan.objects.create(title="已归档的方案", status=Plan.Status.ARCHIVED)
    response = signed_in("supervisor").get("/")
    rows = response.context["plans"]
    assert len(rows) == HOME_PLANS and response.context["plans_count"] == HOME_PLANS + 4
    assert rows[0]["plan"] == late and rows[0]["light"] == "red" and rows[0]["overdue"] == 2
    body = response.content.decode()
    assert f"显示前 {HOME_PLANS} 个,共 {HOME_PLANS + 4} 个" in body and "查看全部方案" in body
    assert "已归档的方案" not in body


def test_task_page_states_the_reporting_period_of_the_calendar(signed_in, personas):
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from plans.models import Plan
    from tasks.models import ReportingCadence, Task

    task = Task.objects.create(
        plan=Plan.objects.create(title="督导方案"), title="学期督导", reporting_cadence=ReportingCadence.SEMESTER
    )
    with time_machine.travel(datetime(2026, 8, 15, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        response = signed_in("supervisor").get(f"/tasks/{task.pk}/")
    assert response.context["report_period"] == (date(2026, 8, 1), date(2027, 1, 31))
    assert "每学期报送进展:本期 2026年8月1日 至 2027年1月31日,2027年1月31日 前报送" in response.content.decode()


def test_department_page_lists_the_overdue_work_first_with_its_counts(signed_in, world, personas):
    context = signed_in("supervisor").get(f"/departments/{personas.dept_b.pk}/").context
    assert [a.task.title for a in context["rows"]] == ["完善经费保障", "扩大覆盖面", "财政专项资金"]
    assert (context["done"], context["overdue"]) == (0, 1)
