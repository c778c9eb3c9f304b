"""Delivery through a real SMTP server (aiosmtpd on an ephemeral port), in this process."""

import statistics
import time
from datetime import date, timedelta

import pytest
import time_machine
from django.db import OperationalError, connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.db.models import QuerySet
from django.utils import timezone

from notifications import delivery
from notifications.channels import ChannelSessions
from notifications.delivery import notification_deliver
from notifications.models import Notification
from org.models import Department
from tests.conftest import make_user
from tests.figures import record
from tests.notifications.conftest import at, make_task, sweep_on

pytestmark = pytest.mark.django_db

DUE = date(2026, 10, 12)


@pytest.fixture
def digest(personas):
    make_task(personas, title="完成校舍安全排查", due=DUE)
    make_task(personas, title="新建幼儿园 <第二批>", due=date(2026, 10, 15))
    sweep_on(DUE)
    return Notification.objects.get(recipient=personas.liaison_a)


def test_digest_is_mailed_in_chinese_as_text_and_html_with_links_and_a_stable_message_id(
    digest, smtp_settings, settings
):
    settings.SITE_URL = "https://duban.example.cn"
    with time_machine.travel(at(DUE, 9, 1), tick=False):
        outcome = notification_deliver(notification_id=digest.pk)
    assert outcome.state == "sent"
    [mail] = smtp_settings.messages
    # Django folds a long encoded subject onto a continuation line; readers drop the fold.
    assert mail["Subject"].strip() == "【督办提醒】2026年10月12日 您有 2 项任务需要关注"
    assert mail["To"] == "liaison_a@example.cn"
    assert mail["Message-ID"] == digest.message_id
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    task_id = digest.items[0]["task_id"]
    for part in (text, html):
        assert "关于推进教育强市建设的实施方案" in part
        assert "一、(三)1." in part
        assert f"https://duban.example.cn/tasks/{task_id}/" in part
    assert "【今日到期】" in text and "【即将到期(3个工作日内)】" in text
    assert text.index("【今日到期】") < text.index("【即将到期(3个工作日内)】")
    assert "完成时限 2026年10月12日:今日到期" in text
    assert "新建幼儿园 <第二批>" in text and "新建幼儿园 &lt;第二批&gt;" in html
    assert "还剩 3 个工作日" in html
    digest.refresh_from_db()
    assert (digest.state, digest.attempts, digest.sent_at) == ("sent", 1, at(DUE, 9, 1))


def test_smtp_errors_retry_with_backoff_then_mark_the_row_failed(digest, smtp_settings, settings):
    settings.REMINDERS_MAX_ATTEMPTS = 3
    settings.REMINDERS_RETRY_DELAYS = [60, 300]
    smtp_settings.refuse = True
    start = at(DUE, 9)
    with time_machine.travel(start, tick=False):
        assert notification_deliver(notification_id=digest.pk).retry_in == 60
        # A duplicate message arriving before the backoff is over does nothing.
        assert notification_deliver(notification_id=digest.pk).state == "skipped"
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert notification_deliver(notification_id=digest.pk).retry_in == 300
    with time_machine.travel(start + timedelta(seconds=362), tick=False):
        assert notification_deliver(notification_id=digest.pk).state == "failed"
    digest.refresh_from_db()
    assert (digest.state, digest.attempts) == ("failed", 3)
    assert "451" in digest.last_error
    assert smtp_settings.messages == []


def test_a_retry_after_a_refusal_keeps_the_message_id(digest, smtp_settings):
    smtp_settings.refuse = True
    notification_deliver(notification_id=digest.pk)
    smtp_settings.refuse = False
    notification_deliver(notification_id=digest.pk, now=timezone.now() + timedelta(minutes=2))
    assert smtp_settings.message_ids() == [digest.message_id]
    digest.refresh_from_db()
    assert (digest.state, digest.attempts) == ("sent", 2)


def test_unreachable_mail_server_counts_as_a_failed_attempt(digest, settings):
    from tests.notifications.conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    assert notification_deliver(notification_id=digest.pk).state == "retry"
    digest.refresh_from_db()
    assert digest.state == "pending" and "ConnectionRefusedError" in digest.last_error


def test_a_sent_row_is_never_sent_again(digest, smtp_settings):
    notification_deliver(notification_id=digest.pk)
    assert notification_deliver(notification_id=digest.pk, now=timezone.now() + timedelta(days=1)).state == "skipped"
    assert len(smtp_settings.messages) == 1


