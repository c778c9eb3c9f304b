"""Working days in mainland China: statutory holidays and make-up working days (调休).

The source is the `chinesecalendar` package, which the State Council's yearly
notice updates (upgrade it each December when the next year's notice is out).
For a year the package does not cover yet, the fallback is Monday–Friday: the
reminders then still go out, at worst on a holiday or missing a 调休 Saturday,
rather than stopping. The fallback is logged once per year.
"""

import logging
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

log = logging.getLogger(__name__)


@lru_cache(maxsize=64)
def calendar_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        log.warning("chinesecalendar 未收录 %s 年的节假日安排,按周一至周五计算工作日。", year)
        return False
    return True


@lru_cache(maxsize=4096)
def is_working_day(day: date) -> bool:
    if calendar_covers(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


@lru_cache(maxsize=256)
def _year_counts(year: int) -> tuple[int, ...]:
    """counts[n]: the working days among the first n days of the year."""
    counts, total, day = [0], 0, date(year, 1, 1)
    while day.year == year:
        total += is_working_day(day)
        counts.append(total)
        day += timedelta(days=1)
    return tuple(counts)


def working_days_after(start: date, end: date, *, limit: int | None = None) -> int:
    """How many working days lie in (start, end]; 0 when end is not after start.

    With a limit, counting stops once it is passed (the answer is then some number above the
    limit): the sweep only asks whether a far deadline is within reach, and that should not
    cost a loop over years, nor look at years the calendar may not cover. Without one, the
    count comes from yearly running counts, so that a deadline years back costs no loop either.
    """
    if limit is not None:
        count, day = 0, start
        while day < end and count <= limit:
            day += timedelta(days=1)
            count += is_working_day(day)
        return count
    if end <= start:
        return 0
    count = _year_counts(end.year)[end.timetuple().tm_yday] - _year_counts(start.year)[start.timetuple().tm_yday]
    for year in range(start.year, end.year):
        count += _year_counts(year)[-1]
    return count


def working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def subtract_working_days(day: date, n: int) -> date:
    """The working day n working days before day's own last working day (n = 0: that day)."""
    day = working_day_on_or_before(day)
    while n > 0:
        day -= timedelta(days=1)
        n -= is_working_day(day)
    return day
