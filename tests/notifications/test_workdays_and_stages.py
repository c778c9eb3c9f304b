import logging
from datetime import date

import pytest

from notifications.rules import Stage, acknowledgement_stage, deadline_stage
from notifications.workdays import calendar_covers, is_working_day, working_days_after


@pytest.mark.parametrize(
    "day, working",
    [
        (date(2026, 9, 25), False),  # Mid-Autumn Festival, a Friday
        (date(2026, 9, 30), True),  # Wednesday before the holiday
        (date(2026, 10, 1), False),  # National Day
        (date(2026, 10, 7), False),  # last day of the holiday week, a Wednesday
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),  # Saturday made a working day (调休)
        (date(2026, 10, 11), False),  # ordinary Sunday
        (date(2026, 9, 20), True),  # Sunday made a working day (调休)
    ],
)
def test_working_days_follow_the_2026_national_day_arrangement(day, working):
    assert is_working_day(day) is working


def test_a_year_the_calendar_does_not_cover_falls_back_to_monday_to_friday(caplog):
    calendar_covers.cache_clear()
    with caplog.at_level(logging.WARNING, logger="notifications.workdays"):
        assert is_working_day(date(2030, 10, 1)) is True  # a Tuesday; the real holiday is unknown yet
        assert is_working_day(date(2030, 10, 5)) is False  # a Saturday
    assert not calendar_covers(2030)
    assert "2030" in caplog.text


def test_working_days_after_skips_the_holiday_week():
    # Sept 30 → Oct 12: Oct 8, 9, 10 (Saturday 调休) and 12.
    assert working_days_after(date(2026, 9, 30), date(2026, 10, 12)) == 4
    assert working_days_after(date(2026, 10, 12), date(2026, 10, 12)) == 0


BEFORE = dict(before_days=[7, 3, 1, 0], overdue_every=1, head_after=3, supervisors_after=7)


@pytest.mark.parametrize(
    "today, expected",
    [
        (date(2026, 9, 24), Stage(overdue=False, days=7)),
        (date(2026, 9, 25), None),  # Mid-Autumn Festival
        (date(2026, 9, 28), None),  # 6 working days left
        (date(2026, 10, 8), Stage(overdue=False, days=3)),
        (date(2026, 10, 9), None),  # 2 left
        (date(2026, 10, 10), Stage(overdue=False, days=1)),  # the 调休 Saturday
        (date(2026, 10, 11), None),  # Sunday: nothing is sent
        (date(2026, 10, 12), Stage(overdue=False, days=0)),
        (date(2026, 10, 13), Stage(overdue=True, days=1)),
        (date(2026, 10, 15), Stage(overdue=True, days=3, to_head=True)),
        (date(2026, 10, 17), None),  # Saturday
        (date(2026, 10, 21), Stage(overdue=True, days=7, to_head=True, to_supervisors=True, first_to_supervisors=True)),
        (date(2026, 10, 22), Stage(overdue=True, days=8, to_head=True, to_supervisors=True)),
    ],
)
def test_deadline_stage_on_each_day_around_a_due_date_after_national_day(today, expected):
    assert deadline_stage(deadline=date(2026, 10, 12), today=today, **BEFORE) == expected


def test_deadline_on_a_holiday_is_due_on_the_last_working_day_before_it():
    assert deadline_stage(deadline=date(2026, 10, 3), today=date(2026, 9, 30), **BEFORE) == Stage(False, 0)
    assert deadline_stage(deadline=date(2026, 10, 3), today=date(2026, 10, 8), **BEFORE) == Stage(True, 1)


def test_overdue_reminders_follow_the_policy_interval():
    days = [date(2026, 10, d) for d in (13, 14, 15, 16, 19)]
    stages = [deadline_stage(deadline=date(2026, 10, 12), today=d, before_days=[], overdue_every=2) for d in days]
    assert [s.days if s else None for s in stages] == [1, None, 3, None, 5]


def test_the_first_reminder_at_or_past_the_supervisors_threshold_is_the_one_that_reaches_them():
    # Every 2 working days from the first: days 1, 3, 5, 7, 9 overdue. With the threshold at 6 the
    # supervisors first hear of it on day 7; with it at 7, on day 7 too.
    days = [date(2026, 10, d) for d in (13, 15, 19, 21, 23)]
    for threshold in (6, 7):
        stages = [
            deadline_stage(
                deadline=date(2026, 10, 12), today=d, before_days=[], overdue_every=2, supervisors_after=threshold
            )
            for d in days
        ]
        assert [(s.days, s.to_supervisors, s.first_to_supervisors) for s in stages] == [
            (1, False, False),
            (3, False, False),
            (5, False, False),
            (7, True, True),
            (9, True, False),
        ]


def test_phase_ends_are_not_chased_after_the_date():
    assert deadline_stage(deadline=date(2026, 10, 12), today=date(2026, 10, 13), **BEFORE)
    stage = deadline_stage(deadline=date(2026, 10, 12), today=date(2026, 10, 13), before_days=[1], overdue_every=None)
    assert stage is None


def test_acknowledgement_is_asked_then_chased_and_put_before_supervisors():
    made = date(2026, 10, 9)
    asked = acknowledgement_stage(assigned_on=made, today=date(2026, 10, 10), within=2, overdue_every=1)
    late = acknowledgement_stage(assigned_on=made, today=date(2026, 10, 12), within=2, overdue_every=1)
    assert asked == Stage(overdue=False, days=1)
    assert late == Stage(overdue=True, days=2, to_supervisors=True)
