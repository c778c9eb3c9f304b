"""A confirmed plan stays editable by supervisors, through the services, with every change on record."""

from datetime import date

import pytest

from core.errors import DomainError
from org.models import Department
from plans.models import Plan
from tasks import editing
from tasks.history import task_history
from tasks.models import ActivityLog, Assignment, DueKind, Phase, ReportingCadence, Task
from tasks.selectors import tasks_as_of
from tasks.services import progress_report_submit, task_assign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(personas):
    return Plan.objects.create(title="教育提质方案", issued_on=date(2026, 1, 1), status=Plan.Status.ACTIVE)


@pytest.fixture
def task(plan, personas):
    task = Task.objects.create(plan=plan, title="校舍改造", due_date=date(2026, 10, 12))
    task_assign(task=task, leads=[personas.dept_a])
    return task


def _verbs(obj) -> list[tuple]:
    return list(
        ActivityLog.objects.filter(object_id=obj.pk, content_type__model=obj._meta.model_name)
        .order_by("id")
        .values_list("verb", "before", "after")
    )


@pytest.mark.parametrize("who", ["liaison_a", "head_a", "viewer"])
def test_anyone_but_a_supervisor_is_refused_and_nothing_changes(personas, task, who):
    user = getattr(personas, who)
    with pytest.raises(DomainError) as refused:
        editing.task_update(task=task, user=user, due_date=date(2026, 12, 31))
    assert (refused.value.code, refused.value.message_zh) == ("forbidden", "只有督查员可以修改方案。")
    with pytest.raises(DomainError):
        editing.plan_close(plan=task.plan, user=user)
    task.refresh_from_db()
    assert (task.due_date, task.plan.status, ActivityLog.objects.count()) == (date(2026, 10, 12), "active", 0)


def test_a_supervisor_adds_a_task_with_its_units_and_it_is_recorded(personas, plan):
    task = editing.task_create(
        plan=plan,
        user=personas.supervisor,
        title=" 课后服务 ",
        leads=[personas.dept_a],
        co=[personas.dept_b],
        due_date=date(2026, 12, 31),
    )
    assert (task.title, task.due_kind, task.due_date) == ("课后服务", "dated", date(2026, 12, 31))
    units = sorted(task.assignments.values_list("department__name", "role"))
    assert units == [("市教育局", "lead"), ("市财政局", "co")]
    [(verb, before, after)] = _verbs(task)
    assert (verb, before, after["units"], after["due_date"]) == (
        "task_create",
        {},
        ["市教育局(牵头单位)", "市财政局(配合单位)"],
        "2026-12-31",
    )


def test_a_task_without_a_lead_a_date_or_a_cadence_is_refused(personas, plan):
    with pytest.raises(DomainError) as no_lead:
        editing.task_create(plan=plan, user=personas.supervisor, title="无人负责", due_date=date(2026, 12, 31))
    with pytest.raises(DomainError) as no_cadence:
        editing.task_create(
            plan=plan, user=personas.supervisor, title="周期", leads=[personas.dept_a], due_kind=DueKind.PERIODIC
        )
    with pytest.raises(DomainError) as no_date:
        editing.task_create(plan=plan, user=personas.supervisor, title="无时限", leads=[personas.dept_a])
    assert (no_lead.value.code, no_cadence.value.code, no_date.value.code) == (
        "lead_required",
        "reporting_cadence_required",
        "due_required",
    )
    assert no_date.value.message_zh == "请填写完成时限;没有固定时限的任务请标记为长期或按周期报送。"
    assert Task.objects.count() == 0


def test_editing_a_due_date_records_before_and_after_in_the_task_history(personas, task):
    editing.task_update(task=task, user=personas.supervisor, due_date=date(2026, 10, 16), title="校舍安全改造")
    assert _verbs(task) == [
        (
            "task_update",
            {"title": "校舍改造", "due_date": "2026-10-12"},
            {"title": "校舍安全改造", "due_date": "2026-10-16"},
        )
    ]
    acts = [(e.action, e.user) for e in task_history(task=task) if e.source == "activity"]
    assert acts == [("修改任务", "supervisor")]
    # nothing changed, nothing recorded
    editing.task_update(task=task, user=personas.supervisor, due_date=date(2026, 10, 16))
    assert len(_verbs(task)) == 1


def test_marking_a_task_ongoing_clears_every_due_date_and_turns_it_grey(personas, task):
    lead = task.assignments.get()
    lead.due_date = date(2026, 11, 30)  # an extension granted earlier
    lead.save()
    editing.task_mark_ongoing(task=task, user=personas.supervisor)
    task.refresh_from_db()
    lead.refresh_from_db()
    assert (task.due_kind, task.get_due_kind_display(), task.due_date, lead.due_date) == ("ongoing", "长期", None, None)
    assert tasks_as_of(date(2026, 6, 15), Task.objects.filter(pk=task.pk)).get().light == "grey"
    with pytest.raises(DomainError) as refused:
        editing.task_update(task=task, user=personas.supervisor, due_date=date(2026, 12, 1))
    assert refused.value.message_zh == "长期或按周期报送的任务没有完成时限,请清空完成时限。"
    editing.task_update(
        task=task, user=personas.supervisor, due_kind=DueKind.PERIODIC, reporting_cadence=ReportingCadence.QUARTERLY
    )
    task.refresh_from_db()
    assert (task.due_kind, task.reporting_cadence) == ("periodic", "quarterly")


