"""The outbox under concurrency, the command staff use to check the engine, and the beat schedule."""

import threading
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django_celery_beat.models import PeriodicTask

from notifications.models import Notification
from notifications.schedules import SCHEDULES, schedules_setup
from notifications.sweep import sweep_run
from org.models import Department
from tests.conftest import make_user
from tests.notifications.conftest import at, make_task

DUE = date(2026, 10, 12)


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_write_one_notification_per_key(personas):
    if connection.vendor != "postgresql":
        pytest.skip("the race is between PostgreSQL transactions")
    for n in range(8):
        department = Department.objects.create(name=f"第{n + 1}中学", kind=Department.Kind.SCHOOL)
        make_user(f"liaison_school_{n}", department=department, membership="liaison")
        make_task(personas, title=f"校园安全整治{n}", due=DUE, leads=[department])
    make_task(personas, title="完成校舍安全排查", due=date(2026, 10, 9))

    runners, start, written, errors = 4, threading.Barrier(4), [], []

    def sweep():
        try:
            start.wait(timeout=10)
            written.extend(sweep_run(at=at(DUE, 9)).written)
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    rows = list(Notification.objects.values_list("dedup_key", flat=True))
    assert len(rows) == len(set(rows)) == 10  # eight school liaisons, liaison_a, the supervisor's summary
    assert sorted(n.dedup_key for n in written) == sorted(rows)


@pytest.mark.django_db
def test_send_reminders_dry_run_prints_what_would_go_out_and_writes_nothing(personas):
    make_task(personas, title="完成校舍安全排查", due=DUE)
    make_task(personas, title="经费保障", due=date(2026, 10, 15), leads=[personas.dept_b], co=[personas.dept_a])
    out = StringIO()
    call_command("send_reminders", "--at", "2026-10-12T09:00", "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        "提醒扫描 2026年10月12日 09:00(试运行,不发送)",
        "",
        "→ liaison_a <liaison_a@example.cn>",
        "  【督办提醒】2026年10月12日 您有 2 项任务需要关注",
        "  【今日到期】",
        "    《关于推进教育强市建设的实施方案》",
        "      · 〔一、(三)1.〕完成校舍安全排查 — 市教育局(牵头单位),完成时限 2026年10月12日:今日到期",
        "  【即将到期(3个工作日内)】",
        "    《关于推进教育强市建设的实施方案》",
        "      · 〔一、(三)1.〕经费保障 — 市教育局(配合单位),完成时限 2026年10月15日:还剩 3 个工作日",
        "",
        "→ liaison_b <liaison_b@example.cn>",
        "  【督办提醒】2026年10月12日 您有 1 项任务需要关注",
        "  【即将到期(3个工作日内)】",
        "    《关于推进教育强市建设的实施方案》",
        "      · 〔一、(三)1.〕经费保障 — 市财政局(牵头单位),完成时限 2026年10月15日:还剩 3 个工作日",
        "",
        "共 2 封待发送,0 封今天已发过。",
    ]
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_send_reminders_on_a_holiday_says_so(personas):
    make_task(personas, title="完成校舍安全排查", due=DUE)
    out = StringIO()
    call_command("send_reminders", "--at", "2026-10-01T09:00", "--dry-run", stdout=out)
    assert "今天不是工作日,不发送提醒。" in out.getvalue()


@pytest.mark.django_db
def test_send_reminders_sends_and_a_second_run_sends_nothing_again(personas, smtp_settings):
    make_task(personas, title="完成校舍安全排查", due=DUE)
    out = StringIO()
    call_command("send_reminders", "--at", "2026-10-12T09:00", stdout=out)
    assert "liaison_a@example.cn: 已发送" in out.getvalue()
    assert "共写入 1 封,0 封今天已发过。" in out.getvalue()
    again = StringIO()
    call_command("send_reminders", "--at", "2026-10-12T10:00", stdout=again)
    assert "(今天已发过,跳过)" in again.getvalue()
    assert "共写入 0 封,1 封今天已发过。" in again.getvalue()
    assert len(smtp_settings.messages) == 1
    assert Notification.objects.get().state == Notification.State.SENT


@pytest.mark.django_db
def test_beat_schedule_is_in_the_database_in_beijing_time_and_admin_edits_survive():
    # Created by the post_migrate signal when the test database was migrated.
    tasks = {t.name: t for t in PeriodicTask.objects.filter(name__in=SCHEDULES)}
    assert {t.task for t in tasks.values()} == {"notifications.sweep", "notifications.requeue_stale"}
    sweep = tasks["提醒扫描(每小时)"]
    assert (str(sweep.crontab.timezone), sweep.crontab.minute, sweep.crontab.hour) == ("Asia/Shanghai", "0", "*")
    sweep.enabled = False
    sweep.save()
    assert schedules_setup() == []
    sweep.refresh_from_db()
    assert sweep.enabled is False
    PeriodicTask.objects.filter(name="提醒扫描(每小时)").delete()
    assert schedules_setup() == ["提醒扫描(每小时)"]


def test_after_one_refusal_the_broker_is_not_waited_for_during_half_a_minute(monkeypatch):
    import time_machine
    from django.utils import timezone
    from kombu.exceptions import OperationalError

    from notifications.outbox import broker_breaker, notification_enqueue
    from notifications.tasks import deliver

    tries = []

    def refuse(*args, **kwargs):
        tries.append(args)
        raise OperationalError("Error 111 connecting: Connection refused.")

    monkeypatch.setattr(deliver, "apply_async", refuse)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        notification_enqueue(notification_id=1)
        notification_enqueue(notification_id=2)
    with time_machine.travel(start + timedelta(seconds=29), tick=False):
        notification_enqueue(notification_id=3)
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        notification_enqueue(notification_id=4)
    assert [t[0] for t in tries] == [(1,), (4,)]  # 2 and 3 waited in the outbox, no reconnect
    assert broker_breaker.down_until == start + timedelta(seconds=60)
