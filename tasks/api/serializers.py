from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.fields import DAY_VALIDATORS
from org.models import Department
from plans.models import Clause, Plan
from tasks.evidence import MAX_FILES_PER_REPORT
from tasks.models import (
    ActivityLog,
    Assignment,
    DepartmentSnapshot,
    Evidence,
    ExtensionRequest,
    Phase,
    ProgressReport,
    Task,
)
from tasks.rules import LIGHT_LABELS, STATUS_LABELS, Light, Status

# Also named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] (a plan has a "status" too).
STATUS_CHOICES = [(s.value, STATUS_LABELS[s]) for s in Status]
LIGHT_CHOICES = [(light.value, LIGHT_LABELS[light]) for light in Light]


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = [
            "id", "title", "doc_number", "issuer", "issued_on", "status", "created_at",
            "closing_reason", "closed_at", "closed_by",
        ]  # fmt: skip
        read_only_fields = fields


class PlanClosingSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="办结说明;终止时必填")


class ClauseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Clause
        fields = ["id", "plan", "parent", "label", "path", "position", "heading", "text"]
        read_only_fields = fields


class StatusFieldsMixin(serializers.Serializer):
    """Derived as of the requested day (today by default) by tasks.selectors."""

    effective_due = serializers.DateField(read_only=True, allow_null=True)
    span_start = serializers.DateField(read_only=True)
    status = serializers.ChoiceField(STATUS_CHOICES, read_only=True)
    light = serializers.ChoiceField(LIGHT_CHOICES, read_only=True)
    expected_progress = serializers.IntegerField(read_only=True)
    days_overdue = serializers.IntegerField(read_only=True)


class AssignmentBriefSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "department", "department_name", "role"]
        read_only_fields = fields


class TaskSerializer(StatusFieldsMixin, serializers.ModelSerializer):
    """Writes go through tasks.editing: a new task names its lead (and co) departments."""

    assignments = AssignmentBriefSerializer(many=True, read_only=True)
    leads = serializers.PrimaryKeyRelatedField(
        many=True, write_only=True, required=False, queryset=Department.objects.all(), help_text="牵头单位(新建时必填)"
    )
    co = serializers.PrimaryKeyRelatedField(
        many=True, write_only=True, required=False, queryset=Department.objects.all(), help_text="配合单位"
    )

    class Meta:
        model = Task
        fields = [
            "id", "plan", "clause", "title", "description", "start_date", "due_date", "due_text", "due_kind",
            "recurrence", "reporting_cadence", "state", "progress", "completed_on", "created_at",
            "effective_due", "span_start", "status", "light", "expected_progress", "days_overdue", "assignments",
            "leads", "co",
        ]  # fmt: skip
        # The task's work follows its leads (tasks.services.task_sync_work), never typed in; a task added
        # by hand has no clause.
        read_only_fields = ["clause", "state", "progress", "completed_on", "created_at"]

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        due = attrs.get("due_date", getattr(self.instance, "due_date", None))
        if start and due and start > due:
            raise serializers.ValidationError({"start_date": "开始日期不能晚于完成时限。"})
        return attrs


