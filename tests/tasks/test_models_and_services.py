from datetime import date

import pytest
from django.db import IntegrityError, transaction

from org.models import Department, DepartmentGroup
from plans.models import Clause, Plan
from tasks.models import Assignment, Phase, ProgressReport, Task
from tasks.rules import State
from tasks.services import (
    assignment_acknowledge,
    assignment_complete,
    assignment_set_progress,
    task_assign,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(personas):
    plan = Plan.objects.create(title="测试方案")
    return Task.objects.create(plan=plan, title="建设学校", due_date=date(2026, 8, 31))


def _violates(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_task_with_several_leads_closes_when_the_last_lead_completes(task, personas):
    task_assign(task=task, leads=[personas.dept_a, personas.dept_b])
    a, b = (task.assignments.get(department=d) for d in (personas.dept_a, personas.dept_b))
    assignment_complete(assignment=a, completed_on=date(2026, 8, 1))
    task.refresh_from_db()
    assert task.state == State.IN_PROGRESS and task.completed_on is None
    assignment_complete(assignment=b, completed_on=date(2026, 9, 3))
    task.refresh_from_db()
    assert (task.state, task.progress, task.completed_on) == (State.COMPLETED, 100, date(2026, 9, 3))


def test_co_assignment_does_not_complete_the_task(task, personas):
    task_assign(task=task, leads=[personas.dept_a], co=[personas.dept_b])
    co = task.assignments.get(role=Assignment.Role.CO)
    assignment_complete(assignment=co)
    task.refresh_from_db()
    assert task.state == State.IN_PROGRESS


def test_collective_lead_expands_to_every_member(task, personas):
    counties = [
        Department.objects.create(name=n, kind=Department.Kind.GOVERNMENT) for n in ("城东区政府", "城西区政府")
    ]
    group = DepartmentGroup.objects.create(name="各县区政府")
    group.members.set(counties)
    created = task_assign(task=task, leads=[group], co=[personas.dept_a])
    assert {(a.department.name, a.role) for a in created} == {
        ("城东区政府", "lead"),
        ("城西区政府", "lead"),
        ("市教育局", "co"),
    }
    # assigning again adds nothing
    assert task_assign(task=task, leads=[group]) == []


def test_department_named_as_lead_and_co_is_lead_once(task, personas):
    task_assign(task=task, leads=[personas.dept_a], co=[personas.dept_a, personas.dept_b])
    assert dict(task.assignments.values_list("department__name", "role")) == {"市教育局": "lead", "市财政局": "co"}


def test_progress_moves_state_and_task_progress_follows_slowest_lead(task, personas):
    task_assign(task=task, leads=[personas.dept_a, personas.dept_b])
    a, b = task.assignments.order_by("department__name")
    assignment_set_progress(assignment=a, progress=60)
    assignment_set_progress(assignment=b, progress=30)
    task.refresh_from_db()
    assert (task.state, task.progress) == (State.IN_PROGRESS, 30)
    with pytest.raises(ValueError):
        assignment_set_progress(assignment=a, progress=101)


def test_acknowledgement_keeps_the_first(task, personas):
    (assignment,) = task_assign(task=task, leads=[personas.dept_a])
    first = assignment_acknowledge(assignment=assignment, user=personas.liaison_a)
    second = assignment_acknowledge(assignment=assignment, user=personas.head_a)
    assert second.acknowledged_by == personas.liaison_a
    assert second.acknowledged_at == first.acknowledged_at


def test_database_refuses_inconsistent_work_state(task, personas):
    _violates(lambda: Task.objects.create(plan=task.plan, title="x", state=State.COMPLETED))  # no completed_on
    _violates(lambda: Task.objects.create(plan=task.plan, title="x", progress=120))
    _violates(lambda: Task.objects.create(plan=task.plan, title="x", completed_on=date(2026, 1, 1)))
    Assignment.objects.create(task=task, department=personas.dept_a, role="lead")
    _violates(lambda: Assignment.objects.create(task=task, department=personas.dept_a, role="co"))
    _violates(lambda: Assignment.objects.create(task=task, department=personas.dept_b, role="boss"))


def test_database_refuses_reversed_phase_and_clause_spans(task):
    _violates(
        lambda: Phase.objects.create(
            task=task, kind="preparation", start_date=date(2026, 9, 1), end_date=date(2026, 8, 1)
        )
    )
    _violates(lambda: Phase.objects.create(task=task, kind="planning"))
    _violates(lambda: Clause.objects.create(plan=task.plan, position=1, span_start=10, span_end=5))
    Clause.objects.create(plan=task.plan, position=1)
    _violates(lambda: Clause.objects.create(plan=task.plan, position=1))


def test_same_content_hash_cannot_be_imported_twice(db):
    Plan.objects.create(title="甲", content_hash="abc")
    _violates(lambda: Plan.objects.create(title="乙", content_hash="abc"))
    Plan.objects.create(title="丙")
    Plan.objects.create(title="丁")  # plans without a hash (typed in by hand) are not twins


def test_reviewed_report_needs_a_reviewer(task, personas):
    (assignment,) = task_assign(task=task, leads=[personas.dept_a])
    _violates(
        lambda: ProgressReport.objects.create(
            assignment=assignment, author=personas.liaison_a, text="完成", percent=50, review_state="approved"
        )
    )
    _violates(
        lambda: ProgressReport.objects.create(assignment=assignment, author=personas.liaison_a, text="x", percent=101)
    )
