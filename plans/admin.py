from django.contrib import admin

from plans.models import Clause, Plan, PlanImport


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "doc_number", "issuer", "issued_on", "status"]
    list_filter = ["status", "issuer"]
    search_fields = ["title", "doc_number", "issuer"]
    date_hierarchy = "issued_on"
    readonly_fields = ["content_hash", "created_by", "created_at"]


@admin.register(Clause)
class ClauseAdmin(admin.ModelAdmin):
    list_display = ["plan", "path", "heading", "position"]
    list_filter = ["plan"]
    search_fields = ["heading", "text", "label"]
    raw_id_fields = ["plan", "parent"]


@admin.register(PlanImport)
class PlanImportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "state", "created_by", "created_at", "confirmed_at"]
    list_filter = ["state"]
    readonly_fields = ["created_by", "created_at", "confirmed_at", "plans"]
