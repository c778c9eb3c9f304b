"""Changes a supervisor makes to a plan after it was confirmed: its tasks, their units, phases and dates,
and closing the plan (办结) or stopping it (终止).

Every function takes the acting user and refuses anyone but a supervisor, and refuses any change
to a plan that is closed or stopped. Each change is written to the change record (ActivityLog,
beside the field-by-field history rows), on the task when the task still exists, else on the plan.
Reminders need no telling: the sweep reads due dates, units and plan status as they are on the day.
"""

from datetime import date

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from core.errors import DomainError
from org import access
from org.models import Department
from plans.models import Plan
from tasks.models import Assignment, DueKind, Phase, ReportingCadence, Task
from tasks.services import activity_record, task_assign, task_sync_work

OPEN_PLAN = (Plan.Status.DRAFT, Plan.Status.ACTIVE)
# The fields of a task a supervisor edits (its work follows its leads and is never typed in).
TASK_FIELDS = (
    "title", "description", "start_date", "due_date", "due_text", "due_kind", "recurrence", "reporting_cadence",
)  # fmt: skip
PHASE_FIELDS = ("kind", "name", "start_date", "end_date", "text")


def _refuse_unless_supervisor(user) -> None:
    access.require(access.can_manage(user), "只有督查员可以修改方案。")


def _refuse_unless_open(plan: Plan) -> None:
    if plan.status not in OPEN_PLAN:
        raise DomainError(
            f"方案《{plan.title}》{plan.get_status_display()},不能再修改。", "plan_not_open", conflict=True
        )


def _editable(user, plan: Plan) -> None:
    _refuse_unless_supervisor(user)
    _refuse_unless_open(plan)


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def _values(obj, fields) -> dict:
    return {name: _plain(getattr(obj, name)) for name in fields}


# ---------------------------------------------------------------------------
# Tasks


def _checked_time(*, start_date, due_date, due_kind, reporting_cadence) -> None:
    if due_kind not in DueKind.values:
        raise DomainError("时限类型无法识别。", "due_kind_invalid")
    if reporting_cadence not in ReportingCadence.values:
        raise DomainError("报告频次无法识别。", "reporting_cadence_invalid")
    if due_kind != DueKind.DATED and due_date is not None:
        raise DomainError("长期或按周期报送的任务没有完成时限,请清空完成时限。", "open_ended_has_due")
    if due_kind == DueKind.DATED and due_date is None:
        # Work typed in by hand is never left without a time: a date, or an explicit open-ended kind.
        raise DomainError("请填写完成时限;没有固定时限的任务请标记为长期或按周期报送。", "due_required")
    if due_kind == DueKind.PERIODIC and reporting_cadence == ReportingCadence.NONE:
        raise DomainError("按周期报送的任务须指定报告频次。", "reporting_cadence_required")
    if start_date and due_date and start_date > due_date:
        raise DomainError("开始日期不能晚于完成时限。", "start_after_due")


