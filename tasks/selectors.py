"""Reads about work status: the rules of tasks/rules.py written as database expressions.

Every status, light and count here is computed by the database (conditional
Count over Case/When) so that a dashboard over thousands of assignments costs
one query, and so that a change to an assignment shows at once. The
expressions must agree with the pure functions in tasks/rules.py; the tests in
tests/status compare the two on hand-built samples.

Past days: the daily snapshots (DepartmentSnapshot) are the record of what was
seen then, and department_status reads them when they exist. Without one, a
past day is reconstructed from today's rows: work completed after the day
counts as not completed then (with the progress of the last report approved by
then), due dates moved by an extension granted after the day count at their
old value, and assignments made after the day do not count.
"""

from dataclasses import asdict, dataclass, field
from datetime import date
from operator import add
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone
from django_cte import CTE, with_cte

from plans.models import Plan
from tasks import rules
from tasks.models import Assignment, DepartmentSnapshot, DueKind, ExtensionRequest, Phase, ProgressReport, Task
from tasks.rules import AT_RISK_GAP, Light, State, Status


class DayDiff(Func):
    """Whole days from the second date to the first (later - earlier), as an integer."""

    arity = 2
    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite stores dates as text; julianday makes them numbers (the embedded fallback of a bare machine).
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def _day(as_of: date):
    return Cast(Value(as_of), DateField())


def _span_start(as_of: date, *, task_path: str, created_field: str):
    """rules.span_start as an expression: task start, phase under way, first phase, plan issue, creation."""
    task_ref = OuterRef(f"{task_path}pk") if task_path else OuterRef("pk")
    phases = Phase.objects.filter(task=task_ref, start_date__isnull=False)
    current_phase = phases.filter(start_date__lte=as_of).order_by("-start_date").values("start_date")[:1]
    first_phase = phases.order_by("start_date").values("start_date")[:1]
    return Coalesce(
        F(f"{task_path}start_date"),
        Subquery(current_phase, output_field=DateField()),
        Subquery(first_phase, output_field=DateField()),
        F(f"{task_path}plan__issued_on"),
        TruncDate(created_field),
    )


def _status_expressions(as_of: date, *, completed: Q, started: Q) -> dict:
    """status, expected_progress, light and days_overdue from the aliases _due, _start, _progress.

    Mirrors rules.work_status, rules.expected_progress and rules.light.
    """
    day = _day(as_of)
    status = Case(
        When(completed & Q(_due__isnull=True), then=Value(Status.COMPLETED_UNDATED)),
        When(completed & Q(completed_on__lte=F("_due")), then=Value(Status.COMPLETED_ON_TIME)),
        When(completed, then=Value(Status.COMPLETED_LATE)),
        When(_due__lt=as_of, then=Value(Status.OVERDUE)),
        When(started, then=Value(Status.IN_PROGRESS)),
        default=Value(Status.NOT_STARTED),
    )
    expected = Case(
        When(_due__isnull=True, then=Value(0)),
        When(_due__lte=as_of, then=Value(100)),
        When(Q(_start__gte=as_of) | Q(_start__gte=F("_due")), then=Value(0)),
        default=DayDiff(day, F("_start")) * 100 / DayDiff(F("_due"), F("_start")),
        output_field=IntegerField(),
    )
    return {
        "status": status,
        "expected_progress": expected,
        "light": Case(
            When(_due__isnull=True, then=Value(Light.GREY)),
            When(status=Status.OVERDUE, then=Value(Light.RED)),
            When(
                Q(status__in=[Status.NOT_STARTED, Status.IN_PROGRESS])
                & Q(expected_progress__gte=F("_progress") + AT_RISK_GAP),
                then=Value(Light.YELLOW),
            ),
            default=Value(Light.GREEN),
        ),
        "days_overdue": Case(
            When(status=Status.OVERDUE, then=DayDiff(day, F("_due"))),
            When(status=Status.COMPLETED_LATE, then=DayDiff(F("completed_on"), F("_due"))),
            default=Value(0),
            output_field=IntegerField(),
        ),
    }


def _extensions_granted_after(as_of: date) -> bool:
    return ExtensionRequest.objects.filter(
        decision=ExtensionRequest.Decision.APPROVED, decided_at__date__gt=as_of
    ).exists()


