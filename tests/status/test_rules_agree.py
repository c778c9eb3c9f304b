"""The database expressions and the pure rules must say the same thing, assignment by assignment."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.utils import timezone

from org.models import Department
from plans.models import Plan
from tasks import rules
from tasks.models import Assignment, Phase, Task
from tasks.rules import State
from tasks.selectors import assignments_as_of, department_status, task_status_q, tasks_as_of
from tests.status.conftest import at

pytestmark = pytest.mark.django_db

AS_OF_DAYS = [date(2026, 1, 15), date(2026, 3, 31), date(2026, 6, 15), date(2026, 9, 30), date(2027, 1, 1)]


def _random_day(rng, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


@pytest.fixture
def sample(personas):
    """About forty assignments with random dates, phases, progress and completion (fixed seed)."""
    rng = random.Random(20260615)
    departments = [personas.dept_a, personas.dept_b, Department.objects.create(name="市卫健委")]
    plans = [
        Plan.objects.create(title="甲方案", issued_on=date(2025, 12, 1)),
        Plan.objects.create(title="乙方案"),  # no issue date: spans start at the assignment's creation
    ]
    for n in range(18):
        with at(_random_day(rng, date(2025, 12, 1), date(2026, 4, 30))):
            start = _random_day(rng, date(2025, 12, 1), date(2026, 6, 1)) if rng.random() < 0.4 else None
            due = _random_day(rng, date(2026, 1, 1), date(2026, 12, 31)) if rng.random() < 0.85 else None
            if start and due and start > due:
                start, due = due, start
            task = Task.objects.create(plan=rng.choice(plans), title=f"任务{n}", start_date=start, due_date=due)
            for position in range(rng.choice([0, 0, 1, 2, 3])):
                Phase.objects.create(
                    task=task,
                    kind=rng.choice(["preparation", "operation", "evaluation"]),
                    position=position,
                    start_date=_random_day(rng, date(2025, 12, 1), date(2026, 10, 1)),
                )
            for department in rng.sample(departments, rng.randint(1, 3)):
                state = rng.choice(list(State))
                completed_on = _random_day(rng, date(2026, 1, 1), date(2026, 12, 31))
                Assignment.objects.create(
                    task=task,
                    department=department,
                    role=rng.choice(["lead", "co"]),
                    due_date=_random_day(rng, date(2026, 2, 1), date(2027, 2, 1)) if rng.random() < 0.2 else None,
                    state=state,
                    progress=100 if state == State.COMPLETED else rng.choice([0, 0, 10, 35, 60, 85]),
                    completed_on=completed_on if state == State.COMPLETED else None,
                )
    return Assignment.objects.select_related("task", "task__plan", "department").prefetch_related("task__phases")


def by_rules(assignment: Assignment, as_of: date) -> dict:
    """What tasks/rules.py says, with the as-of reading of docs/status.md done by hand."""
    task = assignment.task
    due = assignment.due_date or task.due_date
    start = rules.span_start(
        task_start=task.start_date,
        phase_starts=[p.start_date for p in task.phases.all() if p.start_date],
        plan_issued_on=task.plan.issued_on,
        created_on=timezone.localdate(assignment.created_at),
        today=as_of,
    )
    state, progress, completed_on = assignment.state, assignment.progress, assignment.completed_on
    if state == State.COMPLETED and completed_on > as_of:
        # completed later: not completed then; no approved reports in this sample, so no progress then
        state, progress, completed_on = State.NOT_STARTED, 0, None
    status = rules.work_status(state=state, progress=progress, due=due, completed_on=completed_on, today=as_of)
    days = 0
    if status == rules.Status.OVERDUE:
        days = (as_of - due).days
    elif status == rules.Status.COMPLETED_LATE:
        days = (completed_on - due).days
    return {
        "status": status.value,
        "light": rules.light(
            state=state, progress=progress, start=start, due=due, completed_on=completed_on, today=as_of
        ).value,
        "expected_progress": rules.expected_progress(start=start, due=due, today=as_of),
        "days_overdue": days,
        "span_start": start,
    }


@pytest.mark.parametrize("as_of", AS_OF_DAYS)
def test_each_assignment_gets_the_status_and_light_of_the_rules(sample, as_of):
    existing = [a for a in sample if timezone.localdate(a.created_at) <= as_of]
    annotated = {a.pk: a for a in assignments_as_of(as_of)}
    assert set(annotated) == {a.pk for a in existing}
    for assignment in existing:
        row = annotated[assignment.pk]
        got = {k: getattr(row, k) for k in ("status", "light", "expected_progress", "days_overdue", "span_start")}
        assert got == by_rules(assignment, as_of), f"assignment {assignment.pk} on {as_of}"


@pytest.mark.parametrize("as_of", AS_OF_DAYS)
def test_department_counts_equal_the_rules_summed_by_hand(sample, as_of):
    expected: dict[int, Counter] = {}
    for assignment in sample:
        if timezone.localdate(assignment.created_at) > as_of:
            continue
        seen = by_rules(assignment, as_of)
        for role in ("all", assignment.role):
            tally = expected.setdefault((assignment.department_id, role), Counter())
            tally["total"] += 1
            tally[seen["status"]] += 1
            tally["at_risk"] += seen["light"] == "yellow"
            tally["undated"] += seen["light"] == "grey"
            tally["overdue_days"] += seen["days_overdue"]
    with at(date(2027, 6, 1)):
        rows = department_status(as_of=as_of, live=True)
    got = {}
    for row in rows:
        for role, counts in row.counts.items():
            tally = Counter({k: v for k, v in counts._asdict().items() if v})
            if tally:
                got[(row.department_id, role)] = tally
    assert got == {key: +tally for key, tally in expected.items()}


def test_the_sample_exercises_every_status_and_light(sample):
    seen = Counter()
    for as_of in AS_OF_DAYS:
        for row in assignments_as_of(as_of):
            seen[row.status] += 1
            seen[row.light] += 1
    assert set(seen) == {*(s.value for s in rules.Status), *(light.value for light in rules.Light)}


def test_task_status_follows_the_rules_from_its_own_stored_work(personas):
    plan = Plan.objects.create(title="方案", issued_on=date(2026, 1, 1))
    behind = Task.objects.create(plan=plan, title="落后", due_date=date(2026, 12, 31), progress=5, state="in_progress")
    late = Task.objects.create(
        plan=plan,
        title="逾期",
        due_date=date(2026, 3, 1),
        state="completed",
        progress=100,
        completed_on=date(2026, 3, 9),
    )
    rows = {t.pk: t for t in tasks_as_of(date(2026, 7, 1))}
    assert (rows[behind.pk].status, rows[behind.pk].light, rows[behind.pk].expected_progress) == (
        "in_progress",
        "yellow",
        181 * 100 // 364,
    )
    assert (rows[late.pk].status, rows[late.pk].light, rows[late.pk].days_overdue) == ("completed_late", "green", 8)


@pytest.mark.parametrize("as_of", AS_OF_DAYS)
def test_task_status_conditions_pick_the_tasks_the_status_expression_picks(sample, as_of):
    seen = set()
    for status in rules.Status:
        by_expression = set(tasks_as_of(as_of).filter(status=status).values_list("pk", flat=True))
        by_columns = set(Task.objects.filter(task_status_q([status], as_of)).values_list("pk", flat=True))
        assert by_columns == by_expression, status
        seen |= by_expression
    assert seen == set(Task.objects.values_list("pk", flat=True))
    pair = [rules.Status.OVERDUE, rules.Status.NOT_STARTED]
    assert set(Task.objects.filter(task_status_q(pair, as_of)).values_list("pk", flat=True)) == set(
        tasks_as_of(as_of).filter(status__in=pair).values_list("pk", flat=True)
    )


def test_the_prepared_count_statement_agrees_with_one_built_afresh(sample):
    """On PostgreSQL the counting statement is compiled once per shape and reused with another day and plan.

    Naming the departments builds the statement afresh every time, so it is the reference.
    """
    from django.db import connection

    from tasks import selectors

    everyone = list(Department.objects.values_list("pk", flat=True))
    selectors._prepared.clear()
    with at(date(2027, 6, 1)):
        for plan in [*Plan.objects.order_by("pk"), None]:
            for by_plan in (False, True):
                for as_of in AS_OF_DAYS:
                    reused = department_status(as_of=as_of, plan=plan, by_plan=by_plan, live=True)
                    fresh = department_status(
                        as_of=as_of, plan=plan, by_plan=by_plan, live=True, department_ids=everyone
                    )
                    assert reused == fresh, (plan, by_plan, as_of)
                    assert fresh, (plan, by_plan, as_of)
    assert bool(selectors._prepared) == (connection.vendor == "postgresql")