@transaction.atomic
def task_create(
    *,
    plan: Plan,
    user,
    title: str,
    leads=(),
    co=(),
    description: str = "",
    start_date: date | None = None,
    due_date: date | None = None,
    due_kind: str = DueKind.DATED,
    reporting_cadence: str = ReportingCadence.NONE,
) -> Task:
    """A task added to a confirmed plan by hand, with its units (a lead is required: work needs an owner)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _editable(user, plan)
    if not title.strip():
        raise DomainError("请填写任务名称。", "title_required")
    if not leads:
        raise DomainError("请指定牵头单位。", "lead_required")
    _checked_time(start_date=start_date, due_date=due_date, due_kind=due_kind, reporting_cadence=reporting_cadence)
    task = Task.objects.create(
        plan=plan,
        title=title.strip()[:300],
        description=description,
        start_date=start_date,
        due_date=due_date,
        due_kind=due_kind,
        reporting_cadence=reporting_cadence,
    )
    task_assign(task=task, leads=leads, co=co)
    activity_record(
        actor=user,
        verb="task_create",
        obj=task,
        after={**_values(task, TASK_FIELDS), "units": _units(task)},
    )
    return task


def _units(task: Task) -> list[str]:
    parts = task.assignments.select_related("department").order_by("department__name")
    # Leads first, as the plan names them.
    return [f"{a.department.name}({a.get_role_display()})" for a in sorted(parts, key=lambda a: a.role != "lead")]


@transaction.atomic
def task_update(*, task: Task, user, **changes) -> Task:
    """Edit a task's title, text, dates and due kind. Marking it 长期 or 按周期报送 clears its due dates,
    the units' own (from extensions) included, so that its light turns grey."""
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise DomainError(f"不能修改这些字段:{'、'.join(sorted(unknown))}。", "field_not_editable")
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    _editable(user, task.plan)
    before = _values(task, TASK_FIELDS)
    for name, value in changes.items():
        setattr(task, name, value)
    if "title" in changes:
        task.title = (task.title or "").strip()[:300]
        if not task.title:
            raise DomainError("请填写任务名称。", "title_required")
    if task.due_kind != DueKind.DATED and "due_date" not in changes:
        task.due_date = None
    _checked_time(
        start_date=task.start_date,
        due_date=task.due_date,
        due_kind=task.due_kind,
        reporting_cadence=task.reporting_cadence,
    )
    after = _values(task, TASK_FIELDS)
    changed = [name for name in TASK_FIELDS if before[name] != after[name]]
    if not changed:
        return task
    task.save(update_fields=changed)
    if task.due_kind != DueKind.DATED:
        for assignment in task.assignments.filter(due_date__isnull=False):
            assignment.due_date = None
            assignment.save(update_fields=["due_date"])
    activity_record(
        actor=user,
        verb="task_update",
        obj=task,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
    )
    return task


def task_mark_ongoing(*, task: Task, user) -> Task:
    """标记为长期: followed without a deadline (grey, 无时限)."""
    return task_update(task=task, user=user, due_kind=DueKind.ONGOING, due_date=None)


@transaction.atomic
def task_remove(*, task: Task, user) -> None:
    """Remove a task made by mistake. One that departments have reported on keeps its record: refused."""
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    _editable(user, task.plan)
    reports = task.assignments.aggregate(n=Count("reports"))["n"]
    if reports:
        raise DomainError(f"该任务已有 {reports} 份进展报告,不能删除;可修改任务,或办结、终止方案。", "task_has_reports")
    activity_record(
        actor=user,
        verb="task_remove",
        obj=task.plan,
        before={"task_id": task.pk, **_values(task, TASK_FIELDS), "units": _units(task)},
    )
    task.delete()


# ---------------------------------------------------------------------------
# Units


def _lead_count(task: Task) -> int:
    return task.assignments.filter(role=Assignment.Role.LEAD).count()


@transaction.atomic
def assignment_add(*, task: Task, user, department: Department, role: str) -> Assignment:
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    _editable(user, task.plan)
    if role not in Assignment.Role.values:
        raise DomainError("角色须为牵头单位或配合单位。", "role_invalid")
    if task.assignments.filter(department=department).exists():
        raise DomainError(f"{department.name}已承担此任务。", "already_assigned")
    key = "leads" if role == Assignment.Role.LEAD else "co"
    (assignment,) = task_assign(task=task, **{key: [department]})
    task_sync_work(task=task)
    activity_record(actor=user, verb="assignment_add", obj=task, after={"department": department.name, "role": role})
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: Assignment, user) -> None:
    assignment = Assignment.objects.select_for_update().select_related("task__plan", "department").get(pk=assignment.pk)
    task = assignment.task
    _editable(user, task.plan)
    if assignment.role == Assignment.Role.LEAD and _lead_count(task) == 1:
        raise DomainError("这是该任务唯一的牵头单位,请先指定另一个牵头单位。", "last_lead")
    if assignment.reports.exists():
        raise DomainError(f"{assignment.department.name}已报送进展,不能移除。", "assignment_has_reports")
    before = {"department": assignment.department.name, "role": assignment.role}
    assignment.delete()
    task_sync_work(task=task)
    activity_record(actor=user, verb="assignment_remove", obj=task, before=before)


