"""Delivery channels. Email is the only one today; a robot webhook (企业微信、钉钉)
becomes another entry in CHANNELS and another Notification.Channel choice.

A channel is used through a session: the delivery sends inside its transaction and commits
that the row is sent; the session's connection is closed only after that, or kept for the
next messages. So the one moment a crash can send a message twice is between the server's
acceptance and the commit (docs/reminders.md).
"""

import logging
import smtplib
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from notifications.emails import notification_render

logger = logging.getLogger(__name__)


def _mail_settings() -> tuple:
    return (settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER)


class EmailSession:
    """One SMTP connection at a time, opened at the first message and kept for the next ones.

    A worker delivering a province's digests would otherwise open a connection (and a TLS
    handshake, and a sign-in) per mail. A kept connection is asked NOOP before it is used again,
    since servers drop idle ones, and replaced after EMAIL_MESSAGES_PER_CONNECTION messages,
    which servers also limit. NOOP costs one round trip and proves the server has taken nothing
    yet, so reconnecting after it cannot send a mail twice.
    """

    def __init__(self) -> None:
        self.connection = None
        self.sent_on_connection = 0
        self.made_for = None  # the mail settings the connection was opened with

    def send(self, notification) -> None:
        subject, text, html = notification_render(notification=notification)
        connection = self._ready_connection()
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.address],
            headers={"Message-ID": notification.message_id},
            connection=connection,
        )
        message.attach_alternative(html, "text/html")
        try:
            accepted = connection.send_messages([message])  # an open connection is left open
        except Exception:
            self.close()  # a connection that failed mid-conversation is not used again
            raise
        self.sent_on_connection += 1
        if accepted != 1:
            raise RuntimeError("邮件服务器未接收该邮件")

    def _ready_connection(self):
        if self.connection is not None and (
            self.made_for != _mail_settings()
            or self.sent_on_connection >= settings.EMAIL_MESSAGES_PER_CONNECTION
            or not self._answers()
        ):
            self.close()
        if self.connection is None:
            self.connection = get_connection(fail_silently=False)
            self.connection.open()
            self.sent_on_connection, self.made_for = 0, _mail_settings()
        return self.connection

    def _answers(self) -> bool:
        smtp = getattr(self.connection, "connection", None)
        if smtp is None:
            return True  # a backend without a socket (console, memory in tests) has nothing to drop
        try:
            return smtp.noop()[0] == 250
        except (smtplib.SMTPException, OSError):
            return False

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is None:
            return
        try:
            connection.close()
        except Exception as exc:  # noqa: BLE001  (the mail is sent and recorded; a failed goodbye changes nothing)
            logger.info("SMTP connection not closed cleanly: %s", exc)


CHANNELS = {"email": EmailSession}


class ChannelSessions:
    def __init__(self) -> None:
        self._open: dict[str, object] = {}

    def send(self, notification) -> None:
        session = self._open.get(notification.channel)
        if session is None:
            session = self._open[notification.channel] = CHANNELS[notification.channel]()
        session.send(notification)

    def close(self) -> None:
        for session in self._open.values():
            session.close()
        self._open.clear()


_worker_sessions = ChannelSessions()


def worker_sessions() -> ChannelSessions:
    """The sessions this worker process keeps between deliveries (closed when the process stops)."""
    return _worker_sessions


@contextmanager
def channel_sessions():
    """Sessions for whatever channels the messages sent inside need; all closed on the way out."""
    sessions = ChannelSessions()
    try:
        yield sessions
    finally:
        sessions.close()
