"""Calendar arithmetic shared by the importer and the reporting calendar."""

from calendar import monthrange
from datetime import date


def month_end(year: int, month: int) -> date:
    """The last day of ``month`` in ``year``."""
    return date(year, month, monthrange(year, month)[1])
