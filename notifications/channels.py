"""Delivery channels. Email is the only one today; a robot webhook (企业微信、钉钉)
becomes another entry in CHANNELS and another Notification.Channel choice.

A channel is used through a session: the delivery sends inside its transaction, commits
that the row is sent, and only then lets the session close its connection. So the one
moment a crash can send a message twice is between the server's acceptance and the
commit, not also the polite goodbye (SMTP QUIT) after it (docs/reminders.md).
"""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from notifications.emails import notification_render

logger = logging.getLogger(__name__)


class EmailSession:
    """One SMTP connection, opened at the first message and closed when the session ends."""

    def __init__(self) -> None:
        self.connection = None

    def send(self, notification) -> None:
        if self.connection is None:
            self.connection = get_connection(fail_silently=False)
        subject, text, html = notification_render(notification=notification)
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.address],
            headers={"Message-ID": notification.message_id},
            connection=self.connection,
        )
        message.attach_alternative(html, "text/html")
        self.connection.open()  # no-op when already open; sending on an open connection leaves it open
        try:
            accepted = self.connection.send_messages([message])
        except Exception:
            self.close()  # a connection that failed mid-conversation is not used again
            raise
        if accepted != 1:
            raise RuntimeError("邮件服务器未接收该邮件")

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


@contextmanager
def channel_sessions():
    """Sessions for whatever channels the messages sent inside need; all closed on the way out."""
    sessions = ChannelSessions()
    try:
        yield sessions
    finally:
        sessions.close()
