"""Rendering an outbox row as an email: subject, plain text and HTML, in Chinese."""

from django.conf import settings
from django.template.loader import render_to_string

from notifications.items import date_label, grouped, item_line, task_url

TOTAL_LABELS = {
    "open": "未完成的责任分工",
    "overdue": "已逾期",
    "unacknowledged": "超时未签收",
    "failed": "发送失败的通知",
}


def _greeting_name(user) -> str:
    if user is None:
        return "您好"
    name = f"{user.last_name}{user.first_name}".strip() or user.username
    return f"{name},您好"


def notification_context(*, notification) -> dict:
    groups = grouped(notification.items)
    for group in groups:
        for plan in group["plans"]:
            for item in plan["items"]:
                # The link is made when the mail is sent, so a changed SITE_URL is followed.
                item["url"] = task_url(item["task_id"])
                item["line"] = item_line(item)
                item["deadline_label"] = date_label(item["deadline"]) if item["deadline"] else ""
    return {
        "notification": notification,
        "greeting": _greeting_name(notification.recipient),
        "day": date_label(notification.for_date),
        "groups": groups,
        "totals": [(TOTAL_LABELS[k], v) for k, v in notification.totals.items() if k in TOTAL_LABELS],
        "note": notification.note,
        "site_url": settings.SITE_URL,
    }


def notification_render(*, notification) -> tuple[str, str, str]:
    context = notification_context(notification=notification)
    text = render_to_string("notifications/email/notification.txt", context)
    html = render_to_string("notifications/email/notification.html", context)
    return notification.subject, text, html
