"""Rendering an outbox row as an email: subject, plain text and HTML, in Chinese."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from notifications.items import ESCALATED, date_label, grouped, item_line, task_url
from notifications.kinds import escalation_note

TOTAL_LABELS = {
    "open": "未完成的责任分工",
    "overdue": "已逾期",
    "unacknowledged": "超时未签收",
    "failed": "发送失败的通知",
}
NEW_ESCALATIONS_LABEL = "今日新升级督办"


def _greeting_name(user) -> str:
    if user is None:
        return "您好"
    name = f"{user.last_name}{user.first_name}".strip() or user.username
    return f"{name},您好"


def _escalations(summary: dict | None) -> dict | None:
    """The supervisors' summary of escalations, with links made when the mail is sent (as the items')."""
    if not summary:
        return None
    departments = [
        {**row, "url": settings.SITE_URL + reverse("supervision:department", args=[row["department_id"]])}
        for row in summary.get("departments", [])
    ]
    return {
        "assignments": summary.get("assignments", 0),
        "new": summary.get("new", 0),
        "departments": departments,
        "overdue_url": settings.SITE_URL + reverse("supervision:report") + "#report-overdue",
    }


def notification_context(*, notification) -> dict:
    escalations = _escalations(notification.totals.get("escalations"))
    groups = grouped(notification.items)
    if escalations:
        # A supervisor's escalated items are only those that reached them today; the rest are in the summary.
        for group in groups:
            if group["urgency"] == ESCALATED:
                group["label"] = NEW_ESCALATIONS_LABEL
    for group in groups:
        for plan in group["plans"]:
            for item in plan["items"]:
                # The link is made when the mail is sent, so a changed SITE_URL is followed.
                item["url"] = task_url(item["task_id"])
                item["line"] = item_line(item)
                item["deadline_label"] = date_label(item["deadline"]) if item["deadline"] else ""
                item["escalation_note"] = escalation_note(item["escalation"])
    return {
        "notification": notification,
        "greeting": _greeting_name(notification.recipient),
        "day": date_label(notification.for_date),
        "groups": groups,
        "totals": [(TOTAL_LABELS[k], v) for k, v in notification.totals.items() if k in TOTAL_LABELS],
        "escalations": escalations,
        "note": notification.note,
        "site_url": settings.SITE_URL,
    }


def notification_render(*, notification) -> tuple[str, str, str]:
    context = notification_context(notification=notification)
    text = render_to_string("notifications/email/notification.txt", context)
    html = render_to_string("notifications/email/notification.html", context)
    return notification.subject, text, html
