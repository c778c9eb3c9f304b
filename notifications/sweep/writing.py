"""The day's digests into the outbox: each once, under its key `daily:<user>:<date>`.

A second run, or a second beat, finds the key taken and writes nothing; delivery follows each
row's commit (`outbox.notification_write`).
"""

from datetime import date

from django.db import connection

from notifications.models import Notification
from notifications.outbox import notification_write
from notifications.sweep.audience import Planned


def taken(keys: list[str]) -> set[str]:
    """The keys already in the outbox. On PostgreSQL the keys go as one array: `IN (…)` with thousands of
    placeholders costs more to bind than the look-up in the unique index."""
    if connection.vendor != "postgresql":
        return set(Notification.objects.filter(dedup_key__in=keys).values_list("dedup_key", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT dedup_key FROM {Notification._meta.db_table} WHERE dedup_key = ANY(%s)", [keys])
        return {key for (key,) in cursor.fetchall()}


def digests_write(*, planned: list[Planned], day: date) -> list[Notification]:
    """Write the digests not yet written; a key another run took meanwhile marks its digest as written."""
    written = []
    for digest in planned:
        if digest.already_written:
            continue
        notification, created = notification_write(
            recipient=digest.recipient,
            kind=digest.kind,
            for_date=day,
            subject=digest.subject,
            items=digest.items,
            totals=digest.totals,
            dedup_key=digest.dedup_key,
        )
        if created:
            written.append(notification)
        else:
            digest.already_written = True
    return written
