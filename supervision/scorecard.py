"""Department scorecards and ranking (督查通报排名); docs/status.md states the formula and weights.

score = on_time_rate·w_on_time + completion_rate·w_completion + reporting_rate·w_reporting   (rates as fractions)
        − overdue_days·p_overdue_day − extensions·p_extension − reminders·p_reminder − chases·p_chase

Weights come from settings.DUBAN_SCORECARD_WEIGHTS (any subset), over DEFAULT_WEIGHTS.
Same score, same rank; within a rank, departments are ordered by name.
"""

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.db import plain_rows
from notifications.counts import reminder_counts_by_department
from tasks import reporting_calendar
from tasks.models import Assignment, ExtensionRequest, Phase, ProgressReport, ReportingCadence
from tasks.rules import State, span_start
from tasks.selectors import Counts, DepartmentStatus, department_status

DEFAULT_WEIGHTS = {
    "on_time_rate": 40.0,  # points for an on-time rate of 100%
    "completion_rate": 30.0,  # points for a completion rate of 100%
    "reporting_rate": 30.0,  # points for every due progress report filed on time
    "late_report_credit": 0.5,  # a late report counts as this share of an on-time one
    "overdue_day": 0.1,  # points off per day overdue (open or completed late), summed over assignments
    "extension": 1.0,  # points off per extension granted
    "reminder": 0.2,  # points off per automatic reminder sent after the due date
    "chase": 1.0,  # points off per manual 催办
}


def weights() -> dict[str, float]:
    return {**DEFAULT_WEIGHTS, **getattr(settings, "DUBAN_SCORECARD_WEIGHTS", {})}


# ---------------------------------------------------------------------------
# Progress reports against the reporting calendar (tasks.reporting_calendar)


@dataclass(frozen=True)
class Filing:
    on_time: int = 0
    late: int = 0
    missing: int = 0

    def __add__(self, other):
        return Filing(self.on_time + other.on_time, self.late + other.late, self.missing + other.missing)

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.missing


def filing_counts(cadence: str, start: date, until: date, report_days) -> tuple[int, int, int]:
    """(on time, late, missing): each period due is on time with a report inside it, late with one
    inside its late window, else missing."""
    firsts, lasts, beyond = _periods(cadence, start, until)
    if not firsts:
        return 0, 0, 0
    periods = len(firsts)
    if not report_days:
        return 0, 0, periods
    # Periods are consecutive: a report day falls in at most one of them, or in the one after the last.
    filed = set()
    for day in report_days:
        index = bisect_left(lasts, day)
        if index < periods:
            if firsts[index] <= day:
                filed.add(index)
        elif day <= beyond:
            filed.add(index)
    on_time = sum(1 for i in filed if i < periods)
    late = sum(1 for i in filed if 0 < i <= periods and i - 1 not in filed)
    return on_time, late, periods - on_time - late


@lru_cache(maxsize=65536)
def _periods(cadence: str, start: date, until: date) -> tuple[tuple[date, ...], tuple[date, ...], date | None]:
    """The due periods' first and due days, and the end of the last one's late window."""
    periods = reporting_calendar.periods_due(cadence, start=start, until=until)
    if not periods:
        return (), (), None
    beyond = reporting_calendar.late_until(cadence, periods[-1])
    return tuple(p.first for p in periods), tuple(p.due for p in periods), beyond


def report_filing(*, as_of: date, plan=None, department_ids=None) -> dict[int, Filing]:
    """Per department: due progress reports filed on time, late, missing, as of the day.

    Reports are due for periods that ended before the day, from the start of the
    assignment's span until it was completed. Three queries fetch plain values
    (local dates worked out by the database); the periods of each (cadence, start,
    end) are worked out once, and each assignment's reports are placed among them
    by bisection, so a province's 100k assignments cost no model instances and no
    walk over every period of every assignment.
    """
    # Nothing can have been made or reported after today, so only a past day needs the date filters.
    past = as_of < timezone.localdate()
    assignments = Assignment.objects.exclude(task__reporting_cadence=ReportingCadence.NONE)
    if past:
        assignments = assignments.filter(created_at__date__lte=as_of)
    if plan is not None:
        assignments = assignments.filter(task__plan=plan)
    if department_ids is not None:
        assignments = assignments.filter(department_id__in=department_ids)
    phase_starts = defaultdict(list)
    for task_id, start_date in Phase.objects.filter(
        task__in=assignments.filter(task__start_date__isnull=True).values("task_id"), start_date__isnull=False
    ).values_list("task_id", "start_date"):
        phase_starts[task_id].append(start_date)
    report_days = defaultdict(list)
    reports = ProgressReport.objects.filter(assignment__in=assignments.values("pk"))
    if past:
        reports = reports.filter(submitted_at__date__lte=as_of)
    for assignment_id, day in plain_rows(
        reports.annotate(day=TruncDate("submitted_at")).values_list("assignment_id", "day")
    ):
        report_days[assignment_id].append(day)
    rows = assignments.annotate(created_on=TruncDate("created_at")).values_list(
        "pk",
        "department_id",
        "state",
        "completed_on",
        "created_on",
        "task_id",
        "task__start_date",
        "task__plan__issued_on",
        "task__reporting_cadence",
    )
    tallies: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    no_phases, no_reports = [], ()
    for pk, department_id, state, completed_on, created_on, task_id, task_start, issued_on, cadence in plain_rows(rows):
        start = task_start or span_start(
            task_start=None,
            phase_starts=phase_starts.get(task_id, no_phases),
            plan_issued_on=issued_on,
            created_on=created_on,
            today=as_of,
        )
        until = as_of
        if state == State.COMPLETED and completed_on <= as_of:
            # Nothing more to report once done; the period of completion still needed its report.
            until = min(until, reporting_calendar.period_of(cadence, completed_on).due + timedelta(days=1))
        on_time, late, missing = filing_counts(cadence, start, until, report_days.get(pk, no_reports))
        tally = tallies[department_id]
        tally[0] += on_time
        tally[1] += late
        tally[2] += missing
    return {department_id: Filing(*tally) for department_id, tally in tallies.items()}


