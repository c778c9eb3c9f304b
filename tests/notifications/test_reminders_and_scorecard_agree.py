"""Reminders and the scorecard read one reporting calendar: a spring-term report filed on 15 August is late for both."""

from datetime import date

import pytest
import time_machine

from supervision.scorecard import Filing, department_scorecards
from tasks.models import ProgressReport, ReportingCadence
from tests.notifications.conftest import at, items_for, lead_of, make_task, sweep_on

pytestmark = pytest.mark.django_db

SPRING_TERM_DUE = date(2026, 7, 31)
FILED = date(2026, 8, 15)  # a Saturday in the summer holidays


def report_items(user, day):
    return [(i["deadline"], i["days_overdue"]) for i in items_for(user, day) if i["kind"] == "report"]


def test_a_spring_report_filed_on_15_august_is_chased_as_late_and_scored_as_late(personas):
    task = make_task(
        personas,
        title="开展学期督导评估",
        due=date(2026, 12, 31),
        created=date(2026, 3, 2),
        start_date=date(2026, 3, 2),
        reporting_cadence=ReportingCadence.SEMESTER,
    )

    sweep_on(date(2026, 8, 14))
    # Ten working days after 31 July: August 3–7 and 10–14.
    assert report_items(personas.liaison_a, date(2026, 8, 14)) == [(SPRING_TERM_DUE.isoformat(), 10)]

    with time_machine.travel(at(FILED, 10), tick=False):
        ProgressReport.objects.create(
            assignment=lead_of(task), author=personas.liaison_a, text="春季学期总结", percent=50
        )
    sweep_on(date(2026, 8, 17))
    # Late for the spring term, and on time for the autumn term it was filed in: nothing more to chase.
    assert report_items(personas.liaison_a, date(2026, 8, 17)) == []

    (card,) = department_scorecards(as_of=date(2026, 9, 1))
    assert card.reports == Filing(on_time=0, late=1, missing=0)
    (card,) = department_scorecards(as_of=date(2027, 2, 1))
    assert card.reports == Filing(on_time=1, late=1, missing=0)
