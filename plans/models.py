import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from plans.querysets import ClauseQuerySet, PlanImportQuerySet, PlanQuerySet


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        ACTIVE = "active", "执行中"
        ARCHIVED = "archived", "已归档"
        CLOSED = "closed", "已办结"
        STOPPED = "stopped", "已终止"

    title = models.CharField("标题", max_length=300)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    issuer = models.CharField("发文机关", max_length=200, blank=True)
    issued_on = models.DateField("发文日期", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    source_text = models.TextField("原文", blank=True)
    source_file = models.FileField("原始文件", upload_to="plans/%Y/%m/", blank=True)
    content_hash = models.CharField("内容指纹", max_length=64, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="导入人"
    )
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    # 办结 or 终止: when, by whom and why; no reminders go out for the plan after it.
    closing_reason = models.TextField("办结/终止说明", blank=True)
    closed_at = models.DateTimeField("办结/终止时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="办结/终止人",
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "实施方案"
        verbose_name_plural = "实施方案"
        ordering = ["-issued_on", "-id"]
        constraints = [
            # Re-importing the same document must find the existing plan, never make a twin.
            models.UniqueConstraint(fields=["content_hash"], condition=~Q(content_hash=""), name="plan_unique_hash"),
            models.CheckConstraint(
                condition=Q(status__in=["closed", "stopped"], closed_at__isnull=False)
                | (~Q(status__in=["closed", "stopped"]) & Q(closed_at__isnull=True)),
                name="plan_closing_has_time",
            ),
            # A plan is stopped for a reason, which the record keeps.
            models.CheckConstraint(condition=~Q(status="stopped") | ~Q(closing_reason=""), name="plan_stop_has_reason"),
        ]

    def __str__(self):
        return self.title


class Clause(models.Model):
    """One numbered item of a plan, kept as a tree with its label as written."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="clauses", verbose_name="方案")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name="上级条款"
    )
    label = models.CharField("编号", max_length=20, blank=True)
    path = models.CharField("层级路径", max_length=200, blank=True)
    position = models.PositiveIntegerField("顺序")
    heading = models.CharField("标题", max_length=300, blank=True)
    text = models.TextField("内容", blank=True)
    span_start = models.PositiveIntegerField("原文起点", default=0)
    span_end = models.PositiveIntegerField("原文终点", default=0)

    objects = ClauseQuerySet.as_manager()

    class Meta:
        verbose_name = "条款"
        verbose_name_plural = "条款"
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="clause_unique_position"),
            models.CheckConstraint(condition=Q(span_start__lte=F("span_end")), name="clause_span_ordered"),
        ]

    def __str__(self):
        return f"{self.label}{self.heading or self.text[:30]}"


def _import_path(instance, filename):
    # The original name is kept in the row; storage uses a random name.
    return f"imports/{uuid.uuid4().hex}"


class PlanImport(models.Model):
    """One import in progress: the parsed preview, corrected by a supervisor, then confirmed.

    Nothing becomes a Plan until confirm; the preview JSON has the same shape as
    `import_plan --format json`. Parsing and confirming run as background jobs (plans/tasks.py):
    the `job_*` fields say which one, how far it got, and why it failed.
    """

    class State(models.TextChoices):
        PREVIEW = "preview", "待确认"
        CONFIRMED = "confirmed", "已导入"

    class Job(models.TextChoices):
        NONE = "", "无"
        PARSE = "parse", "解析"
        CONFIRM = "confirm", "确认导入"

    class JobState(models.TextChoices):
        IDLE = "idle", "无"
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="导入人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    filename = models.CharField("文件名", max_length=255, blank=True)
    source_file = models.FileField("原始文件", upload_to=_import_path, blank=True)
    source_text = models.TextField("识别出的原文", blank=True)
    result = models.JSONField("解析结果", default=dict)
    # The preview without clause texts and marks (plans/outline.py), written with `result`: what a page of it needs.
    outline = models.JSONField("解析结果摘要", default=dict, blank=True, editable=False)
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.PREVIEW)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    plans = models.ManyToManyField(Plan, blank=True, related_name="imports", verbose_name="生成的方案")
    job = models.CharField("后台作业", max_length=16, choices=Job.choices, blank=True, default=Job.NONE)
    job_state = models.CharField("作业状态", max_length=16, choices=JobState.choices, default=JobState.IDLE)
    job_progress = models.PositiveSmallIntegerField("作业进度(%)", default=0)
    job_error = models.TextField("作业失败原因", blank=True)
    job_updated_at = models.DateTimeField("作业更新时间", null=True, blank=True)
    job_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="作业发起人",
    )

    objects = PlanImportQuerySet.as_manager()

    class Meta:
        verbose_name = "方案导入"
        verbose_name_plural = "方案导入"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(job_progress__lte=100), name="planimport_job_progress_percent"),
        ]

    def __str__(self):
        return self.filename or f"导入 #{self.pk}"

    @property
    def job_in_flight(self) -> bool:
        return self.job_state in (self.JobState.QUEUED, self.JobState.RUNNING)
