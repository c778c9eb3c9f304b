"""Calendar arithmetic shared by the importer and the reporting calendar."""

from calendar import monthrange
from datetime import date


def month_end(year: int, month: int) -> date:
    """The last day of ``month`` in ``year``."""
    return date(year, month, monthrange(year, month)[1])


# The days a user may type anywhere (a statistics day, a due date, a filter): wide enough
# for any plan, narrow enough that date arithmetic (90 days back, a year on) cannot overflow.
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
RANGE_MESSAGE = "日期应在 2000-01-01 到 2099-12-31 之间。"


def in_range(day: date) -> bool:
    return EARLIEST <= day <= LATEST