class AssignmentSerializer(StatusFieldsMixin, serializers.ModelSerializer):
    plan = serializers.IntegerField(source="task.plan_id", read_only=True)
    task_title = serializers.CharField(source="task.title", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    progress_as_of = serializers.IntegerField(read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id", "task", "task_title", "plan", "department", "department_name", "role", "due_date",
            "state", "progress", "completed_on", "acknowledged_at", "acknowledged_by", "created_at",
            "effective_due", "span_start", "progress_as_of", "status", "light", "expected_progress", "days_overdue",
        ]  # fmt: skip
        read_only_fields = ["due_date", "state", "progress", "completed_on", "acknowledged_at", "acknowledged_by"]
        validators = []  # the service keeps one part per department and task


class AssignmentRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(Assignment.Role.choices, help_text="lead 牵头单位;co 配合单位")


class AssignmentCompleteSerializer(serializers.Serializer):
    completed_on = serializers.DateField(required=False, help_text="完成日期,默认今天", validators=DAY_VALIDATORS)


class PhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["id", "task", "kind", "name", "position", "start_date", "end_date", "text"]

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and start > end:
            raise serializers.ValidationError({"start_date": "开始日期不能晚于结束日期。"})
        return attrs


class EvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "report", "original_name", "content_type", "size", "uploaded_at", "download_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_download_url(self, obj) -> str:
        return reverse("evidence-download", kwargs={"pk": obj.pk})


class ProgressReportSerializer(serializers.ModelSerializer):
    department = serializers.IntegerField(source="assignment.department_id", read_only=True)
    task = serializers.IntegerField(source="assignment.task_id", read_only=True)
    author_name = serializers.CharField(source="author.get_full_name", read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    files = serializers.ListField(
        child=serializers.FileField(),
        write_only=True,
        required=False,
        max_length=MAX_FILES_PER_REPORT,
        help_text="佐证材料:PDF、Word、Excel、JPG、PNG",
    )

    class Meta:
        model = ProgressReport
        fields = [
            "id", "assignment", "department", "task", "author", "author_name", "text", "percent", "submitted_at",
            "review_state", "reviewer", "reviewed_at", "review_comment", "evidence", "files",
        ]  # fmt: skip
        read_only_fields = ["author", "submitted_at", "review_state", "reviewer", "reviewed_at", "review_comment"]
        extra_kwargs = {"percent": {"min_value": 0, "max_value": 100}}


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(["approve", "return"], help_text="approve 通过;return 退回")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ExtensionRequestSerializer(serializers.ModelSerializer):
    department = serializers.IntegerField(source="assignment.department_id", read_only=True)
    task = serializers.IntegerField(source="assignment.task_id", read_only=True)

    class Meta:
        model = ExtensionRequest
        fields = [
            "id", "assignment", "department", "task", "requested_by", "previous_due_date", "requested_due_date",
            "reason", "created_at", "decision", "decided_by", "decided_at", "decision_comment",
        ]  # fmt: skip
        read_only_fields = [
            "requested_by", "previous_due_date", "created_at", "decision", "decided_by", "decided_at",
            "decision_comment",
        ]  # fmt: skip


class DecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(["approve", "reject"], help_text="approve 批准;reject 不批准")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ActivityLogSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.username", read_only=True, default=None)
    object_type = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = ActivityLog
        fields = [
            "id",
            "at",
            "actor",
            "actor_name",
            "verb",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
        ]
        read_only_fields = fields


# ---------------------------------------------------------------------------
# Status and history (documents the shapes built by tasks.selectors)


class CountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    completed_on_time = serializers.IntegerField()
    completed_late = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    not_started = serializers.IntegerField()
    overdue = serializers.IntegerField()
    at_risk = serializers.IntegerField()
    overdue_days = serializers.IntegerField()
    completed_undated = serializers.IntegerField(help_text="已完成(无时限):不计入按时完成率")
    undated = serializers.IntegerField(help_text="无时限(灰灯)")
    completed = serializers.IntegerField()
    completion_rate = serializers.FloatField(allow_null=True, help_text="完成率(%)")
    on_time_rate = serializers.FloatField(allow_null=True, help_text="按时完成率(%)")
    light = serializers.ChoiceField(LIGHT_CHOICES)


class DepartmentStatusSerializer(CountsSerializer):
    department_id = serializers.IntegerField()
    department = serializers.CharField()
    plan_id = serializers.IntegerField(allow_null=True)
    source = serializers.ChoiceField(["live", "snapshot"])
    lead = CountsSerializer()
    co = CountsSerializer()


class SnapshotSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = DepartmentSnapshot
        fields = [
            "as_of", "department", "department_name", "plan", "role", "total", "completed_on_time", "completed_late",
            "in_progress", "not_started", "overdue", "at_risk", "overdue_days", "completed_undated", "undated",
        ]  # fmt: skip
        read_only_fields = fields
