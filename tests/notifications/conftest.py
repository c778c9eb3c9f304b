"""Helpers for the reminder tests: tasks at fixed dates, a real SMTP server, frozen days."""

import asyncio
import email
import email.policy
import socket
import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from notifications.models import Notification
from notifications.sweep import sweep_run
from plans.models import Clause, Plan
from tasks.models import Assignment, Task
from tasks.services import task_assign

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailCatcher:
    """An aiosmtpd handler that keeps what it accepts, and can refuse or hold mail on demand."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse = False  # answer 451 to every message, as a server in trouble does
        self.hold = threading.Event()  # set: the next message waits until `release` is set
        self.holding = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 4.3.0 服务器暂时无法接收"
        if self.hold.is_set():
            self.hold.clear()
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            # The sender went away before we accepted: nothing was delivered.
            return "421 4.4.2 连接已中断"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["Message-ID"] for m in self.messages]


@pytest.fixture
def smtp():
    catcher = MailCatcher()
    controller = Controller(catcher, hostname="127.0.0.1", port=free_port())
    controller.start()
    catcher.port = controller.port
    try:
        yield catcher
    finally:
        catcher.release.set()
        controller.stop()


@pytest.fixture
def smtp_settings(settings, smtp):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    return smtp


def worker_database_url() -> str:
    """The URL of the database pytest-django made, for a worker in another process."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
