from datetime import date

import pytest
from django_celery_beat.models import PeriodicTask

from tasks.models import DepartmentSnapshot
from tasks.schedule import SNAPSHOT_SCHEDULE_NAME, ensure_periodic_tasks
from tasks.tasks import SNAPSHOT_TASK, take_department_snapshots
from tests.status.conftest import at

pytestmark = pytest.mark.django_db


def test_migrate_registers_the_nightly_snapshot_with_beat_once(db):
    ensure_periodic_tasks()
    ensure_periodic_tasks()
    (entry,) = PeriodicTask.objects.filter(name=SNAPSHOT_SCHEDULE_NAME)
    assert entry.task == SNAPSHOT_TASK and entry.enabled
    assert (entry.crontab.hour, entry.crontab.minute, str(entry.crontab.timezone)) == ("0", "20", "Asia/Shanghai")


def test_nightly_task_stores_yesterday_and_a_second_run_replaces_it(scenario):
    with at(date(2026, 6, 16), hour=0, minute=20):
        first = take_department_snapshots()
        again = take_department_snapshots()
    assert first == again == DepartmentSnapshot.objects.filter(as_of=date(2026, 6, 15)).count()
    row = DepartmentSnapshot.objects.get(as_of=date(2026, 6, 15), department=scenario.a, plan=None, role="all")
    assert (row.total, row.overdue, row.at_risk, row.overdue_days) == (5, 1, 1, 17)


def test_snapshot_of_a_given_day(scenario):
    with at(date(2026, 6, 16)):
        take_department_snapshots("2026-05-31")
    row = DepartmentSnapshot.objects.get(as_of=date(2026, 5, 31), department=scenario.b, plan=None, role="lead")
    # T2 in progress, T3 due that day (not yet overdue), T7 in progress
    assert (row.total, row.in_progress, row.not_started, row.overdue) == (3, 2, 1, 0)
