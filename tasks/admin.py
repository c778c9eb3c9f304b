from django.contrib import admin

from tasks.models import Assignment, Evidence, ExtensionRequest, Phase, ProgressReport, Task


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
