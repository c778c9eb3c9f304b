"""Delivering digests over SMTP as a worker does: one kept connection, a row locked, sent and committed
each time, against the floor of the bare SMTP conversation for the same mails over one connection.

.venv/bin/python bench/bench_delivery.py [--digests 10000]

The rows are written and delivered inside a transaction that is rolled back, so the bench data set
is left as it was. The mail server is aiosmtpd on a local port, in a process of its own
(bench/smtp_server.py), which counts the connections opened.
"""

import argparse
import json
import signal
import smtplib
import subprocess
import sys
import time
from datetime import datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

from common import ROOT, row, section
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from notifications.channels import ChannelSessions
from notifications.delivery import notification_deliver
from notifications.emails import notification_render
from notifications.models import Notification
from notifications.sweep import sweep_run
from tests.smtp import free_port

HERE = ROOT / "bench"
AT = datetime.combine(datetime(2026, 11, 25).date(), dtime(9, 0), tzinfo=ZoneInfo("Asia/Shanghai"))


def _a_real_digest():
    """The items and subject of a liaison's digest from the bench data's own sweep."""
    planned = sweep_run(at=AT, dry_run=True).planned
    return next(p for p in planned if p.kind == "digest" and len(p.items) >= 3)


def _rows(count: int) -> list[int]:
    digest = _a_real_digest()
    now = timezone.now() - timedelta(seconds=1)
    rows = Notification.objects.bulk_create(
        Notification(recipient=digest.recipient, address=f"liaison{n}@example.cn", kind="digest",
                     for_date=AT.date(), subject=digest.subject, items=digest.items, totals=digest.totals,
                     dedup_key=f"bench-delivery:{n}", next_attempt_at=now)
        for n in range(count)
    )  # fmt: skip
    return [r.pk for r in rows]


def _as_sent(notification) -> bytes:
    subject, text, html = notification_render(notification=notification)
    email = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL,
                                   to=[notification.address], headers={"Message-ID": notification.message_id})
    email.attach_alternative(html, "text/html")
    return email.message().as_bytes(linesep="\r\n")


def _floor(port: int, count: int, message: bytes) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for n in range(count):
            smtp.sendmail(settings.DEFAULT_FROM_EMAIL, [f"liaison{n}@example.cn"], message)
    return time.perf_counter() - started


def _server():
    port = free_port()
    command = [sys.executable, str(HERE / "smtp_server.py"), str(port)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert server.stdout.readline().strip() == "ready"
    return server, port


def _counts(server) -> dict:
    server.send_signal(signal.SIGTERM)
    out, _ = server.communicate(timeout=30)
    return json.loads(out.strip().splitlines()[-1])


def main(results: list | None = None, digests: int = 10_000):
    server, port = _server()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    with section(f"delivery of {digests} digests to a local SMTP server over kept connections"):
        with transaction.atomic():
            ids = _rows(digests)
            message = _as_sent(Notification.objects.get(pk=ids[0]))
            sessions = ChannelSessions()
            started = time.perf_counter()
            states = [notification_deliver(notification_id=pk, sessions=sessions).state for pk in ids]
            figure = time.perf_counter() - started
            sessions.close()
            transaction.set_rollback(True)
        counts = _counts(server)
        assert states.count("sent") == digests == counts["mails"], (states[:3], counts)
        server, port = _server()
        floor = _floor(port, digests, message)
        _counts(server)
        extra = (
            f"{counts['connections']} SMTP connections opened for {digests} mails"
            f" (at most {settings.EMAIL_MESSAGES_PER_CONNECTION} each); {figure / digests * 1000:.1f} ms a mail"
        )
        line = row(f"deliver {digests} digests", figure, floor, unit="s", extra=extra)
        if results is not None:
            results.append((f"delivery of {digests} digests", figure, floor, extra, line))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digests", type=int, default=10_000)
    main(digests=parser.parse_args().digests)
