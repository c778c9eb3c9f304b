"""The reporting calendar: when a task's progress reports fall due (Task.reporting_cadence).

One definition for the reminders (notifications.sweep), the scorecard (supervision.scorecard)
and the task page, so that a report the reminders chase as late is also scored late.

- Periods follow each other without gap or overlap, and each ends on its due day:
  a report submitted within a period, its due day included, is on time for it.
- weekly: Saturday to Friday, due on Friday, the last working day of an ordinary week.
- monthly: the calendar month, due on its last day.
- quarterly: due 31 March, 30 June, 30 September and 31 December.
- semester: the two school terms. 春季学期 runs 1 February – 31 July and 秋季学期
  1 August – 31 January, so that each ends with its term, before the summer and the
  winter holidays; due 31 July and 31 January. August, before the autumn term opens,
  belongs to it: a spring report filed in August is late.
- yearly: the calendar year, due 31 December.
- Late window: a report still missing on its period's due day may be filed, late,
  until the next period's due day; after that it is missing. The reminders chase it
  over the same window, and one report filed within it is late for the period before
  and on time for its own.
"""

from datetime import date, timedelta
from typing import NamedTuple

from core.dates import month_end
from tasks.models import ReportingCadence

FRIDAY = 4

_DUE_MONTHS = {
    ReportingCadence.MONTHLY: tuple(range(1, 13)),
    ReportingCadence.QUARTERLY: (3, 6, 9, 12),
    ReportingCadence.SEMESTER: (1, 7),
    ReportingCadence.YEARLY: (12,),
}

_ONE_DAY = timedelta(days=1)


class Period(NamedTuple):
    first: date
    due: date


def has_periods(cadence: str) -> bool:
    return cadence == ReportingCadence.WEEKLY or cadence in _DUE_MONTHS


def period_of(cadence: str, day: date) -> Period:
    """The period holding day."""
    if cadence == ReportingCadence.WEEKLY:
        due = day + timedelta(days=(FRIDAY - day.weekday()) % 7)
        return Period(due - timedelta(days=6), due)
    months = _DUE_MONTHS.get(cadence)
    if months is None:
        raise ValueError(f"no reporting periods for cadence {cadence!r}")
    year, month = day.year, day.month
    later = [m for m in months if m >= month]
    earlier = [m for m in months if m < month]
    due = month_end(year, later[0]) if later else month_end(year + 1, months[0])
    previous_due = month_end(year, earlier[-1]) if earlier else month_end(year - 1, months[-1])
    return Period(previous_due + _ONE_DAY, due)


def next_period(cadence: str, period: Period) -> Period:
    return period_of(cadence, period.due + _ONE_DAY)


def late_until(cadence: str, period: Period) -> date:
    """The last day a period's report counts as late rather than missing."""
    return next_period(cadence, period).due


def due_on_or_after(cadence: str, day: date) -> date | None:
    """The due day of the period holding day; None for a cadence without reports."""
    return period_of(cadence, day).due if has_periods(cadence) else None


def due_before(cadence: str, day: date) -> date | None:
    """The latest due day strictly before day; None for a cadence without reports."""
    return period_of(cadence, day).first - _ONE_DAY if has_periods(cadence) else None


def periods_due(cadence: str, *, start: date, until: date) -> list[Period]:
    """The periods from the one holding start whose due day is before until: their report is owed."""
    if not has_periods(cadence):
        return []
    periods = []
    period = period_of(cadence, start)
    while period.due < until:
        periods.append(period)
        period = next_period(cadence, period)
    return periods