@transaction.atomic
def assignment_set_role(*, assignment: Assignment, user, role: str) -> Assignment:
    """Switch a unit between 牵头 and 配合; the task's work follows its leads again."""
    assignment = Assignment.objects.select_for_update().select_related("task__plan", "department").get(pk=assignment.pk)
    _editable(user, assignment.task.plan)
    if role not in Assignment.Role.values:
        raise DomainError("角色须为牵头单位或配合单位。", "role_invalid")
    if role == assignment.role:
        return assignment
    if assignment.role == Assignment.Role.LEAD and _lead_count(assignment.task) == 1:
        raise DomainError("这是该任务唯一的牵头单位,请先指定另一个牵头单位。", "last_lead")
    before = {"department": assignment.department.name, "role": assignment.role}
    assignment.role = role
    assignment.save(update_fields=["role"])
    task_sync_work(task=assignment.task)
    activity_record(
        actor=user, verb="assignment_set_role", obj=assignment, before=before, after={**before, "role": role}
    )
    return assignment


# ---------------------------------------------------------------------------
# Phases


def _checked_phase(*, kind, start_date, end_date) -> None:
    if kind not in Phase.Kind.values:
        raise DomainError("阶段类型须为筹备、运行或评估。", "phase_kind_invalid")
    if start_date and end_date and start_date > end_date:
        raise DomainError("开始日期不能晚于结束日期。", "phase_dates_reversed")


@transaction.atomic
def phase_add(*, task: Task, user, kind: str, name: str = "", start_date=None, end_date=None, text: str = "") -> Phase:
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    _editable(user, task.plan)
    _checked_phase(kind=kind, start_date=start_date, end_date=end_date)
    position = (task.phases.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    phase = Phase.objects.create(
        task=task, kind=kind, name=name[:100], position=position, start_date=start_date, end_date=end_date, text=text
    )
    activity_record(actor=user, verb="phase_add", obj=task, after=_values(phase, PHASE_FIELDS))
    return phase


@transaction.atomic
def phase_update(*, phase: Phase, user, **changes) -> Phase:
    unknown = set(changes) - set(PHASE_FIELDS)
    if unknown:
        raise DomainError(f"不能修改这些字段:{'、'.join(sorted(unknown))}。", "field_not_editable")
    phase = Phase.objects.select_for_update().select_related("task__plan").get(pk=phase.pk)
    _editable(user, phase.task.plan)
    before = _values(phase, PHASE_FIELDS)
    for name, value in changes.items():
        setattr(phase, name, value)
    _checked_phase(kind=phase.kind, start_date=phase.start_date, end_date=phase.end_date)
    after = _values(phase, PHASE_FIELDS)
    changed = [name for name in PHASE_FIELDS if before[name] != after[name]]
    if changed:
        phase.save(update_fields=changed)
        activity_record(
            actor=user,
            verb="phase_update",
            obj=phase.task,
            before={"phase": str(phase), **{n: before[n] for n in changed}},
            after={"phase": str(phase), **{n: after[n] for n in changed}},
        )
    return phase


@transaction.atomic
def phase_remove(*, phase: Phase, user) -> None:
    phase = Phase.objects.select_for_update().select_related("task__plan").get(pk=phase.pk)
    _editable(user, phase.task.plan)
    activity_record(actor=user, verb="phase_remove", obj=phase.task, before=_values(phase, PHASE_FIELDS))
    phase.delete()


# ---------------------------------------------------------------------------
# Closing a plan


def _plan_end(*, plan: Plan, user, status: str, reason: str, verb: str) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _editable(user, plan)
    before = {"status": plan.status}
    plan.status = status
    plan.closing_reason = reason.strip()
    plan.closed_at = timezone.now()
    plan.closed_by = user
    plan.save(update_fields=["status", "closing_reason", "closed_at", "closed_by"])
    activity_record(
        actor=user, verb=verb, obj=plan, before=before, after={"status": status, "reason": plan.closing_reason}
    )
    return plan


@transaction.atomic
def plan_close(*, plan: Plan, user, reason: str = "") -> Plan:
    """办结: the plan's work is done; nothing more is reminded or changed."""
    return _plan_end(plan=plan, user=user, status=Plan.Status.CLOSED, reason=reason, verb="plan_close")


@transaction.atomic
def plan_stop(*, plan: Plan, user, reason: str) -> Plan:
    """终止: the plan is stopped before its end, for a reason that the record keeps."""
    if not reason.strip():
        raise DomainError("终止方案须说明理由。", "reason_required")
    return _plan_end(plan=plan, user=user, status=Plan.Status.STOPPED, reason=reason, verb="plan_stop")