def _assignment_inputs(
    as_of: date, queryset: QuerySet, *, past: bool | None = None, moved: bool | None = None
) -> QuerySet:
    """Assignments that existed on the day, with the inputs of the rules there.

    Annotations: effective_due, span_start, progress_as_of (each may need a subquery).
    past (the day is before today) and moved (an extension was granted after the day)
    are worked out from the day unless given.
    """
    # A due date moved by an extension granted after the day still had its old value on the day.
    moved_later = (
        ExtensionRequest.objects.filter(
            assignment=OuterRef("pk"), decision=ExtensionRequest.Decision.APPROVED, decided_at__date__gt=as_of
        )
        .order_by("decided_at", "pk")
        .values("previous_due_date")[:1]
    )
    approved_by_then = (
        ProgressReport.objects.filter(
            assignment=OuterRef("pk"), review_state=ProgressReport.Review.APPROVED, reviewed_at__date__lte=as_of
        )
        .order_by("-reviewed_at", "-pk")
        .values("percent")[:1]
    )
    completed_later = Q(state=State.COMPLETED, completed_on__gt=as_of)
    if past is None:
        past = as_of < timezone.localdate()
    if moved is None:
        moved = _extensions_granted_after(as_of)
    if past:
        # Every assignment that exists now was made by today; only a past day leaves some out.
        queryset = queryset.alias(created_on=TruncDate("created_at")).filter(created_on__lte=as_of)
    due_dates = [F("due_date"), F("task__due_date")]
    # The look-up of a moved due date is left out when no extension was granted after the day (always
    # so for today), which makes today's status over a province's assignments several times cheaper.
    if moved:
        due_dates.insert(0, Subquery(moved_later, output_field=DateField()))
    return queryset.annotate(
        effective_due=Coalesce(*due_dates, output_field=DateField()),
        span_start=_span_start(as_of, task_path="task__", created_field="created_at"),
        progress_as_of=Case(
            When(completed_later, then=Coalesce(Subquery(approved_by_then, output_field=IntegerField()), Value(0))),
            default=F("progress"),
            output_field=IntegerField(),
        ),
    )


def _assignment_status(as_of: date, queryset: QuerySet) -> QuerySet:
    """The status expressions over a queryset that carries the inputs of _assignment_inputs."""
    completed = Q(state=State.COMPLETED, completed_on__lte=as_of)
    started = Q(state=State.IN_PROGRESS) | Q(_progress__gt=0)
    queryset = queryset.alias(_due=F("effective_due"), _start=F("span_start"), _progress=F("progress_as_of"))
    return queryset.annotate(**_status_expressions(as_of, completed=completed, started=started))


def assignments_as_of(as_of: date | None = None, queryset: QuerySet | None = None) -> QuerySet:
    """Assignments that existed on the day, annotated with their status there.

    Annotations: effective_due, span_start, progress_as_of, status, expected_progress, light, days_overdue.
    """
    as_of = as_of or timezone.localdate()
    queryset = Assignment.objects.all() if queryset is None else queryset
    return _assignment_status(as_of, _assignment_inputs(as_of, queryset))


def _task_status(as_of: date, queryset: QuerySet) -> QuerySet:
    """The status expressions over tasks that carry effective_due and span_start."""
    completed = Q(state=State.COMPLETED, completed_on__lte=as_of)
    started = Q(state=State.IN_PROGRESS) | Q(_progress__gt=0) | Q(state=State.COMPLETED)
    queryset = queryset.alias(_due=F("effective_due"), _start=F("span_start"), _progress=F("progress"))
    return queryset.annotate(**_status_expressions(as_of, completed=completed, started=started))


def _task_inputs(as_of: date, queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        effective_due=F("due_date"), span_start=_span_start(as_of, task_path="", created_field="created_at")
    )


def tasks_as_of(as_of: date | None = None, queryset: QuerySet | None = None) -> QuerySet:
    """Tasks annotated with their own status and light (the task follows its leads, see rules.task_work)."""
    as_of = as_of or timezone.localdate()
    queryset = Task.objects.all() if queryset is None else queryset
    return _task_status(as_of, _task_inputs(as_of, queryset))


