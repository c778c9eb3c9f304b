"""Actions that change tasks and assignments. Each owns its transaction."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from org.models import Department, DepartmentGroup
from tasks.models import Assignment, Task
from tasks.rules import LeadWork, State, task_work


def _departments_of(unit: Department | DepartmentGroup) -> list[Department]:
    if isinstance(unit, DepartmentGroup):
        return list(unit.members.order_by("name"))
    return [unit]


@transaction.atomic
def task_assign(*, task: Task, leads=(), co=()) -> list[Assignment]:
    """Create the task's assignments; a group (各县区政府) expands to its members.

    A department named both as lead and as co is a lead: the lead role carries
    the answerability, and one department has one part per task.
    """
    roles: dict[int, tuple[Department, str]] = {}
    for role, units in ((Assignment.Role.LEAD, leads), (Assignment.Role.CO, co)):
        for unit in units:
            for department in _departments_of(unit):
                roles.setdefault(department.pk, (department, role))
    existing = set(task.assignments.values_list("department_id", flat=True))
    created = Assignment.objects.bulk_create(
        Assignment(task=task, department=department, role=role)
        for pk, (department, role) in roles.items()
        if pk not in existing
    )
    return created


@transaction.atomic
def task_sync_work(*, task: Task) -> Task:
    """Bring the task's stored state in line with its lead assignments (rules.task_work)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    assignments = list(task.assignments.all())
    leads = [LeadWork(a.state, a.progress, a.completed_on) for a in assignments if a.role == Assignment.Role.LEAD]
    any_started = any(a.state != State.NOT_STARTED or a.progress > 0 for a in assignments)
    work = task_work(leads, any_started=any_started)
    task.state, task.progress, task.completed_on = work.state, work.progress, work.completed_on
    task.save(update_fields=["state", "progress", "completed_on"])
    return task


@transaction.atomic
def assignment_set_progress(*, assignment: Assignment, progress: int) -> Assignment:
    if not 0 <= progress <= 100:
        raise ValueError("progress must be between 0 and 100")
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.state == State.COMPLETED:
        return assignment
    assignment.progress = progress
    assignment.state = State.IN_PROGRESS if progress > 0 else assignment.state
    assignment.save(update_fields=["progress", "state"])
    task_sync_work(task=assignment.task)
    return assignment


@transaction.atomic
def assignment_complete(*, assignment: Assignment, completed_on: date | None = None) -> Assignment:
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    assignment.state = State.COMPLETED
    assignment.progress = 100
    assignment.completed_on = completed_on or timezone.localdate()
    assignment.save(update_fields=["state", "progress", "completed_on"])
    task_sync_work(task=assignment.task)
    return assignment


@transaction.atomic
def assignment_acknowledge(*, assignment: Assignment, user) -> Assignment:
    """签收: the first acknowledgement counts; later ones change nothing."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.acknowledged_at is None:
        assignment.acknowledged_at = timezone.now()
        assignment.acknowledged_by = user
        assignment.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return assignment
