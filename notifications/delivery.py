"""Delivering one outbox row, with retries and backoff.

The row is locked (FOR UPDATE SKIP LOCKED) for the time of the send. If the
worker dies mid-send, PostgreSQL drops the lock and rolls back, the row stays
pending, and outbox_requeue_stale hands it to another worker: nothing is lost.
Two workers given the same row cannot both send it: the second skips the lock,
and once the first commits the row is no longer pending. The one remaining
window — the server accepted the mail and the worker died before the commit —
is covered by the stable Message-ID, by which mail servers and clients drop copies;
the commit comes before the connection is closed, so the window is milliseconds long.
A send that was made is never repeated because writing it down failed: it is written again.

A refusal the server calls permanent (SMTP 5xx: no such mailbox, policy) fails the row
at once with the server's words: sending again cannot help, a supervisor must fix the
address and resend. Temporary refusals (4xx) and lost connections are retried with
backoff. A retry waits in the broker only while the broker would keep it (its
visibility timeout); a longer wait is left to the periodic requeue of due rows.
"""

import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from notifications.channels import channel_sessions
from notifications.models import Notification

logger = logging.getLogger(__name__)

# A Celery countdown may fire a moment before the stored time on another host's clock.
CLOCK_SLACK = timedelta(seconds=5)


@dataclass(frozen=True)
class Outcome:
    state: str  # sent, retry, failed, skipped
    retry_in: int | None = None
    error: str = ""


def retry_delay(attempts: int) -> int:
    delays = settings.REMINDERS_RETRY_DELAYS
    return delays[min(attempts, len(delays)) - 1]


def longest_countdown() -> int | None:
    """The longest wait a delayed task may spend in the broker before it is handed out
    again (Redis' visibility timeout, less a margin), or ``None`` for a broker without one."""
    timeout = (settings.CELERY_BROKER_TRANSPORT_OPTIONS or {}).get("visibility_timeout")
    return None if timeout is None else max(int(timeout * 0.9), 1)


def permanent_refusal(exc: Exception) -> str | None:
    """The server's words when it refused the mail for good (SMTP 5xx), else ``None``."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = list(exc.recipients.values())
    elif isinstance(exc, smtplib.SMTPResponseException):
        answers = [(exc.smtp_code, exc.smtp_error)]
    else:
        return None
    if not answers or any(not 500 <= code < 600 for code, _ in answers):
        return None
    return "; ".join(f"SMTP {code} {_words(text)}" for code, text in answers)


def _words(text) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)


def notification_deliver(*, notification_id: int, now: datetime | None = None, sessions=None) -> Outcome:
    """Send one row. `sessions` are connections kept by the caller (a worker's) for the next rows;
    without them the connection is opened for this row and closed after its commit."""
    now = now or timezone.now()
    if sessions is not None:
        return _deliver(notification_id, now, sessions)
    # The sessions close (SMTP QUIT) only after the transaction recording the send has committed.
    with channel_sessions() as own:
        return _deliver(notification_id, now, own)


def _deliver(notification_id: int, now: datetime, sessions) -> Outcome:
    sent_at = None
    try:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(skip_locked=True)
                .filter(pk=notification_id, state=Notification.State.PENDING, next_attempt_at__lte=now + CLOCK_SLACK)
                .first()
            )
            if notification is None:
                return Outcome("skipped")
            notification.attempts += 1
            try:
                sessions.send(notification)
            except Exception as exc:  # any failure of the channel counts as a failed attempt, shown on the row
                return _record_failure(notification, exc, now)
            sent_at = timezone.now()
            notification.state = Notification.State.SENT
            notification.sent_at = sent_at
            notification.save(update_fields=["attempts", "state", "sent_at"])
            return Outcome("sent")
    except DatabaseError:
        if sent_at is None:
            raise
        # The server has the mail and only writing that down failed (SQLite busy past its timeout, a
        # dropped connection): write it down again, never send again.
        _record_sent(notification_id, attempts=notification.attempts, sent_at=sent_at)
        return Outcome("sent")


def _record_failure(notification: Notification, exc: Exception, now: datetime) -> Outcome:
    refusal = permanent_refusal(exc)
    notification.last_error = (refusal or f"{type(exc).__name__}: {exc}")[:2000]
    if refusal or notification.attempts >= settings.REMINDERS_MAX_ATTEMPTS:
        notification.state = Notification.State.FAILED
        outcome = Outcome("failed", error=notification.last_error)
    else:
        delay = retry_delay(notification.attempts)
        notification.next_attempt_at = now + timedelta(seconds=delay)
        outcome = Outcome("retry", retry_in=delay, error=notification.last_error)
    notification.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
    return outcome


RECORD_TRIES = 5


def _record_sent(notification_id: int, *, attempts: int, sent_at: datetime) -> None:
    for attempt in range(1, RECORD_TRIES + 1):
        try:
            if not connection.in_atomic_block:
                connection.close_if_unusable_or_obsolete()  # a dropped connection is opened anew
            Notification.objects.filter(pk=notification_id).update(
                state=Notification.State.SENT, attempts=attempts, sent_at=sent_at
            )
            return
        except DatabaseError:
            logger.warning("notification %s sent but not yet recorded (try %s)", notification_id, attempt)
            if attempt == RECORD_TRIES:
                raise
            time.sleep(min(2**attempt, 30))
