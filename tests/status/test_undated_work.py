"""Work without a due date (无时限, 长期, 按周期报送) is grey, never green, and never counts as on time."""

from datetime import date

import pytest

from plans.models import Plan
from supervision.reports import supervision_report
from supervision.scorecard import department_scorecards
from tasks import services
from tasks.models import Assignment, DueKind, ReportingCadence, Task
from tasks.selectors import department_status, plan_rows, tasks_as_of
from tests.status.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def undated_and_late(personas):
    """A's two parts, both done: one dated and completed late, one 长期 (no date) completed."""
    plan = Plan.objects.create(title="混合方案", issued_on=date(2026, 1, 1), status=Plan.Status.ACTIVE)
    with at(date(2026, 1, 5)):
        dated = Task.objects.create(plan=plan, title="有时限", due_date=date(2026, 3, 31))
        ongoing = Task.objects.create(plan=plan, title="长期", due_kind=DueKind.ONGOING)
        for task in (dated, ongoing):
            services.task_assign(task=task, leads=[personas.dept_a])
    with at(date(2026, 4, 10)):
        for assignment in Assignment.objects.all():
            services.assignment_complete(assignment=assignment, completed_on=date(2026, 4, 10))
    return plan


def test_undated_tasks_never_count_as_on_time(undated_and_late):
    with at(date(2026, 6, 15)):
        a = department_status()[0].all
        card = department_scorecards()[0]
        summary = supervision_report()["summary"]
    assert (a.total, a.completed_on_time, a.completed_late, a.completed_undated, a.undated) == (2, 0, 1, 1, 1)
    # done twice over, but of the work that had a date, none was on time
    assert (a.completion_rate, a.on_time_rate) == (100.0, 0.0)
    assert (card.counts["all"].on_time_rate, summary["on_time_rate"], summary["completion_rate"]) == (0.0, 0.0, 100.0)


def test_open_ended_work_is_grey_whatever_its_state(personas):
    plan = Plan.objects.create(title="长期方案", issued_on=date(2026, 1, 1), status=Plan.Status.ACTIVE)
    with at(date(2026, 1, 5)):
        ongoing = Task.objects.create(plan=plan, title="长期", due_kind=DueKind.ONGOING)
        periodic = Task.objects.create(
            plan=plan, title="按月报送", due_kind=DueKind.PERIODIC, reporting_cadence=ReportingCadence.MONTHLY
        )
        never_dated = Task.objects.create(plan=plan, title="未填时限", progress=40, state="in_progress")
        for task in (ongoing, periodic, never_dated):
            services.task_assign(task=task, leads=[personas.dept_b])
    rows = {t.title: (t.status, t.light) for t in tasks_as_of(date(2026, 6, 15), Task.objects.filter(plan=plan))}
    assert rows == {
        "长期": ("not_started", "grey"),
        "按月报送": ("not_started", "grey"),
        "未填时限": ("in_progress", "grey"),
    }
    # a plan and a department with nothing dated are grey too, not green
    assert plan_rows([plan], date(2026, 6, 15))[0]["light"] == "grey"
    with at(date(2026, 6, 15)):
        b = department_status()[0]
    assert (b.department_name, b.all.undated, b.all.light.value) == ("市财政局", 3, "grey")
