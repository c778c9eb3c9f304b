"""A real SMTP server (aiosmtpd) on a free local port, catching what the project sends."""

import asyncio
import email
import email.policy
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailCatcher:
    """An aiosmtpd handler that keeps what it accepts, and can refuse or hold mail on demand."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse = False  # answer 451 to every message, as a server in trouble does
        self.reject = False  # answer 550 to every recipient, as for a mailbox that does not exist
        self.hold = threading.Event()  # set: the next message waits until `release` is set
        self.holding = threading.Event()
        # set: the next message is kept, then the answer (250) waits until `release`: the sender cannot know
        self.hold_accepted = threading.Event()
        self.holding_accepted = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.accepted_at: list[float] = []  # time.monotonic() when each message was kept
        self.connections = 0  # conversations opened (each greets with EHLO once)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        with self.lock:
            self.connections += 1
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject:
            return "550 5.1.1 收件人邮箱不存在"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 4.3.0 服务器暂时无法接收"
        if self.hold.is_set():
            self.hold.clear()
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            # The sender went away before we accepted: nothing was delivered.
            return "421 4.4.2 连接已中断"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
            self.accepted_at.append(time.monotonic())
        if self.hold_accepted.is_set():
            self.hold_accepted.clear()
            await self._wait_for_release(self.holding_accepted)
        return "250 OK"

    async def _wait_for_release(self, holding: threading.Event) -> None:
        holding.set()
        while not self.release.is_set():
            await asyncio.sleep(0.05)

    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["Message-ID"] for m in self.messages]


@pytest.fixture
def smtp():
    catcher = MailCatcher()
    controller = Controller(catcher, hostname="127.0.0.1", port=free_port())
    controller.start()
    catcher.port = controller.port
    try:
        yield catcher
    finally:
        catcher.release.set()
        controller.stop()


@pytest.fixture
def smtp_settings(settings, smtp):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    return smtp
