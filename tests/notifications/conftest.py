"""Helpers for the reminder tests: tasks at fixed dates, a real SMTP server, frozen days."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from notifications.models import Notification
from notifications.sweep import sweep_run
from plans.models import Clause, Plan
from tasks.models import Assignment, Task
from tasks.services import task_assign
from tests.smtp import MailCatcher, free_port, smtp, smtp_settings  # noqa: F401  (fixtures used here)

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The personas hash six passwords per test; the slow hasher would dominate these tests' time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def sweep_on(day: date, hour: int = 9, **kwargs):
    """Run the sweep as the beat would, with the clock at day, hour (Beijing time)."""
    with time_machine.travel(at(day, hour), tick=False):
        return sweep_run(at=timezone.now(), **kwargs)


def items_for(user, day: date) -> list[dict]:
    row = Notification.objects.filter(recipient=user, for_date=day).exclude(kind=Notification.Kind.CHASE).first()
    return row.items if row else []


def make_task(
    personas, *, title, due, plan=None, leads=(), co=(), acknowledged=True, created=date(2026, 9, 1), **fields
) -> Task:
    """A task of an active plan, assigned (and by default acknowledged) on `created`."""
    if plan is None:
        plan = Plan.objects.create(title="关于推进教育强市建设的实施方案", status=Plan.Status.ACTIVE)
    clause = Clause.objects.create(plan=plan, label="1.", path="一、/(三)/1.", position=Clause.objects.count() + 1)
    task = Task.objects.create(plan=plan, clause=clause, title=title, due_date=due, **fields)
    with time_machine.travel(at(created, 8), tick=False):
        task_assign(task=task, leads=leads or [personas.dept_a], co=co)
    if acknowledged:
        task.assignments.update(acknowledged_at=at(created, 8), acknowledged_by=personas.liaison_a)
    return task


def lead_of(task) -> Assignment:
    return task.assignments.get(role=Assignment.Role.LEAD)


def worker_database_url() -> str:
    """The URL of the database pytest-django made, for a worker in another process."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
