"""A real Celery worker (a subprocess) delivering through Redis to a real SMTP server."""

import time
from datetime import date

import pytest
from django.db import connection

from config.celery import app as celery_app
from notifications.chase import assignment_chase
from notifications.models import Notification
from notifications.outbox import outbox_requeue_stale
from notifications.sweep import sweep_run
from org.models import Department
from tests.conftest import make_user, needs_redis
from tests.notifications.conftest import at, lead_of, make_task, worker_database_url
from tests.worker import celery_worker

pytestmark = [needs_redis, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

DUE = date(2026, 10, 12)


@pytest.fixture
def worker_env(smtp, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("a worker in another process needs a database server")
    monkeypatch.setenv("EMAIL_URL", f"smtp://127.0.0.1:{smtp.port}")
    # Messages left in the queue by earlier tests name rows that no longer exist.
    celery_app.control.purge()
    return worker_database_url()


def wait_for(condition, *, timeout=45, every=0.2, between=None):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        if between:
            between()
        time.sleep(every)


def states():
    return sorted(Notification.objects.values_list("state", flat=True))


def test_a_real_worker_delivers_the_sweep_to_a_real_smtp_server(personas, smtp, worker_env):
    make_task(personas, title="完成校舍安全排查", due=DUE)
    with celery_worker(database_url=worker_env):
        sweep_run(at=at(DUE, 9))
        wait_for(lambda: states() == ["sent"])
    row = Notification.objects.get()
    [mail] = smtp.messages
    assert mail["Message-ID"] == row.message_id
    assert mail["To"] == "liaison_a@example.cn"
    assert "完成校舍安全排查" in mail.get_body(("plain",)).get_content()
    assert row.attempts == 1 and row.sent_at is not None


def test_a_real_worker_delivers_the_supervisors_summary_of_escalations(personas, smtp, worker_env):
    make_task(personas, title="完成校舍安全排查", due=DUE)
    with celery_worker(database_url=worker_env):
        sweep_run(at=at(date(2026, 10, 21), 9))  # 7 working days late: the supervisors' threshold
        wait_for(lambda: states() == ["sent"] * 3)  # liaison, head, supervisor
    [mail] = [m for m in smtp.messages if m["To"] == "supervisor@example.cn"]
    text = mail.get_body(("plain",)).get_content()
    assert "【升级督办汇总】逾期已升级至督查科督办 1 项,今日新增 1 项" in text
    assert "· 市教育局:升级督办 1 项,今日新增 1 项,最长逾期 7 个工作日,涉及 1 个方案" in text
    assert "【今日新升级督办】" in text and "完成校舍安全排查" in text
    row = Notification.objects.get(recipient=personas.supervisor)
    assert mail["Message-ID"] == row.message_id


def test_a_chase_goes_out_at_once(personas, smtp, worker_env):
    task = make_task(personas, title="完成校舍安全排查", due=DUE)
    with celery_worker(database_url=worker_env):
        assignment_chase(assignment=lead_of(task), by_user=personas.supervisor, note="请今天内回复")
        wait_for(lambda: len(smtp.messages) == 1, timeout=30)
    assert smtp.messages[0]["Subject"].strip().startswith("【催办】完成校舍安全排查")
    assert states() == ["sent"]


def test_a_worker_killed_mid_delivery_loses_nothing_and_sends_nothing_twice(personas, smtp, worker_env, settings):
    for n in range(3):
        department = Department.objects.create(name=f"第{n + 1}中学", kind=Department.Kind.SCHOOL)
        make_user(f"liaison_school_{n}", department=department, membership="liaison")
        make_task(personas, title=f"校园安全整治{n}", due=DUE, leads=[department])
    smtp.hold.set()  # the first mail stalls inside the SMTP conversation

    with celery_worker(database_url=worker_env) as first:
        sweep_run(at=at(DUE, 9))
        assert smtp.holding.wait(timeout=45)
        first.kill()  # SIGKILL: no cleanup, no acknowledgement, the row lock dies with the connection
        first.wait(timeout=10)
    smtp.release.set()
    assert smtp.messages == []
    assert states() == ["pending"] * 3
    assert sorted(Notification.objects.values_list("attempts", flat=True)) == [0, 0, 0]

    # What beat does every minute, without waiting REMINDERS_REDELIVER_AFTER.
    settings.REMINDERS_REDELIVER_AFTER = 0
    with celery_worker(database_url=worker_env):
        wait_for(lambda: states() == ["sent"] * 3, between=outbox_requeue_stale, every=1)
        outbox_requeue_stale()  # one more round of duplicate messages: they must find nothing to send
        time.sleep(2)

    rows = list(Notification.objects.order_by("id"))
    assert sorted(smtp.message_ids()) == sorted(row.message_id for row in rows)
    assert [row.attempts for row in rows] == [1, 1, 1]


def _one_reminder(personas):
    department = Department.objects.create(name="第一中学", kind=Department.Kind.SCHOOL)
    make_user("liaison_school", department=department, membership="liaison")
    make_task(personas, title="校园安全整治", due=DUE, leads=[department])


def _kill_while(smtp, holding, worker_env):
    with celery_worker(database_url=worker_env) as first:
        sweep_run(at=at(DUE, 9))
        assert holding.wait(timeout=45)
        first.kill()  # SIGKILL: no cleanup, no acknowledgement
        first.wait(timeout=10)
    smtp.release.set()


def _recover(settings, worker_env):
    settings.REMINDERS_REDELIVER_AFTER = 0
    with celery_worker(database_url=worker_env):
        wait_for(lambda: states() == ["sent"], between=outbox_requeue_stale, every=1)
        outbox_requeue_stale()
        time.sleep(2)


def test_a_worker_killed_after_the_server_took_the_mail_but_before_the_commit_sends_it_once_more(
    personas, smtp, worker_env, settings
):
    """The one window left (docs/reminders.md): the copy carries the same Message-ID."""
    _one_reminder(personas)
    smtp.hold_accepted.set()  # the server keeps the mail, the worker waits for its 250
    _kill_while(smtp, smtp.holding_accepted, worker_env)
    assert len(smtp.messages) == 1
    assert states() == ["pending"]  # the worker's transaction died with it

    _recover(settings, worker_env)
    row = Notification.objects.get()
    assert smtp.message_ids() == [row.message_id, row.message_id]
    assert row.attempts == 1


def test_a_worker_killed_after_its_commit_with_its_connection_still_open_sends_nothing_twice(
    personas, smtp, worker_env, settings
):
    """The send is committed before the connection is closed (a worker keeps it for the next mails), so
    a crash after the commit, the connection never said goodbye to, is outside the window."""
    _one_reminder(personas)
    with celery_worker(database_url=worker_env) as first:
        sweep_run(at=at(DUE, 9))
        wait_for(lambda: states() == ["sent"])
        first.kill()
        first.wait(timeout=10)
    row = Notification.objects.get()
    assert row.attempts == 1

    _recover(settings, worker_env)
    assert smtp.message_ids() == [row.message_id]
