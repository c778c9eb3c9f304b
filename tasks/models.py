import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tasks.querysets import (
    ActivityLogQuerySet,
    AssignmentQuerySet,
    DepartmentSnapshotQuerySet,
    EvidenceQuerySet,
    ExtensionRequestQuerySet,
    PhaseQuerySet,
    ProgressReportQuerySet,
    TaskQuerySet,
)
from tasks.rules import State


def _work_state_constraints(prefix: str):
    """Stored work state invariants shared by Task and Assignment."""
    return [
        models.CheckConstraint(condition=Q(progress__gte=0, progress__lte=100), name=f"{prefix}_progress_range"),
        models.CheckConstraint(
            condition=Q(state=State.COMPLETED, completed_on__isnull=False, progress=100)
            | (~Q(state=State.COMPLETED) & Q(completed_on__isnull=True)),
            name=f"{prefix}_completed_consistent",
        ),
    ]


class WorkState(models.TextChoices):
    NOT_STARTED = State.NOT_STARTED, "未开始"
    IN_PROGRESS = State.IN_PROGRESS, "进行中"
    COMPLETED = State.COMPLETED, "已完成"


class ReportingCadence(models.TextChoices):
    NONE = "none", "无需定期报告"
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    SEMESTER = "semester", "每学期"
    YEARLY = "yearly", "每年"


class DueKind(models.TextChoices):
    """How a task's time is set: by a deadline, or followed without one (see tasks/rules.py)."""

    DATED = "dated", "有时限"
    ONGOING = "ongoing", "长期"
    PERIODIC = "periodic", "按周期报送"


class Task(models.Model):
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="tasks", verbose_name="方案")
    clause = models.OneToOneField(
        "plans.Clause", null=True, blank=True, on_delete=models.SET_NULL, related_name="task", verbose_name="条款"
    )
    title = models.CharField("任务", max_length=300)
    description = models.TextField("内容", blank=True)
    start_date = models.DateField("开始日期", null=True, blank=True)
    due_date = models.DateField("完成时限", null=True, blank=True, db_index=True)
    due_text = models.CharField("时限原文", max_length=200, blank=True)
    due_kind = models.CharField("时限类型", max_length=16, choices=DueKind.choices, default=DueKind.DATED)
    recurrence = models.CharField("周期", max_length=50, blank=True, help_text="如 yearly:08-10、semester、quarterly")
    reporting_cadence = models.CharField(
        "报告频次", max_length=16, choices=ReportingCadence.choices, default=ReportingCadence.NONE
    )
    state = models.CharField("状态", max_length=16, choices=WorkState.choices, default=WorkState.NOT_STARTED)
    progress = models.PositiveSmallIntegerField("进度(%)", default=0)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="任务变更历史")  # who changed what, when (tasks.history)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["plan", "id"]
        constraints = [
            *_work_state_constraints("task"),
            models.CheckConstraint(condition=Q(due_kind__in=DueKind.values), name="task_due_kind_valid"),
            # Work followed without a deadline has none; periodic work is followed by its reports.
            models.CheckConstraint(
                condition=Q(due_kind=DueKind.DATED) | Q(due_date__isnull=True), name="task_open_ended_has_no_due"
            ),
            models.CheckConstraint(
                condition=~Q(due_kind=DueKind.PERIODIC) | ~Q(reporting_cadence=ReportingCadence.NONE),
                name="task_periodic_has_cadence",
            ),
        ]

    def __str__(self):
        return self.title


class Assignment(models.Model):
    """One department's part in one task (责任分工)."""

    class Role(models.TextChoices):
        LEAD = "lead", "牵头单位"
        CO = "co", "配合单位"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments", verbose_name="任务")
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="assignments", verbose_name="单位"
    )
    role = models.CharField("角色", max_length=8, choices=Role.choices)
    due_date = models.DateField(
        "本单位时限", null=True, blank=True, help_text="为空时沿用任务时限;批准延期后为新的时限"
    )
    state = models.CharField("状态", max_length=16, choices=WorkState.choices, default=WorkState.NOT_STARTED)
    progress = models.PositiveSmallIntegerField("进度(%)", default=0)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="签收人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="责任分工变更历史")  # who changed what, when (tasks.history)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "责任分工"
        verbose_name_plural = "责任分工"
        ordering = ["task", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "department"], name="assignment_unique_department"),
            models.CheckConstraint(condition=Q(role__in=["lead", "co"]), name="assignment_role_valid"),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_by__isnull=False),
                name="assignment_ack_has_user",
            ),
            *_work_state_constraints("assignment"),
        ]

    def __str__(self):
        return f"{self.task} · {self.department} · {self.get_role_display()}"

    @property
    def effective_due_date(self):
        return self.due_date or self.task.due_date

    @property
    def is_lead(self) -> bool:
        return self.role == self.Role.LEAD


class Phase(models.Model):
    class Kind(models.TextChoices):
        PREPARATION = "preparation", "筹备"
        OPERATION = "operation", "运行"
        EVALUATION = "evaluation", "评估"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="phases", verbose_name="任务")
    kind = models.CharField("阶段类型", max_length=16, choices=Kind.choices)
    name = models.CharField("阶段名称", max_length=100, blank=True, help_text="文件中的原名,如 前期筹备阶段")
    position = models.PositiveSmallIntegerField("顺序", default=0)
    start_date = models.DateField("开始日期", null=True, blank=True)
    end_date = models.DateField("结束日期", null=True, blank=True)
    text = models.CharField("时间原文", max_length=200, blank=True)
    history = HistoricalRecords(verbose_name="阶段变更历史")  # who changed what, when (tasks.history)

    objects = PhaseQuerySet.as_manager()

    class Meta:
        verbose_name = "阶段"
        verbose_name_plural = "阶段"
        ordering = ["task", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=models.F("end_date")),
                name="phase_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["preparation", "operation", "evaluation"]), name="phase_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name or self.get_kind_display()


