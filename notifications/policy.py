"""When a deadline calls for a reminder: pure rules over working days.

A deadline is a due date, a phase end or a progress report's due date. On a
working day `today`:
  before it   a reminder when the working days left, counted in (today, deadline],
              is one of the policy's `before_days` (0: the last working day on or
              before the deadline, which is the deadline itself when that is a working day);
  after it    an overdue reminder on the first working day after the deadline and
              then every `overdue_every` working days; from `escalate_head_after`
              working days late the department's head is told too, from
              `escalate_supervisors_after` the supervisors, on the same days. The first
              of those days is when it reaches them (`first_to_supervisors`): their
              digest lists the item that day and only counts it afterwards.
Nothing is sent on a day that is not a working day.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from notifications.workdays import is_working_day, working_days_after


@lru_cache(maxsize=256)
def _year_counts(year: int) -> tuple[int, ...]:
    """counts[n]: the working days among the first n days of the year."""
    counts, total, day = [0], 0, date(year, 1, 1)
    while day.year == year:
        total += is_working_day(day)
        counts.append(total)
        day = date.fromordinal(day.toordinal() + 1)
    return tuple(counts)


def _working_days_after(start: date, end: date, *, limit: int | None = None) -> int:
    """workdays.working_days_after; without a limit from yearly running counts, so that a date years
    back costs no loop over its days. With a limit the loop is short, and it never looks at the
    (possibly uncovered) years beyond the limit."""
    if limit is not None:
        return working_days_after(start, end, limit=limit)
    if end <= start:
        return 0
    start_counts, end_counts = _year_counts(start.year), _year_counts(end.year)
    count = end_counts[end.timetuple().tm_yday] - start_counts[start.timetuple().tm_yday]
    for year in range(start.year, end.year):
        count += _year_counts(year)[-1]
    return count


@dataclass(frozen=True)
class Stage:
    overdue: bool
    days: int  # working days left before the deadline, or working days overdue
    to_head: bool = False
    to_supervisors: bool = False
    first_to_supervisors: bool = False


def deadline_stage(
    *,
    deadline: date,
    today: date,
    before_days,
    overdue_every: int | None,
    head_after: int | None = None,
    supervisors_after: int | None = None,
) -> Stage | None:
    """The reminder a deadline calls for today, or None. overdue_every=None: never chased after the date."""
    if not is_working_day(today):
        return None
    if deadline >= today:
        left = _working_days_after(today, deadline, limit=max(before_days, default=0))
        return Stage(overdue=False, days=left) if left in before_days else None
    if overdue_every is None:
        return None
    late = _working_days_after(deadline, today)
    if (late - 1) % overdue_every:
        return None
    to_supervisors = supervisors_after is not None and late >= supervisors_after
    return Stage(
        overdue=True,
        days=late,
        to_head=head_after is not None and late >= head_after,
        to_supervisors=to_supervisors,
        # The previous reminder day was below the threshold: with overdue_every = 1, late == supervisors_after.
        first_to_supervisors=to_supervisors and late - overdue_every < supervisors_after,
    )


def acknowledgement_stage(*, assigned_on: date, today: date, within: int, overdue_every: int) -> Stage | None:
    """签收: asked every working day while young, then chased on the overdue cadence.

    `days` is the working days since the assignment was made; `overdue` means it
    has waited `within` working days or more, which also puts it before the supervisors.
    """
    if not is_working_day(today):
        return None
    age = _working_days_after(assigned_on, today)
    if age < within:
        return Stage(overdue=False, days=age)
    return Stage(overdue=True, days=age, to_supervisors=True) if (age - within) % overdue_every == 0 else None