def task_status_q(statuses, as_of: date | None = None) -> Q:
    """Tasks whose status on the day is one of these, as conditions on their stored columns.

    The same rules as tasks_as_of's status expression, written so that PostgreSQL can
    estimate them and use indexes (it cannot see into a CASE): filtering a province's
    tasks on the CASE scans and evaluates it for every row.
    """
    as_of = as_of or timezone.localdate()
    completed = Q(state=State.COMPLETED, completed_on__lte=as_of)
    overdue = ~completed & Q(due_date__lt=as_of)
    open_in_time = ~completed & ~Q(due_date__lt=as_of)
    started = Q(state__in=[State.IN_PROGRESS, State.COMPLETED]) | Q(progress__gt=0)
    conditions = {
        Status.COMPLETED_UNDATED: completed & Q(due_date__isnull=True),
        Status.COMPLETED_ON_TIME: completed & Q(completed_on__lte=F("due_date")),
        Status.COMPLETED_LATE: completed & Q(completed_on__gt=F("due_date")),
        Status.OVERDUE: overdue,
        Status.IN_PROGRESS: open_in_time & started,
        Status.NOT_STARTED: open_in_time & ~started,
    }
    query = Q(pk__in=[])
    for status in statuses:
        query |= conditions[Status(status)]
    return query


@dataclass
class PlanTally:
    total: int = 0
    completed: int = 0
    overdue: int = 0
    at_risk: int = 0
    undated: int = 0


def task_tallies_by_plan(as_of: date, tasks: QuerySet) -> dict[int, PlanTally]:
    """Each plan's tasks counted by status and light on the day, in one query.

    As in _live, the span start (two phase look-ups) is worked out once per task in a
    materialised CTE rather than wherever the light expression needs it.
    """
    inputs = CTE(
        _task_inputs(as_of, tasks)
        .values("plan_id", "state", "completed_on", "progress", "effective_due", "span_start")
        .order_by(),
        materialized=True,
    )
    rows = (
        _task_status(as_of, with_cte(inputs, select=inputs.queryset()))
        .values("plan_id")
        .annotate(
            total=Count("plan_id"),
            completed=Count("plan_id", filter=Q(status__in=rules.DONE)),
            overdue=Count("plan_id", filter=Q(status=Status.OVERDUE)),
            at_risk=Count("plan_id", filter=Q(light=Light.YELLOW)),
            undated=Count("plan_id", filter=Q(light=Light.GREY)),
        )
        .order_by()
        .values_list("plan_id", "total", "completed", "overdue", "at_risk", "undated")
    )
    return {plan_id: PlanTally(*counts) for plan_id, *counts in rows}


# ---------------------------------------------------------------------------
# Per-department counts

ROLES = ("all", "lead", "co")


class Counts(NamedTuple):
    """One department's counts (a tuple: a province makes some 200k of them at once)."""

    total: int = 0
    completed_on_time: int = 0
    completed_late: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0
    at_risk: int = 0
    overdue_days: int = 0
    completed_undated: int = 0  # done with no due date: completed, never on time
    undated: int = 0  # parts without a due date (grey light), done or not

    @property
    def completed(self) -> int:
        return self.completed_on_time + self.completed_late + self.completed_undated

    @property
    def completion_rate(self) -> float | None:
        return rules.completion_rate(total=self.total, completed=self.completed)

    @property
    def on_time_rate(self) -> float | None:
        return rules.on_time_rate(
            completed_on_time=self.completed_on_time, completed_late=self.completed_late, overdue=self.overdue
        )

    @property
    def light(self) -> Light:
        return rules.department_light(
            overdue=self.overdue, at_risk=self.at_risk, undated=self.undated, total=self.total
        )

    def as_dict(self) -> dict:
        return {
            **{name: getattr(self, name) for name in COUNTED},
            "completed": self.completed,
            "completion_rate": self.completion_rate,
            "on_time_rate": self.on_time_rate,
            "light": self.light.value,
        }


COUNTED = Counts._fields


@dataclass(frozen=True)
class DepartmentStatus:
    department_id: int
    department_name: str
    plan_id: int | None
    counts: dict[str, Counts] = field(default_factory=dict)  # by role: all, lead, co
    source: str = "live"  # live or snapshot

    @property
    def all(self) -> Counts:
        return self.counts["all"]


def _count_rows(*, as_of, plan_id, by_plan, department_ids, past: bool, moved: bool) -> QuerySet:
    """The counting query of _live: one row per department, [plan] and role."""
    queryset = Assignment.objects.all()
    if plan_id is not None:
        queryset = queryset.filter(task__plan_id=plan_id)
    if department_ids is not None:
        queryset = queryset.filter(department_id__in=department_ids)
    inputs = CTE(
        _assignment_inputs(as_of, queryset, past=past, moved=moved)
        .annotate(plan_id=F("task__plan_id"))
        .values(
            "department_id", "plan_id", "role", "state", "completed_on", "effective_due", "span_start", "progress_as_of"
        )
        .order_by(),
        materialized=True,
    )
    counts = {
        "total": Count("department_id"),
        **{status.value: Count("department_id", filter=Q(status=status)) for status in Status},
        "at_risk": Count("department_id", filter=Q(light=Light.YELLOW)),
        "undated": Count("department_id", filter=Q(light=Light.GREY)),
        "overdue_days": Coalesce(Sum("days_overdue"), 0),
    }
    keys = _count_keys(by_plan)
    return (
        _assignment_status(as_of, with_cte(inputs, select=inputs.queryset()))
        .values(*keys)
        .annotate(**counts)
        .order_by()
        .values_list(*keys, *COUNTED)
    )


