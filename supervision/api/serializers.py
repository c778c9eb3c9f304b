"""The supervision report's shape (built by supervision.reports), documented for the schema."""

from rest_framework import serializers

from tasks.api.serializers import LIGHT_CHOICES, CountsSerializer


class ScorecardRowSerializer(CountsSerializer):
    department_id = serializers.IntegerField()
    department = serializers.CharField()
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    lead = CountsSerializer()
    co = CountsSerializer()
    extensions = serializers.IntegerField(help_text="批准延期次数")
    reminders = serializers.IntegerField(help_text="逾期提醒次数")
    chases = serializers.IntegerField(help_text="人工催办次数")
    reports_on_time = serializers.IntegerField()
    reports_late = serializers.IntegerField()
    reports_missing = serializers.IntegerField()
    reporting_rate = serializers.FloatField(allow_null=True)


class ReportSummarySerializer(serializers.Serializer):
    departments = serializers.IntegerField()
    total = serializers.IntegerField()
    completed_on_time = serializers.IntegerField()
    completed_late = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    not_started = serializers.IntegerField()
    overdue = serializers.IntegerField()
    at_risk = serializers.IntegerField()
    completed_undated = serializers.IntegerField()
    undated = serializers.IntegerField()
    completed = serializers.IntegerField()
    completion_rate = serializers.FloatField(allow_null=True)
    on_time_rate = serializers.FloatField(allow_null=True)
    light = serializers.ChoiceField(LIGHT_CHOICES)
    departments_by_light = serializers.DictField(child=serializers.IntegerField())


class OverdueItemSerializer(serializers.Serializer):
    assignment_id = serializers.IntegerField()
    task_id = serializers.IntegerField()
    task = serializers.CharField()
    plan_id = serializers.IntegerField()
    plan = serializers.CharField()
    department_id = serializers.IntegerField()
    department = serializers.CharField()
    role = serializers.CharField()
    due_date = serializers.DateField()
    days_overdue = serializers.IntegerField()
    progress = serializers.IntegerField()


class ReportPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    doc_number = serializers.CharField()


class SupervisionReportSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    plan = ReportPlanSerializer(allow_null=True)
    summary = ReportSummarySerializer()
    departments = ScorecardRowSerializer(many=True)
    overdue = OverdueItemSerializer(many=True)
