from datetime import date

import django_filters as df
from django.db.models import Q

from core.filters import IdFilter
from plans.models import Clause, Plan
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
from tasks.rules import Light, Status
from tasks.selectors import task_status_q

STATUS_CHOICES = [(s.value, s.value) for s in Status]
LIGHT_CHOICES = [(light.value, light.value) for light in Light]


def _search(queryset, fields, value):
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__icontains": value})
    return queryset.filter(query)


class PlanFilter(df.FilterSet):
    issued = df.DateFromToRangeFilter(field_name="issued_on")
    q = df.CharFilter(method="search", label="搜索标题、文号、发文机关")
    department = IdFilter(field_name="tasks__assignments__department", distinct=True)

    class Meta:
        model = Plan
        fields = ["status"]

    def search(self, queryset, name, value):
        return _search(queryset, ["title", "doc_number", "issuer"], value)


class ClauseFilter(df.FilterSet):
    q = df.CharFilter(method="search", label="搜索条款")

    class Meta:
        model = Clause
        fields = ["plan", "parent"]

    def search(self, queryset, name, value):
        return _search(queryset, ["heading", "text", "label"], value)


class _StatusFilter(df.FilterSet):
    """Filters on the derived status shared by tasks and assignments."""

    # No DISTINCT: these filter on the row's own columns, and DISTINCT would have to compare every annotation.
    status = df.MultipleChoiceFilter(choices=STATUS_CHOICES, distinct=False)
    light = df.MultipleChoiceFilter(choices=LIGHT_CHOICES, distinct=False)
    overdue = df.BooleanFilter(method="filter_overdue", label="已逾期")
    due = df.DateFromToRangeFilter(field_name="effective_due", label="完成时限范围(due_after, due_before)")

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(status=Status.OVERDUE) if value else queryset.exclude(status=Status.OVERDUE)


def _having(related, lookup: str):
    """A filter method keeping the rows that have a related row matching the value (a semi-join).

    A join and DISTINCT would repeat the status annotations in the DISTINCT of every row.
    """

    def method(self, queryset, name, value):
        return queryset.filter(pk__in=related.objects.filter(**{lookup: value}).values("task_id"))

    return method


class TaskFilter(_StatusFilter):
    status = df.MultipleChoiceFilter(choices=STATUS_CHOICES, method="filter_status")
    department = IdFilter(method="filter_department", label="单位(牵头或配合)")
    role = df.ChoiceFilter(method="filter_role", choices=Assignment.Role.choices, label="分工角色")
    phase_kind = df.ChoiceFilter(method="filter_phase_kind", choices=Phase.Kind.choices, label="阶段")
    q = df.CharFilter(method="search", label="搜索任务")

    filter_department = _having(Assignment, "department")
    filter_role = _having(Assignment, "role")
    filter_phase_kind = _having(Phase, "kind")

    @property
    def as_of(self):
        # The view has already refused a malformed as_of (400) by the time filters run.
        raw = self.request.query_params.get("as_of") if self.request else None
        return date.fromisoformat(raw) if raw else None

    def filter_status(self, queryset, name, value):
        return queryset.filter(task_status_q(value, self.as_of)) if value else queryset

    def filter_overdue(self, queryset, name, value):
        overdue = task_status_q([Status.OVERDUE], self.as_of)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    class Meta:
        model = Task
        fields = ["plan", "clause", "state", "due_kind", "reporting_cadence"]

    def search(self, queryset, name, value):
        return _search(queryset, ["title", "description", "due_text"], value)


class AssignmentFilter(_StatusFilter):
    plan = IdFilter(field_name="task__plan")
    phase_kind = df.ChoiceFilter(field_name="task__phases__kind", choices=Phase.Kind.choices, distinct=True)
    acknowledged = df.BooleanFilter(field_name="acknowledged_at", lookup_expr="isnull", exclude=True, label="已签收")
    q = df.CharFilter(method="search", label="搜索任务或单位")

    class Meta:
        model = Assignment
        fields = ["task", "department", "role", "state"]

    def search(self, queryset, name, value):
        return _search(queryset, ["task__title", "task__description", "department__name"], value)


class PhaseFilter(df.FilterSet):
    plan = IdFilter(field_name="task__plan")
    start = df.DateFromToRangeFilter(field_name="start_date")
    end = df.DateFromToRangeFilter(field_name="end_date")

    class Meta:
        model = Phase
        fields = ["task", "kind"]


class ProgressReportFilter(df.FilterSet):
    plan = IdFilter(field_name="assignment__task__plan")
    task = IdFilter(field_name="assignment__task")
    department = IdFilter(field_name="assignment__department")
    submitted = df.DateFromToRangeFilter(field_name="submitted_at__date")
    q = df.CharFilter(method="search", label="搜索进展内容")

    class Meta:
        model = ProgressReport
        fields = ["assignment", "review_state", "author"]

    def search(self, queryset, name, value):
        return _search(queryset, ["text", "assignment__task__title"], value)


class EvidenceFilter(df.FilterSet):
    assignment = IdFilter(field_name="report__assignment")

    class Meta:
        model = Evidence
        fields = ["report", "content_type"]


class ExtensionRequestFilter(df.FilterSet):
    plan = IdFilter(field_name="assignment__task__plan")
    department = IdFilter(field_name="assignment__department")
    requested_due = df.DateFromToRangeFilter(field_name="requested_due_date")

    class Meta:
        model = ExtensionRequest
        fields = ["assignment", "decision"]


class ActivityLogFilter(df.FilterSet):
    object_type = df.CharFilter(field_name="content_type__model")
    at = df.DateFromToRangeFilter(field_name="at__date")

    class Meta:
        model = ActivityLog
        fields = ["actor", "verb", "object_id"]


class SnapshotFilter(df.FilterSet):
    as_of = df.DateFromToRangeFilter()
    plan = IdFilter(field_name="plan", label="方案;不填为全部方案合计")

    class Meta:
        model = DepartmentSnapshot
        fields = ["department", "role"]

    def filter_queryset(self, queryset):
        # Without a plan the history is the across-plans line, not every plan's rows mixed together.
        if not self.form.cleaned_data.get("plan"):
            queryset = queryset.filter(plan__isnull=True)
        return super().filter_queryset(queryset)