def _count_keys(by_plan: bool) -> list[str]:
    return ["department_id", "department__name", *(["plan_id"] if by_plan else []), "role"]


# Stand-ins for the day and the plan in a prepared counting statement; they appear nowhere else.
_ANY_DAY = date(1, 1, 1)
_ANY_PLAN = -(2**62)
_prepared: dict[tuple, tuple[str, tuple]] = {}


def _count_statement(*, as_of, plan_id, by_plan, department_ids) -> tuple[str, list]:
    """The counting query's SQL and parameters.

    Building and compiling the rule expressions costs the ORM some 6 ms, more than the
    database takes for one plan; so on PostgreSQL the statement is compiled once per shape
    with stand-ins for the day and the plan, which are put in its parameters at each call.
    """
    past = as_of < timezone.localdate()
    moved = _extensions_granted_after(as_of)
    if department_ids is not None or connection.vendor != "postgresql":
        query = _count_rows(
            as_of=as_of, plan_id=plan_id, by_plan=by_plan, department_ids=department_ids, past=past, moved=moved
        )
        return query.query.sql_with_params()
    # The time zone goes into the statement (local dates of timestamps).
    shape = (by_plan, plan_id is not None, past, moved, timezone.get_current_timezone_name())
    if shape not in _prepared:
        query = _count_rows(
            as_of=_ANY_DAY,
            plan_id=None if plan_id is None else _ANY_PLAN,
            by_plan=by_plan,
            department_ids=None,
            past=past,
            moved=moved,
        )
        _prepared[shape] = query.query.sql_with_params()
    sql, params = _prepared[shape]
    return sql, [as_of if p == _ANY_DAY else plan_id if p == _ANY_PLAN else p for p in params]


def _live(*, as_of, plan, by_plan, department_ids) -> list[DepartmentStatus]:
    """Each department's counts by role, counted by the database in one query.

    The inputs that need subqueries (due date, span start, progress on the day)
    are worked out once per assignment in a materialised CTE; the rules and the
    counts then read plain columns of it, so the SQL stays small to plan
    whatever the number of counts.
    """
    plan_id = getattr(plan, "pk", plan)
    keys = _count_keys(by_plan)
    width = len(keys)
    try:
        sql, params = _count_statement(as_of=as_of, plan_id=plan_id, by_plan=by_plan, department_ids=department_ids)
    except EmptyResultSet:  # e.g. no departments to count
        return []
    # A cursor, not the queryset's iterator: a province returns some 90k rows of plain integers.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        data = cursor.fetchall()
    by_key: dict[tuple, dict[str, Counts]] = {}
    for row in data:
        key = (row[0], row[1], row[2] if by_plan else plan_id)
        roles = by_key.get(key)
        if roles is None:
            roles = by_key[key] = {}
        roles[row[width - 1]] = Counts._make(row[width:])
    empty = Counts()
    result = []
    for (dept, name, group_plan), roles in by_key.items():
        lead, co = roles.get("lead", empty), roles.get("co", empty)
        both = Counts._make(map(add, lead, co))
        result.append(DepartmentStatus(dept, name, group_plan, {"all": both, "lead": lead, "co": co}))
    result.sort(key=lambda status: (status.department_name, status.department_id, status.plan_id or 0))
    return result


def _snapshots(*, as_of, plan, by_plan, department_ids) -> list[DepartmentStatus] | None:
    day = DepartmentSnapshot.objects.filter(as_of=as_of)
    if not day.exists():
        return None
    if by_plan:
        day = day.filter(plan__isnull=False)
        if plan is not None:
            day = day.filter(plan=plan)
    else:
        day = day.filter(plan=plan) if plan is not None else day.filter(plan__isnull=True)
    if department_ids is not None:
        day = day.filter(department_id__in=department_ids)
    grouped: dict[tuple, dict] = {}
    names = {}
    for snap in day.select_related("department").order_by("department__name", "department_id", "plan_id"):
        key = (snap.department_id, snap.plan_id)
        names[key] = snap.department.name
        grouped.setdefault(key, {})[snap.role] = Counts(**{name: getattr(snap, name) for name in COUNTED})
    return [
        DepartmentStatus(dept, names[(dept, plan_id)], plan_id, {r: counts.get(r, Counts()) for r in ROLES}, "snapshot")
        for (dept, plan_id), counts in grouped.items()
    ]


