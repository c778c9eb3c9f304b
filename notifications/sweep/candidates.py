"""What the sweep reads: the open assignments of active plans that may call for a notice today, and
what their items name (plans, phase ends, policies).

Only active plans are reminded: a draft, closed or stopped plan gets nothing, and every read here
says so. The database returns a superset of the assignments that call for a notice (`candidate_filter`);
what each of them does call for is decided by the rules afterwards, so most open assignments, which
need nothing today, are never loaded.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta
from datetime import time as clock
from operator import itemgetter
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Case, DateField, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf, Replace, TruncDate
from django.utils import timezone

from core.db import plain_rows
from notifications import items as item_text
from notifications.models import ReminderPolicy
from notifications.rules import Policy
from notifications.sweep.deadlines import DayRules
from plans.models import Plan
from tasks.models import Assignment, Phase, ProgressReport, ReportingCadence, WorkState

REMINDED = Plan.Status.ACTIVE  # the one plan status that is reminded; any other (draft, closed, stopped…) is not


class CandidateRow(NamedTuple):
    """One open assignment that may call for a notice today, with what its items say about its task."""

    id: int
    task_id: int
    department_id: int
    role: str
    due_date: date | None  # the assignment's own, set by an approved extension
    unacknowledged: bool
    created_on: date  # local day it was made
    last_report_on: date | None  # local day of its latest report; None too for a task without reporting cadence
    plan_id: int
    task_title: str
    task_due: date | None
    task_start: date | None
    reporting_cadence: str
    clause: str  # as items.task_fields makes it


def open_assignments():
    """Open assignments of active plans, with their effective due date (Assignment.effective_due_date)."""
    return (
        Assignment.objects.filter(task__plan__status=REMINDED)
        .exclude(state=WorkState.COMPLETED)
        .annotate(effective_due=Coalesce(F("due_date"), F("task__due_date")))
    )


def day_rules(day: date) -> tuple[DayRules, dict[int, DayRules]]:
    """The default policy's rules of the day, and those of each active plan with a policy of its own.

    Plans whose settings are equal share one DayRules, and so the work of each deadline.
    """
    default_rules = DayRules(Policy.of(ReminderPolicy()), day)
    shared = {default_rules.policy: default_rules}
    rules_by_plan = {}
    for reminder_policy in ReminderPolicy.objects.filter(plan__status=REMINDED):
        policy = Policy.of(reminder_policy)
        rules = shared.get(policy)
        if rules is None:
            rules = shared[policy] = DayRules(policy, day)
        if rules is not default_rules:
            rules_by_plan[reminder_policy.plan_id] = rules
    return default_rules, rules_by_plan


def candidate_filter(rules: DayRules) -> Q:
    """Assignments that may call for a notice today under these rules: a superset, never missing one."""
    day = rules.day
    before = rules.before_dates()
    # Overdue ones are all kept, even when `overdue_every` skips today: a superset is enough.
    wanted = Q(acknowledged_at__isnull=True) | Q(effective_due__lt=day)
    if before:
        wanted |= Q(effective_due__in=before)
        wanted |= Exists(Phase.objects.filter(task_id=OuterRef("task_id"), end_date__in=before))
    for cadence in ReportingCadence.values:
        window = rules.reports(cadence)
        if window is None:
            continue
        # A report counts for a period when it was submitted after the previous period's due date.
        if window.upcoming_notice:
            reported_after = window.previous
        elif window.previous_notice:
            reported_after = window.before_previous
        else:
            continue
        since = timezone.make_aware(datetime.combine(reported_after + timedelta(days=1), clock.min))
        reported = ProgressReport.objects.filter(assignment_id=OuterRef("pk"), submitted_at__gte=since)
        wanted |= Q(task__reporting_cadence=cadence) & ~Exists(reported)
    if not rules.policy.remind_co:
        wanted &= Q(role=Assignment.Role.LEAD)
    return wanted


def candidate_rows(*, default_rules: DayRules, rules_by_plan: dict[int, DayRules]) -> list[CandidateRow]:
    """The open assignments that may call for a notice today, in plan, task, id order."""
    groups: dict[int, tuple[DayRules, list[int]]] = {}
    for plan_id, rules in rules_by_plan.items():
        groups.setdefault(id(rules), (rules, []))[1].append(plan_id)
    wanted = candidate_filter(default_rules)
    if rules_by_plan:
        wanted &= ~Q(task__plan_id__in=list(rules_by_plan))
    for rules, plan_ids in groups.values():
        wanted |= Q(task__plan_id__in=plan_ids) & candidate_filter(rules)

    # Local dates are worked out by the database (in the current time zone, as timezone.localtime
    # would): loading 100k timestamps with their time zone costs more than the query. The latest
    # report matters only to tasks with a reporting cadence; the others skip the look-up.
    last_report = ProgressReport.objects.filter(assignment_id=OuterRef("pk")).order_by("-submitted_at")
    clause = Coalesce(NullIf("task__clause__path", Value("")), "task__clause__label")
    rows = (
        open_assignments()
        .filter(wanted)
        .annotate(
            unacknowledged=Q(acknowledged_at__isnull=True),
            created_on=TruncDate("created_at"),
            last_report_on=Case(
                When(task__reporting_cadence=ReportingCadence.NONE, then=None),
                default=TruncDate(Subquery(last_report.values("submitted_at")[:1])),
                output_field=DateField(),
            ),
            plan_id=F("task__plan_id"),
            task_title=F("task__title"),
            task_due=F("task__due_date"),
            task_start=F("task__start_date"),
            reporting_cadence=F("task__reporting_cadence"),
            clause=Coalesce(Replace(clause, Value("/"), Value("")), Value("")),
        )
        .order_by("task__plan_id", "task_id", "id")
        .values_list(*CandidateRow._fields)
    )
    if connection.vendor != "postgresql":
        return _named(rows)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # With the default work_mem the sort and the task hash spill to disk. JIT is off for every
            # connection (settings), unless DATABASE_URL brings its own options: compiling this wide filter
            # takes longer than running it. Both settings end with the transaction.
            cursor.execute("SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)")
        # Some 35k rows: Django's per-row conversion would cost as much as PostgreSQL's answer.
        return _named(plain_rows(rows))


def _named(rows) -> list[CandidateRow]:
    # tuple.__new__ directly: the generated CandidateRow(...) is a Python call per row, this is not.
    make = tuple.__new__
    return [make(CandidateRow, row) for row in rows]


def phase_ends(rules: list[DayRules]) -> dict[int, list[tuple[date, str]]]:
    """Per task, the phase ends a reminder may be about today, as (end date, what): one per date, the first
    phase's, since two phases ending on the same day make one reminder. Tasks of plans that are not
    active are looked up too, and never asked for."""
    within_reach = sorted({d for r in rules for d in r.before_dates()})
    ends: dict[int, list[tuple[date, str]]] = defaultdict(list)
    if within_reach:
        phases = (
            Phase.objects.filter(end_date__in=within_reach)
            .order_by("task", "position", "id")
            .values_list("task_id", "end_date", "name", "kind")
        )
        for task_id, end_date, name, kind in phases:
            task_ends = ends[task_id]
            if all(end != end_date for end, _ in task_ends):
                task_ends.append((end_date, item_text.phase_what(name=name, kind_label=_PHASE_LABELS.get(kind, kind))))
    return ends


_PHASE_LABELS = {value: str(label) for value, label in Phase.Kind.choices}


class PlanNames(NamedTuple):
    title: str
    doc_number: str
    rank: int  # of the title among the active plans': items sort by plan title, and ranks compare faster


def active_plans() -> dict[int, PlanNames]:
    rows = sorted(Plan.objects.filter(status=REMINDED).values_list("pk", "title", "doc_number"), key=itemgetter(1))
    plans, rank, previous = {}, 0, None
    for pk, title, doc_number in rows:
        if title != previous:
            rank, previous = rank + 1, title
        plans[pk] = PlanNames(title, doc_number, rank)
    return plans
