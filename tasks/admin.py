from django.contrib import admin

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


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["department"]
    fields = ["department", "role", "due_date", "state", "progress", "completed_on", "acknowledged_at"]
    readonly_fields = ["acknowledged_at"]


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "due_date", "state", "progress", "completed_on"]
    list_filter = ["state", "reporting_cadence", "plan"]
    search_fields = ["title", "description", "due_text"]
    date_hierarchy = "due_date"
    raw_id_fields = ["plan", "clause"]
    inlines = [AssignmentInline, PhaseInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["task", "department", "role", "state", "progress", "due_date", "acknowledged_at"]
    list_filter = ["role", "state", "department"]
    search_fields = ["task__title", "department__name"]
    raw_id_fields = ["task", "acknowledged_by"]
    autocomplete_fields = ["department"]


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["task", "kind", "name", "start_date", "end_date"]
    list_filter = ["kind"]
    search_fields = ["name", "task__title"]
    raw_id_fields = ["task"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    readonly_fields = ["original_name", "content_type", "size", "uploaded_at"]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["assignment", "author", "percent", "submitted_at", "review_state"]
    list_filter = ["review_state"]
    search_fields = ["text", "assignment__task__title", "assignment__department__name"]
    raw_id_fields = ["assignment", "author", "reviewer"]
    inlines = [EvidenceInline]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(admin.ModelAdmin):
    list_display = ["assignment", "requested_due_date", "decision", "created_at", "decided_by"]
    list_filter = ["decision"]
    search_fields = ["reason", "assignment__task__title", "assignment__department__name"]
    raw_id_fields = ["assignment", "requested_by", "decided_by"]


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    """The change record is written by the services only: read here, never edited."""

    list_display = ["at", "actor", "verb", "object_repr"]
    list_filter = ["verb", "content_type"]
    search_fields = ["object_repr", "actor__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DepartmentSnapshot)
class DepartmentSnapshotAdmin(admin.ModelAdmin):
    list_display = ["as_of", "department", "plan", "role", "total", "completed_on_time", "completed_late", "overdue"]
    list_filter = ["role", "as_of"]
    search_fields = ["department__name"]
    raw_id_fields = ["department", "plan"]
