"""The reporting calendar's periods, due days and late windows, for every cadence, across year ends and both terms."""

from datetime import date, timedelta

import pytest

from core.dates import month_end
from tasks.models import ReportingCadence
from tasks.reporting_calendar import (
    Period,
    due_before,
    due_on_or_after,
    late_until,
    period_of,
    periods_due,
)

D = date

PERIOD_OF = [
    # weekly: Saturday to Friday, due on Friday
    ("weekly", D(2026, 10, 14), D(2026, 10, 10), D(2026, 10, 16)),
    ("weekly", D(2026, 10, 16), D(2026, 10, 10), D(2026, 10, 16)),
    ("weekly", D(2026, 10, 17), D(2026, 10, 17), D(2026, 10, 23)),
    ("weekly", D(2026, 12, 31), D(2026, 12, 26), D(2027, 1, 1)),
    # monthly, a leap February among them
    ("monthly", D(2026, 10, 15), D(2026, 10, 1), D(2026, 10, 31)),
    ("monthly", D(2026, 10, 31), D(2026, 10, 1), D(2026, 10, 31)),
    ("monthly", D(2026, 12, 15), D(2026, 12, 1), D(2026, 12, 31)),
    ("monthly", D(2027, 1, 1), D(2027, 1, 1), D(2027, 1, 31)),
    ("monthly", D(2028, 2, 10), D(2028, 2, 1), D(2028, 2, 29)),
    # quarterly
    ("quarterly", D(2026, 10, 1), D(2026, 10, 1), D(2026, 12, 31)),
    ("quarterly", D(2026, 5, 20), D(2026, 4, 1), D(2026, 6, 30)),
    ("quarterly", D(2026, 12, 31), D(2026, 10, 1), D(2026, 12, 31)),
    ("quarterly", D(2027, 1, 1), D(2027, 1, 1), D(2027, 3, 31)),
    # semester: 春季学期 1 Feb – 31 Jul, 秋季学期 1 Aug – 31 Jan (across the year end)
    ("semester", D(2026, 1, 10), D(2025, 8, 1), D(2026, 1, 31)),
    ("semester", D(2026, 1, 31), D(2025, 8, 1), D(2026, 1, 31)),
    ("semester", D(2026, 2, 1), D(2026, 2, 1), D(2026, 7, 31)),
    ("semester", D(2026, 3, 1), D(2026, 2, 1), D(2026, 7, 31)),
    ("semester", D(2026, 7, 31), D(2026, 2, 1), D(2026, 7, 31)),
    ("semester", D(2026, 8, 15), D(2026, 8, 1), D(2027, 1, 31)),
    ("semester", D(2026, 12, 31), D(2026, 8, 1), D(2027, 1, 31)),
    # yearly
    ("yearly", D(2026, 1, 1), D(2026, 1, 1), D(2026, 12, 31)),
    ("yearly", D(2026, 12, 31), D(2026, 1, 1), D(2026, 12, 31)),
    ("yearly", D(2027, 1, 1), D(2027, 1, 1), D(2027, 12, 31)),
]


@pytest.mark.parametrize(("cadence", "day", "first", "due"), PERIOD_OF)
def test_the_period_holding_a_day_runs_from_the_day_after_the_previous_due_day_to_its_own(cadence, day, first, due):
    assert period_of(cadence, day) == Period(first, due)
    assert due_on_or_after(cadence, day) == due
    assert due_before(cadence, day) == first - timedelta(days=1)


LATE_UNTIL = [
    ("weekly", Period(D(2026, 12, 26), D(2027, 1, 1)), D(2027, 1, 8)),
    ("monthly", Period(D(2026, 12, 1), D(2026, 12, 31)), D(2027, 1, 31)),
    ("monthly", Period(D(2028, 1, 1), D(2028, 1, 31)), D(2028, 2, 29)),
    ("quarterly", Period(D(2026, 10, 1), D(2026, 12, 31)), D(2027, 3, 31)),
    ("semester", Period(D(2026, 2, 1), D(2026, 7, 31)), D(2027, 1, 31)),
    ("semester", Period(D(2026, 8, 1), D(2027, 1, 31)), D(2027, 7, 31)),
    ("yearly", Period(D(2026, 1, 1), D(2026, 12, 31)), D(2027, 12, 31)),
]


@pytest.mark.parametrize(("cadence", "period", "last_late_day"), LATE_UNTIL)
def test_a_missing_report_may_be_filed_late_until_the_next_period_falls_due(cadence, period, last_late_day):
    assert late_until(cadence, period) == last_late_day


PERIODS_DUE = [
    ("weekly", D(2026, 12, 23), D(2027, 1, 8), [(D(2026, 12, 19), D(2026, 12, 25)), (D(2026, 12, 26), D(2027, 1, 1))]),
    (
        "monthly",
        D(2026, 11, 10),
        D(2027, 1, 31),
        [(D(2026, 11, 1), D(2026, 11, 30)), (D(2026, 12, 1), D(2026, 12, 31))],
    ),
    ("quarterly", D(2026, 8, 1), D(2027, 1, 1), [(D(2026, 7, 1), D(2026, 9, 30)), (D(2026, 10, 1), D(2026, 12, 31))]),
    (
        "semester",
        D(2026, 1, 5),
        D(2027, 2, 1),
        [(D(2025, 8, 1), D(2026, 1, 31)), (D(2026, 2, 1), D(2026, 7, 31)), (D(2026, 8, 1), D(2027, 1, 31))],
    ),
    ("semester", D(2026, 3, 1), D(2026, 8, 15), [(D(2026, 2, 1), D(2026, 7, 31))]),
    ("yearly", D(2025, 5, 1), D(2026, 12, 31), [(D(2025, 1, 1), D(2025, 12, 31))]),
    ("none", D(2025, 5, 1), D(2026, 12, 31), []),
]


@pytest.mark.parametrize(("cadence", "start", "until", "expected"), PERIODS_DUE)
def test_reports_are_owed_for_the_periods_from_the_start_that_fell_due_before_the_day(cadence, start, until, expected):
    assert periods_due(cadence, start=start, until=until) == expected


def test_a_cadence_without_reports_has_no_due_days():
    assert (due_on_or_after("none", D(2026, 8, 15)), due_before("none", D(2026, 8, 15))) == (None, None)
    with pytest.raises(ValueError):
        period_of("none", D(2026, 8, 15))


@pytest.mark.parametrize("cadence", [c for c in ReportingCadence.values if c != ReportingCadence.NONE])
def test_periods_follow_each_other_without_gap_and_each_holds_its_days(cadence):
    day, end = D(2025, 7, 1), D(2027, 3, 1)
    while day <= end:
        period = period_of(cadence, day)
        assert period.first <= day <= period.due
        assert period_of(cadence, period.due + timedelta(days=1)).first == period.due + timedelta(days=1)
        day += timedelta(days=1)


def test_month_end_knows_leap_years():
    assert [month_end(2026, 2), month_end(2028, 2), month_end(2026, 12)] == [
        D(2026, 2, 28),
        D(2028, 2, 29),
        D(2026, 12, 31),
    ]