def test_units_are_added_switched_and_removed_but_the_last_lead_stays(personas, task):
    other = Department.objects.create(name="市人社局")
    co = editing.assignment_add(task=task, user=personas.supervisor, department=other, role="co")
    with pytest.raises(DomainError) as twice:
        editing.assignment_add(task=task, user=personas.supervisor, department=other, role="lead")
    lead = task.assignments.get(role="lead")
    with pytest.raises(DomainError) as last:
        editing.assignment_set_role(assignment=lead, user=personas.supervisor, role="co")
    editing.assignment_set_role(assignment=co, user=personas.supervisor, role="lead")
    editing.assignment_set_role(assignment=lead, user=personas.supervisor, role="co")
    editing.assignment_remove(assignment=lead, user=personas.supervisor)
    assert (twice.value.code, last.value.code) == ("already_assigned", "last_lead")
    assert list(task.assignments.values_list("department__name", "role")) == [("市人社局", "lead")]
    assert [v for v, _, _ in _verbs(task)] == ["assignment_add", "assignment_remove"]
    acts = [e.action for e in task_history(task=task) if e.source == "activity"]
    assert acts == ["增加责任单位", "调整牵头/配合", "调整牵头/配合", "移除责任单位"]


def test_a_task_is_removed_unless_a_department_reported_on_it(personas, plan, task):
    reported = Task.objects.create(plan=plan, title="已报送", due_date=date(2026, 10, 1))
    task_assign(task=reported, leads=[personas.dept_b])
    progress_report_submit(assignment=reported.assignments.get(), author=personas.liaison_b, text="已启动", percent=10)
    with pytest.raises(DomainError) as refused:
        editing.task_remove(task=reported, user=personas.supervisor)
    assert refused.value.message_zh == "该任务已有 1 份进展报告,不能删除;可修改任务,或办结、终止方案。"
    editing.task_remove(task=task, user=personas.supervisor)
    assert list(Task.objects.values_list("title", flat=True)) == ["已报送"]
    [(verb, before, _)] = _verbs(plan)
    assert (verb, before["title"], before["units"]) == ("task_remove", "校舍改造", ["市教育局(牵头单位)"])
    assert Assignment.objects.filter(task_id=task.pk).count() == 0


def test_phases_are_added_edited_and_removed_with_their_dates_checked(personas, task):
    phase = editing.phase_add(
        task=task, user=personas.supervisor, kind="preparation", name="筹备阶段", end_date=date(2026, 3, 31)
    )
    second = editing.phase_add(task=task, user=personas.supervisor, kind="operation", start_date=date(2026, 4, 1))
    with pytest.raises(DomainError) as reversed_dates:
        editing.phase_update(phase=phase, user=personas.supervisor, start_date=date(2026, 4, 1))
    editing.phase_update(phase=phase, user=personas.supervisor, end_date=date(2026, 4, 30))
    editing.phase_remove(phase=second, user=personas.supervisor)
    assert reversed_dates.value.code == "phase_dates_reversed"
    assert list(Phase.objects.values_list("name", "position", "end_date")) == [("筹备阶段", 1, date(2026, 4, 30))]
    assert [(v, b.get("end_date"), a.get("end_date")) for v, b, a in _verbs(task)] == [
        ("phase_add", None, "2026-03-31"),
        ("phase_add", None, None),
        ("phase_update", "2026-03-31", "2026-04-30"),
        ("phase_remove", None, None),
    ]


def test_closing_and_stopping_a_plan_keeps_who_when_and_why_and_ends_every_change(personas, plan, task):
    with pytest.raises(DomainError) as no_reason:
        editing.plan_stop(plan=plan, user=personas.supervisor, reason="  ")
    assert no_reason.value.message_zh == "终止方案须说明理由。"
    other = Plan.objects.create(title="另一方案", status=Plan.Status.ACTIVE)
    editing.plan_stop(plan=other, user=personas.supervisor, reason="上级文件已废止")
    closed = editing.plan_close(plan=plan, user=personas.supervisor, reason="全部任务完成")
    other.refresh_from_db()
    assert (closed.get_status_display(), closed.closing_reason, closed.closed_by) == (
        "已办结",
        "全部任务完成",
        personas.supervisor,
    )
    assert (other.get_status_display(), other.closing_reason) == ("已终止", "上级文件已废止")
    assert _verbs(plan) == [("plan_close", {"status": "active"}, {"status": "closed", "reason": "全部任务完成"})]
    with pytest.raises(DomainError) as refused:
        editing.task_update(task=task, user=personas.supervisor, title="再改")
    assert (refused.value.code, refused.value.message_zh, refused.value.conflict) == (
        "plan_not_open",
        "方案《教育提质方案》已办结,不能再修改。",
        True,
    )
    with pytest.raises(DomainError):
        editing.plan_stop(plan=plan, user=personas.supervisor, reason="重复")
