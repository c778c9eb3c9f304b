"""Status rules: the one place that says when work is late, done, or at risk.

These are pure functions of dates and numbers, so that the same rules serve
the models, the status aggregation, the reminders and the pages. docs/status-rules.md
explains them in words; tests/tasks/test_rules.py holds the table.

Work state (stored, set by people):  not_started → in_progress → completed.
Status (derived, depends on "today"):
  completed_on_time   completed, and completed on or before the due date
  completed_late      completed after the due date
  completed_undated   completed, with no due date: done, but never on time (there was no time)
  overdue             not completed and today is after the due date (due today is not overdue)
  in_progress         started (state in_progress or progress > 0), not overdue
  not_started         otherwise
Light:
  grey    no due date (无时限): work marked 长期 or 按周期报送, or never given a date. Such
          work cannot be late or on schedule, so it is never green, whatever its state.
  red     overdue
  green   completed (on time or late: the work is done), or on schedule
  yellow  not completed and behind schedule: the reported progress trails the
          schedule's expected progress (序时进度, the elapsed share of the span from
          start to due) by AT_RISK_GAP points or more.
A task follows its lead assignments: it is completed when it has at least one
lead and every lead is completed, on the latest lead's completion date; its
progress is the lowest lead progress.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

AT_RISK_GAP = 20  # percentage points behind the schedule that turn a light yellow


class State(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"
    COMPLETED_UNDATED = "completed_undated"
    OVERDUE = "overdue"


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    GREY = "grey"


STATUS_LABELS = {
    Status.NOT_STARTED: "未开始",
    Status.IN_PROGRESS: "进行中",
    Status.COMPLETED_ON_TIME: "按时完成",
    Status.COMPLETED_LATE: "逾期完成",
    Status.COMPLETED_UNDATED: "已完成(无时限)",
    Status.OVERDUE: "已逾期",
}
LIGHT_LABELS = {Light.GREEN: "绿灯", Light.YELLOW: "黄灯", Light.RED: "红灯", Light.GREY: "无时限"}
DONE = (Status.COMPLETED_ON_TIME, Status.COMPLETED_LATE, Status.COMPLETED_UNDATED)


def work_status(*, state: str, progress: int, due: date | None, completed_on: date | None, today: date) -> Status:
    if state == State.COMPLETED:
        if due is None:
            return Status.COMPLETED_UNDATED
        if completed_on is None or completed_on <= due:
            return Status.COMPLETED_ON_TIME
        return Status.COMPLETED_LATE
    if due is not None and today > due:
        return Status.OVERDUE
    if state == State.IN_PROGRESS or progress > 0:
        return Status.IN_PROGRESS
    return Status.NOT_STARTED


def expected_progress(*, start: date | None, due: date | None, today: date) -> int:
    """序时进度: the share of the span from start to due that has elapsed, in percent."""
    if due is None or start is None:
        return 0
    if today >= due:
        return 100
    if today <= start or start >= due:
        return 0
    return (today - start).days * 100 // (due - start).days


def light(
    *, state: str, progress: int, start: date | None, due: date | None, completed_on: date | None, today: date
) -> Light:
    if due is None:
        return Light.GREY
    status = work_status(state=state, progress=progress, due=due, completed_on=completed_on, today=today)
    if status == Status.OVERDUE:
        return Light.RED
    if status in DONE:
        return Light.GREEN
    if expected_progress(start=start, due=due, today=today) - progress >= AT_RISK_GAP:
        return Light.YELLOW
    return Light.GREEN


@dataclass(frozen=True)
class LeadWork:
    state: str
    progress: int
    completed_on: date | None


@dataclass(frozen=True)
class TaskWork:
    state: State
    progress: int
    completed_on: date | None


def task_work(leads: list[LeadWork], *, any_started: bool) -> TaskWork:
    """The task's state from its lead assignments (co assignments only mark it started)."""
    if leads and all(lead.state == State.COMPLETED for lead in leads):
        return TaskWork(
            State.COMPLETED, 100, max((lead.completed_on for lead in leads if lead.completed_on), default=None)
        )
    progress = min((lead.progress for lead in leads), default=0)
    started = any_started or any(lead.state != State.NOT_STARTED or lead.progress > 0 for lead in leads)
    return TaskWork(State.IN_PROGRESS if started else State.NOT_STARTED, progress, None)


def span_start(
    *,
    task_start: date | None,
    phase_starts: list[date],
    plan_issued_on: date | None,
    created_on: date,
    today: date,
) -> date:
    """Where the span that 序时进度 measures begins.

    The task's own start wins; else the start of the phase under way on the day
    (the latest phase start on or before it, or the first phase when none has
    begun); else the plan's issue date; else the day the assignment was made.
    """
    if task_start is not None:
        return task_start
    started = [d for d in phase_starts if d <= today]
    if started:
        return max(started)
    if phase_starts:
        return min(phase_starts)
    return plan_issued_on or created_on


def at_risk(
    *, state: str, progress: int, start: date | None, due: date | None, completed_on: date | None, today: date
) -> bool:
    """风险: not done, not yet overdue, and behind the schedule (the yellow light)."""
    return light(state=state, progress=progress, start=start, due=due, completed_on=completed_on, today=today) == (
        Light.YELLOW
    )


def department_light(*, overdue: int, at_risk: int, undated: int, total: int) -> Light:
    """A department (or plan) is red with any overdue part, yellow with any part at risk, grey when
    every part is without a due date (nothing can be on schedule), green otherwise."""
    if overdue:
        return Light.RED
    if at_risk:
        return Light.YELLOW
    if total and undated == total:
        return Light.GREY
    return Light.GREEN


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def completion_rate(*, total: int, completed: int) -> float | None:
    """完成率: completed parts (with or without a due date) over all parts, in percent; None when there is
    nothing to do."""
    return _percent(completed, total)


def on_time_rate(*, completed_on_time: int, completed_late: int, overdue: int) -> float | None:
    """按时完成率: of the parts whose due date has come (done or overdue), the share done on time.

    Work not yet due is left out, so that a department is not rewarded or
    punished for deadlines still ahead, and so is work without a due date
    (completed_undated is not an argument: it can be neither on time nor late);
    None when nothing has come due.
    """
    return _percent(completed_on_time, completed_on_time + completed_late + overdue)
