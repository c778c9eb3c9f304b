"""Reminder policy, user preferences, the outbox and the record of 催办.

The sweep decides from the current state of tasks what is due today and writes
one outbox row per recipient; delivery reads rows, never tasks. The unique
deduplication key is what makes a second sweep, or two beats at once, harmless.
"""

import hashlib
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from notifications.querysets import ChaseQuerySet, NotificationQuerySet


def default_before_days():
    return [7, 3, 1, 0]


class ReminderPolicy(models.Model):
    """A plan's own reminder rules. Plans without a row follow the field defaults, so the
    defaults live in one place: an unsaved ReminderPolicy() is the default policy."""

    plan = models.OneToOneField(
        "plans.Plan", on_delete=models.CASCADE, related_name="reminder_policy", verbose_name="方案"
    )
    before_days = models.JSONField(
        "提前提醒(工作日)",
        default=default_before_days,
        help_text="截止前第几个工作日提醒,0 表示截止当日,如 [7, 3, 1, 0]",
    )
    overdue_every = models.PositiveSmallIntegerField("逾期提醒间隔(工作日)", default=1)
    escalate_head_after = models.PositiveSmallIntegerField("逾期几个工作日后提醒单位负责人", default=3)
    escalate_supervisors_after = models.PositiveSmallIntegerField("逾期几个工作日后提醒督查员", default=7)
    acknowledge_within = models.PositiveSmallIntegerField("签收时限(工作日)", default=2)
    report_before = models.PositiveSmallIntegerField("进展报告提前提醒(工作日)", default=3)
    remind_co = models.BooleanField("提醒配合单位", default=True)

    class Meta:
        verbose_name = "提醒规则"
        verbose_name_plural = "提醒规则"
        constraints = [
            models.CheckConstraint(condition=Q(overdue_every__gte=1), name="policy_overdue_every_positive"),
            models.CheckConstraint(condition=Q(escalate_head_after__gte=1), name="policy_head_after_positive"),
            models.CheckConstraint(
                condition=Q(escalate_supervisors_after__gte=1), name="policy_supervisors_after_positive"
            ),
        ]

    def __str__(self):
        return f"{self.plan} 的提醒规则"

    def clean(self):
        days = self.before_days
        if not isinstance(days, list) or not all(isinstance(d, int) and 0 <= d <= 60 for d in days):
            raise ValidationError({"before_days": "请填写 0 到 60 之间的整数列表,如 [7, 3, 1, 0]。"})


class NotificationPreference(models.Model):
    """What one user wants to receive; users without a row get the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name="用户",
    )
    digest_hour = models.PositiveSmallIntegerField(
        "每日汇总时间(点)", default=8, help_text="工作日几点(北京时间)收到当天的提醒汇总,0–23"
    )
    receive_co_reminders = models.BooleanField("接收配合单位任务的提醒", default=True)
    daily_summary = models.BooleanField("接收督查每日汇总(督查员)", default=True)

    class Meta:
        verbose_name = "通知偏好"
        verbose_name_plural = "通知偏好"
        constraints = [
            models.CheckConstraint(condition=Q(digest_hour__lte=23), name="preference_digest_hour_range"),
        ]

    def __str__(self):
        return f"{self.user} 的通知偏好"


class Chase(models.Model):
    """催办: a supervisor chased a department about one assignment."""

    assignment = models.ForeignKey(
        "tasks.Assignment", on_delete=models.CASCADE, related_name="chases", verbose_name="责任分工"
    )
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="催办人"
    )
    note = models.TextField("催办说明", blank=True)
    created_at = models.DateTimeField("催办时间", auto_now_add=True)

    objects = ChaseQuerySet.as_manager()

    class Meta:
        verbose_name = "催办记录"
        verbose_name_plural = "催办记录"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.assignment} · {self.created_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """One message to one recipient: a row of the outbox."""

    class Channel(models.TextChoices):
        EMAIL = "email", "电子邮件"

    class Kind(models.TextChoices):
        DIGEST = "digest", "提醒汇总"
        SUMMARY = "summary", "督查每日汇总"
        CHASE = "chase", "催办"

    class State(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
        verbose_name="收件人",
    )
    address = models.CharField("收件地址", max_length=254)
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices, default=Channel.EMAIL)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    for_date = models.DateField("提醒日期")
    subject = models.CharField("标题", max_length=300)
    # PostgreSQL indexes the items for containment look-ups (migration 0002_items_path_index).
    items = models.JSONField("事项", default=list, blank=True)
    totals = models.JSONField("汇总数字", default=dict, blank=True)
    note = models.TextField("附言", blank=True)
    chase = models.ForeignKey(
        Chase, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications", verbose_name="催办"
    )
    dedup_key = models.CharField("去重键", max_length=200, unique=True)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间", db_index=True)
    last_error = models.TextField("最近错误", blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知(发件箱)"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="notification_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "sent", "failed"]), name="notification_state_valid"
            ),
            models.CheckConstraint(condition=Q(channel__in=["email"]), name="notification_channel_valid"),
            models.CheckConstraint(
                condition=Q(state="sent", sent_at__isnull=False) | (~Q(state="sent") & Q(sent_at__isnull=True)),
                name="notification_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.address} · {self.for_date}"

    @property
    def message_id(self) -> str:
        """Stable across retries, so that a receiving server can drop a copy sent twice."""
        digest = hashlib.sha256(self.dedup_key.encode()).hexdigest()[:16]
        domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
        return f"<duban.{self.pk}.{digest}@{domain}>"
