"""Redis restarted while reminders are queued: the queue is lost, the outbox is not, and every
reminder reaches a real SMTP server exactly once.

The Redis here is a private one on a free port (the machine's shared Redis is never touched):
killed with SIGKILL and started again empty, as after a crash without persistence.
"""

import os
import shutil
import subprocess
import time
from datetime import date

import pytest
import redis
from django.db import connection

from config.celery import app as celery_app
from notifications.models import Notification
from notifications.outbox import outbox_requeue_stale
from notifications.sweep import sweep_run
from org.models import Department
from tests.conftest import make_user
from tests.figures import record
from tests.notifications.conftest import at, free_port, make_task, smtp, worker_database_url  # noqa: F401
from tests.worker import celery_worker

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a worker in another process needs a database server"),
]
DUE = date(2026, 10, 12)
SCHOOLS = 12


class PrivateRedis:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=10)

    def queued(self) -> int:
        return redis.Redis(port=self.port).llen("celery")


def _point_celery_at(url: str | None, saved: dict) -> None:
    """Point this process's Celery app (publishing, worker pings) at url, or back to what was saved."""
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        if url is not None:
            saved.setdefault(name, os.environ.get(name))
            os.environ[name] = url
        elif saved.get(name) is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = saved[name]
    for key in ("broker_url", "result_backend"):
        if url is not None:
            saved.setdefault(key, celery_app.conf[key])
            celery_app.conf[key] = url
        else:
            celery_app.conf[key] = saved[key]
    # Connections and producers are pooled per app: drop them so the next publish connects anew.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._local.__dict__.pop("backend", None)  # the result backend is cached per thread


@pytest.fixture
def private_redis():
    server = PrivateRedis()
    server.start()
    saved: dict = {}
    _point_celery_at(server.url, saved)  # the worker subprocess inherits the environment
    try:
        yield server
    finally:
        _point_celery_at(None, saved)
        if server.process.poll() is None:
            server.kill()


def _states():
    return sorted(Notification.objects.values_list("state", flat=True))


def _wait(condition, timeout=60, between=None):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        if between:
            between()
        time.sleep(0.5)


def test_reminders_survive_a_redis_restart_and_go_out_once(personas, smtp, private_redis, monkeypatch, settings):  # noqa: F811
    for n in range(SCHOOLS):
        school = Department.objects.create(name=f"第{n + 1}中学", kind=Department.Kind.SCHOOL)
        make_user(f"liaison_school_{n}", department=school, membership="liaison")
        make_task(personas, title=f"校园安全整治{n}", due=DUE, leads=[school])
    monkeypatch.setenv("EMAIL_URL", f"smtp://127.0.0.1:{smtp.port}")

    # No worker yet: the sweep writes the outbox and queues one delivery per row in Redis.
    sweep_run(at=at(DUE, 9))
    rows = Notification.objects.count()
    assert rows >= SCHOOLS and private_redis.queued() == rows

    private_redis.kill()  # crash: the queued deliveries are gone with it
    private_redis.start()
    assert private_redis.queued() == 0
    assert _states() == ["pending"] * rows

    with celery_worker(database_url=worker_database_url()):
        time.sleep(2)
        assert smtp.messages == []  # nothing left in the queue to deliver
        # What beat runs every minute: pending rows overdue for delivery are queued again.
        settings.REMINDERS_REDELIVER_AFTER = 0
        requeued = outbox_requeue_stale()
        assert len(requeued) == rows
        _wait(lambda: _states() == ["sent"] * rows)
        # Further rounds (beat keeps running) and a duplicate message find nothing left to send.
        outbox_requeue_stale()
        from notifications.tasks import deliver

        for pk in requeued[:3]:
            deliver.delay(pk)
        time.sleep(3)

    sent = list(Notification.objects.order_by("pk"))
    assert sorted(smtp.message_ids()) == sorted(n.message_id for n in sent)  # each once, none twice
    assert all(n.attempts == 1 for n in sent)
    record(
        "redis restart",
        notifications=rows,
        queued_before_crash=rows,
        queued_after_restart=0,
        delivered=len(smtp.messages),
        duplicates=len(smtp.messages) - len(set(smtp.message_ids())),
        lost=rows - len(set(smtp.message_ids())),
    )


def test_with_the_broker_down_the_sweep_writes_every_row_and_the_requeue_sends_them(
    personas, smtp, private_redis, monkeypatch, settings  # noqa: F811
):
    for n in range(SCHOOLS):
        school = Department.objects.create(name=f"第{n + 1}中学", kind=Department.Kind.SCHOOL)
        make_user(f"liaison_school_{n}", department=school, membership="liaison")
        make_task(personas, title=f"校园安全整治{n}", due=DUE, leads=[school])
    monkeypatch.setenv("EMAIL_URL", f"smtp://127.0.0.1:{smtp.port}")
    private_redis.kill()

    started = time.monotonic()
    written = sweep_run(at=at(DUE, 9)).written
    assert time.monotonic() - started < 30  # a dead broker is not waited for, row after row
    rows = Notification.objects.count()
    assert rows == len(written) == SCHOOLS  # every liaison's row
    assert _states() == ["pending"] * rows

    private_redis.start()
    from notifications.outbox import broker_breaker

    broker_breaker.reset()  # as half a minute later
    with celery_worker(database_url=worker_database_url()):
        settings.REMINDERS_REDELIVER_AFTER = 0
        assert len(outbox_requeue_stale()) == rows
        _wait(lambda: _states() == ["sent"] * rows)
    assert len(smtp.messages) == rows == len(set(smtp.message_ids()))