def test_failed_rows_show_in_the_admin(digest, smtp_settings, settings, admin_client):
    settings.REMINDERS_MAX_ATTEMPTS = 1
    smtp_settings.refuse = True
    notification_deliver(notification_id=digest.pk)
    page = admin_client.get("/admin/notifications/notification/", {"state__exact": "failed"})
    assert page.status_code == 200
    content = page.content.decode()
    assert "liaison_a@example.cn" in content and "发送失败" in content and "451" in content


def test_supervisor_summary_mail_shows_the_totals_and_the_escalations(personas, smtp_settings):
    make_task(personas, title="完成校舍安全排查", due=DUE)
    make_task(personas, title="待签收任务", due=date(2026, 12, 31), acknowledged=False, created=date(2026, 10, 15))
    sweep_on(date(2026, 10, 21))
    summary = Notification.objects.get(recipient=personas.supervisor)
    notification_deliver(notification_id=summary.pk)
    text = smtp_settings.messages[0].get_body(("plain",)).get_content()
    assert smtp_settings.messages[0]["Subject"].strip() == "【督查日报】2026年10月21日 督办事项汇总"
    assert "【总体情况】" in text and "已逾期:1" in text and "超时未签收:1" in text
    assert "【升级督办汇总】逾期已升级至督查科督办 1 项,今日新增 1 项" in text
    assert "【今日新升级督办】" in text
    assert "完成校舍安全排查 — 市教育局(牵头单位),完成时限 2026年10月12日:已逾期 7 个工作日(已提请督查员督办)" in text
    assert "待签收任务 — 市教育局(牵头单位),签收:已下达 4 个工作日仍未签收" in text


def test_a_permanent_refusal_fails_the_row_at_once_with_the_servers_words(digest, smtp_settings, settings):
    settings.REMINDERS_MAX_ATTEMPTS = 5
    smtp_settings.reject = True
    with time_machine.travel(at(DUE, 9), tick=False):
        outcome = notification_deliver(notification_id=digest.pk)
    assert outcome.state == "failed" and outcome.retry_in is None
    digest.refresh_from_db()
    assert (digest.state, digest.attempts) == ("failed", 1)
    assert digest.last_error == "SMTP 550 5.1.1 收件人邮箱不存在"
    assert smtp_settings.messages == []


def test_a_temporary_refusal_is_not_permanent(digest, smtp_settings):
    smtp_settings.refuse = True  # 451
    assert notification_deliver(notification_id=digest.pk).state == "retry"


class _Retried(Exception):
    pass


def test_a_retry_waits_in_the_broker_only_within_its_visibility_timeout(digest, smtp_settings, settings, monkeypatch):
    from notifications.delivery import longest_countdown
    from notifications.outbox import outbox_requeue_stale
    from notifications.tasks import deliver

    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    settings.REMINDERS_RETRY_DELAYS = [60, 7200]
    assert longest_countdown() == 3240
    waits = []

    def retry(*, countdown, max_retries):
        waits.append(countdown)
        return _Retried()

    monkeypatch.setattr(deliver, "retry", retry)
    smtp_settings.refuse = True
    start = at(DUE, 9)
    with time_machine.travel(start, tick=False), pytest.raises(_Retried):
        deliver.run(digest.pk)
    second = start + timedelta(seconds=61)
    with time_machine.travel(second, tick=False):
        assert deliver.run(digest.pk) == "retry_later"  # 7200 s would outlive the visibility timeout
    assert waits == [60]
    digest.refresh_from_db()
    assert (digest.state, digest.next_attempt_at) == ("pending", second + timedelta(seconds=7200))
    # the periodic requeue hands the row out once it is due
    due = digest.next_attempt_at + timedelta(seconds=settings.REMINDERS_REDELIVER_AFTER)
    assert outbox_requeue_stale(now=due - timedelta(seconds=1)) == []
    assert outbox_requeue_stale(now=due) == [digest.pk]


def _failing_first(monkeypatch, target, name, times, when):
    """Make target.name raise "database is locked" the first `times` calls for which when(...) holds."""
    original = getattr(target, name)
    failures = {"left": times}

    def patched(*args, **kwargs):
        if when(*args, **kwargs) and failures["left"] > 0:
            failures["left"] -= 1
            raise OperationalError("database is locked")
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, patched)
    return failures


