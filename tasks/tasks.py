"""Celery tasks of the tasks app: a few lines each, calling services."""

from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

from tasks.services import department_snapshot_take

SNAPSHOT_TASK = "tasks.take_department_snapshots"


@shared_task(name=SNAPSHOT_TASK)
def take_department_snapshots(as_of: str | None = None) -> int:
    """Store yesterday's counts (the beat runs after midnight, so the day is whole); or the day given."""
    day = date.fromisoformat(as_of) if as_of else timezone.localdate() - timedelta(days=1)
    return department_snapshot_take(as_of=day)