class ProgressReport(models.Model):
    class Review(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已通过"
        RETURNED = "returned", "已退回"

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="reports", verbose_name="责任分工"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_reports", verbose_name="填报人"
    )
    text = models.TextField("进展情况")
    percent = models.PositiveSmallIntegerField("进度(%)")
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    review_state = models.CharField("审核状态", max_length=16, choices=Review.choices, default=Review.PENDING)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_comment = models.TextField("审核意见", blank=True)
    history = HistoricalRecords(verbose_name="进展报告变更历史")  # who changed what, when (tasks.history)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = "进展报告"
        verbose_name_plural = "进展报告"
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["assignment", "-submitted_at"], name="report_assignment_latest"),
            # The supervisors' review queue (home page, counts): a few pending among hundreds of thousands.
            models.Index(
                fields=["submitted_at"], condition=models.Q(review_state="pending"), name="report_review_queue"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(percent__gte=0, percent__lte=100), name="report_percent_range"),
            models.CheckConstraint(
                condition=Q(review_state="pending") | Q(reviewer__isnull=False, reviewed_at__isnull=False),
                name="report_review_has_reviewer",
            ),
        ]

    def __str__(self):
        return f"{self.assignment} · {self.percent}%"


def _evidence_path(instance, filename):
    # Stored under a random name: the original name is kept in the row, never trusted as a path.
    return f"evidence/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()[:10]}"


class Evidence(models.Model):
    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="evidence", verbose_name="进展报告"
    )
    file = models.FileField("文件", upload_to=_evidence_path)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=100, blank=True)
    size = models.PositiveBigIntegerField("大小(字节)", default=0)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"

    def __str__(self):
        return self.original_name


class ExtensionRequest(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="extension_requests", verbose_name="责任分工"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    previous_due_date = models.DateField("原时限", null=True, blank=True)
    requested_due_date = models.DateField("申请延至")
    reason = models.TextField("理由")
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    decision = models.CharField("审批结果", max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="审批人",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_comment = models.TextField("审批意见", blank=True)
    history = HistoricalRecords(verbose_name="延期申请变更历史")  # who changed what, when (tasks.history)

    objects = ExtensionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="pending") | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="extension_decision_has_decider",
            ),
        ]

    def __str__(self):
        return f"{self.assignment} → {self.requested_due_date}"


class ActivityLog(models.Model):
    """Who changed what and when; written by the services, never edited."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="操作人",
    )
    verb = models.CharField("操作", max_length=40, db_index=True)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+", verbose_name="对象类型"
    )
    object_id = models.PositiveBigIntegerField("对象编号")
    object_repr = models.CharField("对象", max_length=300)
    before = models.JSONField("变更前", default=dict, blank=True)
    after = models.JSONField("变更后", default=dict, blank=True)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    objects = ActivityLogQuerySet.as_manager()

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="activity_object")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.verb} {self.object_repr}"


class DepartmentSnapshot(models.Model):
    """One department's counts on one day, per plan (or across plans when plan is empty) and role.

    Live queries answer for today; these rows keep the history, so that past
    days are reported as they were seen then, not as reconstructed later.
    """

    class Role(models.TextChoices):
        ALL = "all", "全部"
        LEAD = "lead", "牵头"
        CO = "co", "配合"

    as_of = models.DateField("统计日期", db_index=True)
    department = models.ForeignKey(
        "org.Department", on_delete=models.CASCADE, related_name="snapshots", verbose_name="单位"
    )
    plan = models.ForeignKey(
        "plans.Plan", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name="方案"
    )
    role = models.CharField("角色", max_length=8, choices=Role.choices, default=Role.ALL)
    total = models.PositiveIntegerField("任务数", default=0)
    completed_on_time = models.PositiveIntegerField("按时完成", default=0)
    completed_late = models.PositiveIntegerField("逾期完成", default=0)
    in_progress = models.PositiveIntegerField("进行中", default=0)
    not_started = models.PositiveIntegerField("未开始", default=0)
    overdue = models.PositiveIntegerField("已逾期", default=0)
    at_risk = models.PositiveIntegerField("有风险", default=0)
    overdue_days = models.PositiveIntegerField("逾期天数", default=0)
    completed_undated = models.PositiveIntegerField("完成(无时限)", default=0)
    undated = models.PositiveIntegerField("无时限", default=0)
    taken_at = models.DateTimeField("生成时间", auto_now=True)

    objects = DepartmentSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = "单位完成情况快照"
        verbose_name_plural = "单位完成情况快照"
        ordering = ["-as_of", "department", "plan", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["as_of", "department", "plan", "role"],
                condition=Q(plan__isnull=False),
                name="snapshot_unique_per_plan",
            ),
            models.UniqueConstraint(
                fields=["as_of", "department", "role"], condition=Q(plan__isnull=True), name="snapshot_unique_overall"
            ),
            models.CheckConstraint(condition=Q(role__in=["all", "lead", "co"]), name="snapshot_role_valid"),
            models.CheckConstraint(
                condition=Q(
                    total=models.F("completed_on_time")
                    + models.F("completed_late")
                    + models.F("completed_undated")
                    + models.F("in_progress")
                    + models.F("not_started")
                    + models.F("overdue")
                ),
                name="snapshot_statuses_add_up",
            ),
        ]

    def __str__(self):
        return f"{self.as_of} · {self.department} · {self.plan or '全部方案'} · {self.get_role_display()}"
