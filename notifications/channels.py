"""Delivery channels. Email is the only one today; a robot webhook (企业微信、钉钉)
becomes another entry in CHANNELS and another Notification.Channel choice."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from notifications.emails import notification_render


def email_send(notification) -> None:
    subject, text, html = notification_render(notification=notification)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.address],
        headers={"Message-ID": notification.message_id},
        connection=get_connection(fail_silently=False),
    )
    message.attach_alternative(html, "text/html")
    if message.send() != 1:
        raise RuntimeError("邮件服务器未接收该邮件")


CHANNELS = {"email": email_send}


def channel_send(*, notification) -> None:
    CHANNELS[notification.channel](notification)
