"""Writing to the outbox and putting rows in the delivery queue.

A row is written once per deduplication key; the database's unique constraint
decides between two writers racing for the same key. Delivery is enqueued only
after the row is committed, so a worker never looks for a row it cannot see yet;
when the broker cannot take it, the row waits for the periodic requeue.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from notifications.models import Notification

logger = logging.getLogger(__name__)


class _BrokerBreaker:
    """After the broker refused one row, the next ones of the next half minute do not wait
    for it (each try costs seconds of reconnecting): they are safe in the outbox."""

    pause = timedelta(seconds=30)

    def __init__(self) -> None:
        self.down_until: datetime | None = None

    def open(self) -> bool:
        return self.down_until is not None and timezone.now() < self.down_until

    def trip(self) -> None:
        self.down_until = timezone.now() + self.pause

    def reset(self) -> None:
        self.down_until = None


broker_breaker = _BrokerBreaker()


def notification_enqueue(*, notification_id: int) -> None:
    """Hand the row to a worker. With the broker down the row is already safe in the
    outbox: it is left pending for outbox_requeue_stale instead of failing the writer."""
    from notifications.tasks import deliver  # the tasks module imports services, not the other way round

    if broker_breaker.open():
        return
    try:
        deliver.apply_async((notification_id,), retry=False, ignore_result=True)
    except Exception as exc:  # kombu, redis and socket errors alike: the broker could not take it
        broker_breaker.trip()
        logger.warning("notification %s not queued (%s); requeue_stale will hand it out", notification_id, exc)
    else:
        broker_breaker.reset()


def notification_write(
    *, recipient, kind, for_date, subject, items, dedup_key, totals=None, note="", chase=None
) -> tuple[Notification, bool]:
    """Write the row for dedup_key unless it exists; returns (row, created)."""
    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            dedup_key=dedup_key,
            defaults={
                "recipient": recipient,
                "address": recipient.email,
                "kind": kind,
                "for_date": for_date,
                "subject": subject,
                "items": items,
                "totals": totals or {},
                "note": note,
                "chase": chase,
                "next_attempt_at": timezone.now(),
            },
        )
        if created:
            transaction.on_commit(lambda: notification_enqueue(notification_id=notification.pk))
    return notification, created


def notification_resend(*, notification: Notification) -> Notification:
    """Give a failed row a fresh set of attempts. A sent row is never sent again from here."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification.pk)
        if notification.state != Notification.State.FAILED:
            raise DomainError("只有发送失败的通知可以重新发送。", "not_failed", conflict=True)
        notification.state = Notification.State.PENDING
        notification.attempts = 0
        notification.next_attempt_at = timezone.now()
        notification.save(update_fields=["state", "attempts", "next_attempt_at"])
        transaction.on_commit(lambda: notification_enqueue(notification_id=notification.pk))
    return notification


def outbox_requeue_stale(*, now: datetime | None = None) -> list[int]:
    """Enqueue pending rows whose delivery should have happened a while ago.

    This is what makes a lost message harmless: a worker killed mid-delivery, a
    broker restart, or an enqueue that never happened. Moving next_attempt_at to
    now keeps a worker outage from piling up one message per row per minute.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.REMINDERS_REDELIVER_AFTER)
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(state=Notification.State.PENDING, next_attempt_at__lte=cutoff)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[: settings.REMINDERS_REQUEUE_BATCH]
        )
        Notification.objects.filter(pk__in=ids).update(next_attempt_at=now)
        for pk in ids:
            transaction.on_commit(lambda pk=pk: notification_enqueue(notification_id=pk))
    return ids
