"""Reminders follow the changes a supervisor makes to a plan: a moved due date, a task marked 长期,
a plan closed (办结) or stopped (终止)."""

from datetime import date

import pytest
import time_machine

from notifications.models import Notification
from tasks import editing
from tasks.models import DueKind, ProgressReport, ReportingCadence
from tests.notifications.conftest import at, items_for, lead_of, make_task, sweep_on

pytestmark = pytest.mark.django_db

DUE = date(2026, 10, 12)  # reminded 7, 3, 1 and 0 working days before: 09-24, 10-08, 10-10, 10-12


def _due_items(user, day):
    sweep_on(day)
    return [(i["kind"], i["days_left"], i["task_title"]) for i in items_for(user, day) if i["kind"] == "due"]


def test_a_moved_due_date_moves_the_next_reminder(personas):
    task = make_task(personas, title="完成校舍安全排查", due=DUE)
    assert _due_items(personas.liaison_a, date(2026, 9, 24)) == [("due", 7, "完成校舍安全排查")]
    editing.task_update(task=task, user=personas.supervisor, due_date=date(2026, 10, 16))
    # 10-08 is now 7 working days before 10-16 (the 调休 Saturday 10-10 counts), no longer 3 before 10-12
    assert _due_items(personas.liaison_a, date(2026, 10, 8)) == [("due", 7, "完成校舍安全排查")]
    assert _due_items(personas.liaison_a, date(2026, 10, 12)) == []
    assert _due_items(personas.liaison_a, date(2026, 10, 13)) == [("due", 3, "完成校舍安全排查")]


def test_a_task_marked_ongoing_gets_no_due_reminders(personas):
    task = make_task(personas, title="完成校舍安全排查", due=DUE)
    editing.task_mark_ongoing(task=task, user=personas.supervisor)
    assert [_due_items(personas.liaison_a, day) for day in (date(2026, 9, 24), DUE, date(2026, 10, 13))] == [[], [], []]


@pytest.mark.parametrize("end", ["close", "stop"])
def test_a_closed_or_stopped_plan_gets_no_reminder(personas, end):
    overdue = make_task(personas, title="逾期任务", due=date(2026, 9, 30), acknowledged=False)
    make_task(personas, title="到期任务", due=DUE, plan=overdue.plan)
    sweep_on(date(2026, 9, 24))
    assert Notification.objects.filter(for_date=date(2026, 9, 24)).count() > 0
    if end == "close":
        editing.plan_close(plan=overdue.plan, user=personas.supervisor, reason="已完成")
    else:
        editing.plan_stop(plan=overdue.plan, user=personas.supervisor, reason="文件废止")
    for day in (date(2026, 10, 8), DUE, date(2026, 10, 13)):
        sweep_on(day)
    assert Notification.objects.filter(for_date__gte=date(2026, 10, 8)).count() == 0


def test_a_periodic_task_without_a_due_date_is_still_prompted_for_its_reports(personas):
    task = make_task(
        personas,
        title="按月报送课后服务进展",
        due=None,
        due_kind=DueKind.PERIODIC,
        reporting_cadence=ReportingCadence.MONTHLY,
    )
    with time_machine.travel(at(date(2026, 9, 29), 10), tick=False):
        ProgressReport.objects.create(assignment=lead_of(task), author=personas.liaison_a, text="九月进展", percent=20)
    # October 31 is a Saturday: the 30th is the last working day before the report falls due.
    prompts = {}
    for day in (date(2026, 10, 27), date(2026, 10, 30)):
        sweep_on(day)
        prompts[day] = [(i["kind"], i["days_left"]) for i in items_for(personas.liaison_a, day)]
    assert prompts == {date(2026, 10, 27): [("report", 3)], date(2026, 10, 30): [("report", 0)]}