# ---------------------------------------------------------------------------
# The scorecard


@dataclass
class Scorecard:
    department_id: int
    department_name: str
    counts: dict[str, Counts]
    extensions: int
    reminders: int
    chases: int
    reports: Filing
    score: float
    rank: int = 0

    @property
    def reporting_rate(self) -> float | None:
        if not self.reports.due:
            return None
        credit = weights()["late_report_credit"]
        return round(100 * (self.reports.on_time + credit * self.reports.late) / self.reports.due, 1)

    def as_dict(self) -> dict:
        return {
            "department_id": self.department_id,
            "department": self.department_name,
            "rank": self.rank,
            "score": self.score,
            **self.counts["all"].as_dict(),
            "lead": self.counts["lead"].as_dict(),
            "co": self.counts["co"].as_dict(),
            "extensions": self.extensions,
            "reminders": self.reminders,
            "chases": self.chases,
            "reports_on_time": self.reports.on_time,
            "reports_late": self.reports.late,
            "reports_missing": self.reports.missing,
            "reporting_rate": self.reporting_rate,
        }


def score_of(*, counts: Counts, reports: Filing, extensions: int, reminders: int, chases: int) -> float:
    w = weights()
    # Nothing due yet is nothing late: a missing rate counts as full marks, not zero.
    on_time = 100.0 if counts.on_time_rate is None else counts.on_time_rate
    completion = counts.completion_rate or 0.0
    reporting = 100.0
    if reports.due:
        reporting = 100 * (reports.on_time + w["late_report_credit"] * reports.late) / reports.due
    score = (
        w["on_time_rate"] * on_time / 100
        + w["completion_rate"] * completion / 100
        + w["reporting_rate"] * reporting / 100
        - w["overdue_day"] * counts.overdue_days
        - w["extension"] * extensions
        - w["reminder"] * reminders
        - w["chase"] * chases
    )
    return round(score, 2)


def rank(cards: list[Scorecard]) -> list[Scorecard]:
    """Competition ranking: equal scores share a rank, the next rank skips; ties in name order."""
    cards = sorted(cards, key=lambda c: (-c.score, c.department_name, c.department_id))
    for position, card in enumerate(cards, start=1):
        card.rank = cards[position - 2].rank if position > 1 and cards[position - 2].score == card.score else position
    return cards


def extensions_granted(*, as_of: date, since: date | None, plan=None, department_ids=None) -> dict[int, int]:
    queryset = ExtensionRequest.objects.filter(decision=ExtensionRequest.Decision.APPROVED, decided_at__date__lte=as_of)
    if since is not None:
        queryset = queryset.filter(decided_at__date__gte=since)
    if plan is not None:
        queryset = queryset.filter(assignment__task__plan=plan)
    if department_ids is not None:
        queryset = queryset.filter(assignment__department_id__in=department_ids)
    rows = queryset.values("assignment__department_id").annotate(n=Count("pk"))
    return {row["assignment__department_id"]: row["n"] for row in rows}


def department_scorecards(
    *, as_of: date | None = None, plan=None, since: date | None = None, department_ids=None
) -> list[Scorecard]:
    """Scorecards of every department with work in scope, ranked.

    Counts and rates are as of the day (from the snapshot for a past day that
    has one); extensions, reminders and 催办 are those in [since, as_of].
    """
    as_of = as_of or timezone.localdate()
    statuses: list[DepartmentStatus] = department_status(as_of=as_of, plan=plan, department_ids=department_ids)
    ids = [s.department_id for s in statuses]
    extensions = extensions_granted(as_of=as_of, since=since, plan=plan, department_ids=ids)
    filings = report_filing(as_of=as_of, plan=plan, department_ids=ids)
    nudges = reminder_counts_by_department(
        department_ids=ids, plan_id=getattr(plan, "pk", plan), since=since, until=as_of
    )
    cards = []
    for status in statuses:
        dept = status.department_id
        counts = status.all
        reports = filings.get(dept, Filing())
        n_ext = extensions.get(dept, 0)
        n_rem = nudges.get(dept, {}).get("reminders", 0)
        n_chase = nudges.get(dept, {}).get("chases", 0)
        cards.append(
            Scorecard(
                department_id=dept,
                department_name=status.department_name,
                counts=status.counts,
                extensions=n_ext,
                reminders=n_rem,
                chases=n_chase,
                reports=reports,
                score=score_of(counts=counts, reports=reports, extensions=n_ext, reminders=n_rem, chases=n_chase),
            )
        )
    return rank(cards)
