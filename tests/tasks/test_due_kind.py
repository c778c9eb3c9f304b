"""A clause marked 长期 or 按周期报送 in the preview becomes a task followed without a deadline."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from core.errors import DomainError
from plans.services import plan_build
from tasks.models import DueKind, ReportingCadence, Task

pytestmark = pytest.mark.django_db


def _plan(*clauses):
    return {"title": "时限类型方案", "issued_on": "2026-01-01", "clauses": list(clauses)}


def _clause(label, **item):
    return {"label": label, "heading": f"任务{label}", "is_task": True, "lead": ["市教育局"], **item}


def test_each_clause_keeps_its_due_kind_and_cadence(personas):
    plan = plan_build(
        plan=_plan(
            _clause("1.", due="2026-06-30"),
            _clause("2.", due_kind="ongoing", due="2026-12-31", due_text="长期坚持"),
            _clause("3.", due_kind="periodic", reporting_cadence="quarterly"),
            _clause("4.", due_kind="dated", reporting_cadence="monthly", due="2026-09-30"),
        )
    )
    rows = list(
        Task.objects.filter(plan=plan)
        .order_by("clause__position")
        .values_list("title", "due_kind", "due_date", "reporting_cadence", "due_text")
    )
    assert rows == [
        ("任务1.", "dated", date(2026, 6, 30), "none", ""),
        # the explicit 长期 wins over the date the importer guessed; the words stay
        ("任务2.", "ongoing", None, "none", "长期坚持"),
        ("任务3.", "periodic", None, "quarterly", ""),
        ("任务4.", "dated", date(2026, 9, 30), "monthly", ""),
    ]
    assert [t.get_due_kind_display() for t in Task.objects.filter(plan=plan).order_by("clause__position")] == [
        "有时限",
        "长期",
        "按周期报送",
        "有时限",
    ]


def test_a_periodic_clause_without_a_cadence_is_refused_and_nothing_is_written(personas):
    with pytest.raises(DomainError) as refused:
        plan_build(plan=_plan(_clause("1.", due="2026-06-30"), _clause("2.", due_kind="periodic")))
    assert (refused.value.code, refused.value.message_zh) == (
        "reporting_cadence_required",
        "条款 2. 按周期报送,须指定报告频次。",
    )
    assert Task.objects.count() == 0


def test_an_unknown_due_kind_is_refused_in_chinese(personas):
    with pytest.raises(DomainError) as refused:
        plan_build(plan=_plan(_clause("1.", due_kind="forever")))
    assert refused.value.message_zh == "条款 1. 的时限类型无法识别。"


def test_the_database_refuses_a_periodic_task_without_a_cadence_and_a_dated_open_ended_task(personas):
    plan = plan_build(plan=_plan())
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(plan=plan, title="周期", due_kind=DueKind.PERIODIC)
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(plan=plan, title="长期", due_kind=DueKind.ONGOING, due_date=date(2026, 6, 1))
    Task.objects.create(
        plan=plan, title="按月报送", due_kind=DueKind.PERIODIC, reporting_cadence=ReportingCadence.MONTHLY
    )
    assert Task.objects.filter(plan=plan).count() == 1
