"""Progress-report due dates for a task's reporting cadence (Task.reporting_cadence).

A report is due on the last day of its period: Friday for weekly reports, the
month's last day for monthly, 31 March / 30 June / 30 September / 31 December for
quarterly, 31 January and 31 July (the end of each school semester) for
semester reports, 31 December for yearly ones.
"""

import calendar
from datetime import date, timedelta

from tasks.models import ReportingCadence

_PERIOD_END_MONTHS = {
    ReportingCadence.MONTHLY: tuple(range(1, 13)),
    ReportingCadence.QUARTERLY: (3, 6, 9, 12),
    ReportingCadence.SEMESTER: (1, 7),
    ReportingCadence.YEARLY: (12,),
}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def report_due_on_or_after(cadence: str, day: date) -> date | None:
    if cadence == ReportingCadence.WEEKLY:
        return day + timedelta(days=(4 - day.weekday()) % 7)
    months = _PERIOD_END_MONTHS.get(cadence)
    if not months:
        return None
    year, month = day.year, day.month
    while month not in months:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return _month_end(year, month)


def report_due_before(cadence: str, day: date) -> date | None:
    """The latest report due date strictly before day."""
    if cadence == ReportingCadence.WEEKLY:
        return day - timedelta(days=(day.weekday() - 4) % 7 or 7)
    months = _PERIOD_END_MONTHS.get(cadence)
    if not months:
        return None
    year, month = (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)
    while month not in months:
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return _month_end(year, month)