def test_a_mail_the_server_took_is_recorded_again_never_sent_again(digest, smtp_settings, monkeypatch):
    monkeypatch.setattr(delivery.time, "sleep", lambda seconds: None)
    # Writing "sent" fails inside the delivery, then twice more when it is written again on its own.
    _failing_first(monkeypatch, Notification, "save", 1, lambda row, **kw: row.state == "sent")
    retried = _failing_first(monkeypatch, QuerySet, "update", 2, lambda qs, **kw: "sent_at" in kw)
    outcome = notification_deliver(notification_id=digest.pk)
    assert outcome.state == "sent" and retried["left"] == 0
    assert len(smtp_settings.messages) == 1
    digest.refresh_from_db()
    assert (digest.state, digest.attempts) == ("sent", 1) and digest.sent_at is not None
    assert notification_deliver(notification_id=digest.pk, now=timezone.now() + timedelta(days=1)).state == "skipped"
    assert len(smtp_settings.messages) == 1


def test_the_embedded_database_waits_for_a_writer_and_lets_readers_read(tmp_path, settings):
    default = settings.DATABASES["default"]
    if default["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the embedded default is SQLite; this run uses a database server")
    options = default["OPTIONS"]
    wrapper = SQLiteWrapper({**default, "NAME": str(tmp_path / "duban.sqlite3")})
    with wrapper.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert cursor.execute("PRAGMA busy_timeout").fetchone() == (20000,)
    assert options["transaction_mode"] == "IMMEDIATE"
    wrapper.close()


@pytest.mark.django_db(transaction=True)
def test_the_window_between_acceptance_and_commit_is_measured(personas, smtp_settings, monkeypatch):
    """How long, per delivery, the server has the mail while the row does not yet say so."""
    for n in range(30):
        department = Department.objects.create(name=f"第{n + 1}小学", kind=Department.Kind.SCHOOL)
        make_user(f"liaison_{n}", department=department, membership="liaison")
        make_task(personas, title=f"课后服务{n}", due=DUE, leads=[department])
    sweep_on(DUE)
    ids = list(Notification.objects.order_by("id").values_list("id", flat=True))
    committed, spans = [], []
    real_commit = connection.commit

    def commit():
        real_commit()
        committed.append(time.monotonic())

    monkeypatch.setattr(connection, "commit", commit)
    for pk in ids:
        started = time.monotonic()
        assert notification_deliver(notification_id=pk).state == "sent"
        spans.append(time.monotonic() - started)
    accepted = smtp_settings.accepted_at
    assert len(accepted) == len(ids) == len(spans)
    windows = [min(c for c in committed if c >= a) - a for a in accepted]
    share = sum(windows) / sum(spans)
    record("delivery window", deliveries=len(ids), median_window_ms=round(statistics.median(windows) * 1000, 2),
           max_window_ms=round(max(windows) * 1000, 2), median_delivery_ms=round(statistics.median(spans) * 1000, 1),
           share_of_delivery_time=round(share, 4))  # fmt: skip
    assert all(w >= 0 for w in windows)
    assert share < 0.25, share


def _schools(personas, count):
    for n in range(count):
        department = Department.objects.create(name=f"第{n + 1}中学", kind=Department.Kind.SCHOOL)
        make_user(f"liaison_school_{n}", department=department, membership="liaison")
        make_task(personas, title=f"校园安全整治{n}", due=DUE, leads=[department])
    sweep_on(DUE)
    return list(Notification.objects.order_by("id").values_list("id", flat=True))


@pytest.fixture
def kept():
    sessions = ChannelSessions()
    yield sessions
    sessions.close()


def test_a_worker_sends_many_mails_over_one_connection(personas, smtp_settings, kept):
    ids = _schools(personas, 6)
    assert [notification_deliver(notification_id=pk, sessions=kept).state for pk in ids] == ["sent"] * 6
    assert smtp_settings.connections == 1
    assert len(smtp_settings.messages) == 6


def test_a_connection_is_replaced_after_its_share_of_messages(personas, smtp_settings, kept, settings):
    settings.EMAIL_MESSAGES_PER_CONNECTION = 4
    for pk in _schools(personas, 9):
        notification_deliver(notification_id=pk, sessions=kept)
    assert smtp_settings.connections == 3  # 4 + 4 + 1
    assert len(smtp_settings.messages) == 9


def test_a_connection_the_server_dropped_is_replaced_without_failing_a_mail(personas, smtp_settings, kept):
    first, second = _schools(personas, 2)
    assert notification_deliver(notification_id=first, sessions=kept).state == "sent"
    kept._open["email"].connection.connection.close()  # the socket is gone, as after the server dropped it
    assert notification_deliver(notification_id=second, sessions=kept).state == "sent"
    assert smtp_settings.connections == 2
    assert Notification.objects.get(pk=second).attempts == 1
    assert sorted(smtp_settings.message_ids()) == sorted(n.message_id for n in Notification.objects.all())