def department_status(
    *, as_of: date | None = None, plan=None, by_plan: bool = False, department_ids=None, live: bool = False
) -> list[DepartmentStatus]:
    """Each department's counts on the day, for one plan, across plans, or per plan (by_plan).

    Today (and any day without a snapshot) is computed live; a past day with
    a snapshot is read from it unless live=True.
    """
    today = timezone.localdate()
    as_of = as_of or today
    if as_of < today and not live:
        stored = _snapshots(as_of=as_of, plan=plan, by_plan=by_plan, department_ids=department_ids)
        if stored is not None:
            return stored
    return _live(as_of=as_of, plan=plan, by_plan=by_plan, department_ids=department_ids)


def overdue_assignments(*, as_of: date | None = None, plan=None, department_ids=None) -> QuerySet:
    """The overdue list of a supervision report: longest overdue first."""
    queryset = Assignment.objects.select_related("task", "task__plan", "department")
    if plan is not None:
        queryset = queryset.filter(task__plan=plan)
    if department_ids is not None:
        queryset = queryset.filter(department_id__in=department_ids)
    as_of = as_of or timezone.localdate()
    if as_of >= timezone.localdate():
        # Live: no extension can be decided after the day yet, so the stored columns already say who
        # can be overdue; filtering on them first spares the status expression most rows.
        queryset = queryset.exclude(state=State.COMPLETED).filter(
            Q(due_date__lt=as_of) | Q(due_date__isnull=True, task__due_date__lt=as_of)
        )
    return (
        assignments_as_of(as_of, queryset)
        .filter(status=Status.OVERDUE)
        .order_by("-days_overdue", "department__name", "task_id")
    )


def overdue_head(*, as_of: date | None = None, limit: int) -> tuple[list[Assignment], int]:
    """The longest-overdue assignments and how many are overdue in all.

    The order and the count need only the due dates, so they come from one pass
    that leaves the costlier columns (light, span start) out; those are worked out
    for the few rows shown.
    """
    as_of = as_of or timezone.localdate()
    head = list(overdue_assignments(as_of=as_of).annotate(total=Window(Count("pk"))).values_list("pk", "total")[:limit])
    if not head:
        return [], 0
    ids = [pk for pk, _ in head]
    rows = assignments_as_of(
        as_of, Assignment.objects.filter(pk__in=ids).select_related("task", "task__plan", "department")
    ).in_bulk()
    return [rows[pk] for pk in ids], head[0][1]


def undated_head(*, limit: int) -> tuple[list[Task], int]:
    """Open tasks of active plans without a due date (无时限), and how many there are.

    Those never given a date come first (they need one, or a 长期 / 按周期报送 marking); then
    the ones marked so, by plan and clause.
    """
    undated = Task.objects.filter(plan__status=Plan.Status.ACTIVE, due_date__isnull=True).exclude(state=State.COMPLETED)
    head = (
        undated.select_related("plan", "clause")
        .annotate(needs_date=Case(When(due_kind=DueKind.DATED, then=Value(0)), default=Value(1)))
        .order_by("needs_date", "plan__title", "plan_id", "clause__position", "pk")[:limit]
    )
    return list(head), undated.count()


def plan_rows(plans, today: date, tasks=None) -> list[dict]:
    """Each plan with its task counts, completion rate and light on the day (one grouped query)."""
    plans = list(plans)
    tasks = (tasks if tasks is not None else Task.objects.all()).filter(plan__in=plans)
    tallies = task_tallies_by_plan(today, tasks)
    rows = []
    for plan in plans:
        t = tallies.get(plan.pk, PlanTally())
        rows.append(
            {
                "plan": plan,
                **asdict(t),
                "completion_rate": rules.completion_rate(total=t.total, completed=t.completed),
                "light": rules.department_light(
                    overdue=t.overdue, at_risk=t.at_risk, undated=t.undated, total=t.total
                ).value
                if t.total
                else "",
            }
        )
    return rows
