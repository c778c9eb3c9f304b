from datetime import date

import pytest

from tasks.rules import (
    AT_RISK_GAP,
    LIGHT_LABELS,
    STATUS_LABELS,
    LeadWork,
    Light,
    State,
    Status,
    department_light,
    expected_progress,
    light,
    on_time_rate,
    task_work,
    work_status,
)

D = date
TODAY = D(2026, 6, 15)


@pytest.mark.parametrize(
    ("state", "progress", "due", "completed_on", "expected"),
    [
        # not started, no due date
        (State.NOT_STARTED, 0, None, None, Status.NOT_STARTED),
        # due today is not overdue
        (State.NOT_STARTED, 0, TODAY, None, Status.NOT_STARTED),
        (State.IN_PROGRESS, 40, TODAY, None, Status.IN_PROGRESS),
        # due yesterday, not done
        (State.NOT_STARTED, 0, D(2026, 6, 14), None, Status.OVERDUE),
        (State.IN_PROGRESS, 90, D(2026, 6, 14), None, Status.OVERDUE),
        # progress reported without the state moving still counts as started
        (State.NOT_STARTED, 10, D(2026, 7, 1), None, Status.IN_PROGRESS),
        # completed on the due date is on time
        (State.COMPLETED, 100, D(2026, 6, 14), D(2026, 6, 14), Status.COMPLETED_ON_TIME),
        # completed after due is late, and stays late whatever today is
        (State.COMPLETED, 100, D(2026, 6, 1), D(2026, 6, 2), Status.COMPLETED_LATE),
        # completed with no due date is done, and never on time: there was no time to keep
        (State.COMPLETED, 100, None, D(2026, 6, 2), Status.COMPLETED_UNDATED),
        # open work with no due date is never overdue
        (State.IN_PROGRESS, 30, None, None, Status.IN_PROGRESS),
        # completed before a future due date
        (State.COMPLETED, 100, D(2026, 12, 31), D(2026, 6, 2), Status.COMPLETED_ON_TIME),
    ],
)
def test_work_status_table(state, progress, due, completed_on, expected):
    assert work_status(state=state, progress=progress, due=due, completed_on=completed_on, today=TODAY) == expected


@pytest.mark.parametrize(
    ("start", "due", "today", "expected"),
    [
        (D(2026, 1, 1), D(2026, 1, 11), D(2026, 1, 6), 50),
        (D(2026, 1, 1), D(2026, 1, 11), D(2025, 12, 1), 0),
        (D(2026, 1, 1), D(2026, 1, 11), D(2026, 1, 11), 100),
        (D(2026, 1, 1), D(2026, 1, 11), D(2026, 2, 1), 100),
        (None, D(2026, 1, 11), D(2026, 1, 6), 0),
        (D(2026, 1, 1), None, D(2026, 1, 6), 0),
        # a span of zero days: nothing is expected before the day, everything on it
        (D(2026, 1, 1), D(2026, 1, 1), D(2025, 12, 31), 0),
    ],
)
def test_expected_progress_is_elapsed_share(start, due, today, expected):
    assert expected_progress(start=start, due=due, today=today) == expected


@pytest.mark.parametrize(
    ("state", "progress", "start", "due", "completed_on", "expected"),
    [
        # overdue is red
        (State.IN_PROGRESS, 95, D(2026, 1, 1), D(2026, 6, 14), None, Light.RED),
        # half the span gone, progress just within the gap: green
        (State.IN_PROGRESS, 50 - AT_RISK_GAP + 1, D(2026, 6, 5), D(2026, 6, 25), None, Light.GREEN),
        # half the span gone, progress exactly the gap behind: yellow
        (State.IN_PROGRESS, 50 - AT_RISK_GAP, D(2026, 6, 5), D(2026, 6, 25), None, Light.YELLOW),
        # nothing done with the due date today: yellow (schedule expects 100), not red
        (State.NOT_STARTED, 0, D(2026, 6, 1), TODAY, None, Light.YELLOW),
        # completed late is done: green (lateness is counted by status, not the light)
        (State.COMPLETED, 100, D(2026, 1, 1), D(2026, 6, 1), D(2026, 6, 10), Light.GREEN),
        # early in the span, nothing done yet: green
        (State.NOT_STARTED, 0, D(2026, 6, 14), D(2026, 12, 31), None, Light.GREEN),
        # no due date (无时限, 长期, 按周期报送): grey, never green, whatever the state
        (State.NOT_STARTED, 0, D(2020, 1, 1), None, None, Light.GREY),
        (State.IN_PROGRESS, 60, D(2026, 1, 1), None, None, Light.GREY),
        (State.COMPLETED, 100, D(2026, 1, 1), None, D(2026, 6, 1), Light.GREY),
    ],
)
def test_light_table(state, progress, start, due, completed_on, expected):
    got = light(state=state, progress=progress, start=start, due=due, completed_on=completed_on, today=TODAY)
    assert got == expected


def test_task_completes_only_when_every_lead_completed():
    done = LeadWork(State.COMPLETED, 100, D(2026, 5, 1))
    later = LeadWork(State.COMPLETED, 100, D(2026, 5, 20))
    half = LeadWork(State.IN_PROGRESS, 50, None)
    assert task_work([done, half], any_started=True).state == State.IN_PROGRESS
    assert task_work([done, half], any_started=True).progress == 50
    both = task_work([done, later], any_started=True)
    assert (both.state, both.progress, both.completed_on) == (State.COMPLETED, 100, D(2026, 5, 20))


def test_task_without_leads_never_completes_by_itself():
    work = task_work([], any_started=False)
    assert (work.state, work.progress, work.completed_on) == (State.NOT_STARTED, 0, None)
    assert task_work([], any_started=True).state == State.IN_PROGRESS


@pytest.mark.parametrize(
    ("overdue", "at_risk", "undated", "total", "expected"),
    [
        (1, 1, 3, 5, Light.RED),
        (0, 1, 3, 5, Light.YELLOW),
        # every part without a date: nothing is on schedule, so not green
        (0, 0, 5, 5, Light.GREY),
        (0, 0, 4, 5, Light.GREEN),
        (0, 0, 0, 0, Light.GREEN),
    ],
)
def test_department_light_table(overdue, at_risk, undated, total, expected):
    assert department_light(overdue=overdue, at_risk=at_risk, undated=undated, total=total) == expected


def test_undated_work_has_its_own_chinese_labels():
    assert (LIGHT_LABELS[Light.GREY], STATUS_LABELS[Status.COMPLETED_UNDATED]) == ("无时限", "已完成(无时限)")
    assert set(LIGHT_LABELS) == set(Light) and set(STATUS_LABELS) == set(Status)


def test_on_time_rate_counts_only_dated_work_that_came_due():
    # 2 on time, 1 late, 1 overdue; undated work is no argument of the rate at all
    assert on_time_rate(completed_on_time=2, completed_late=1, overdue=1) == 50.0
    assert on_time_rate(completed_on_time=0, completed_late=0, overdue=0) is None
