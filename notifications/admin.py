from django.contrib import admin, messages

from core.errors import DomainError
from notifications.models import Chase, Notification, NotificationPreference, ReminderPolicy
from notifications.outbox import notification_resend


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "plan",
        "before_days",
        "overdue_every",
        "escalate_head_after",
        "escalate_supervisors_after",
        "acknowledge_within",
        "remind_co",
    ]
    autocomplete_fields = ["plan"]
    search_fields = ["plan__title"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "digest_hour", "receive_co_reminders", "daily_summary"]
    search_fields = ["user__username", "user__last_name"]
    raw_id_fields = ["user"]


@admin.register(Chase)
class ChaseAdmin(admin.ModelAdmin):
    list_display = ["assignment", "by_user", "created_at", "note"]
    list_select_related = ["assignment__task", "assignment__department", "by_user"]
    raw_id_fields = ["assignment"]
    readonly_fields = ["assignment", "by_user", "note", "created_at"]


@admin.action(description="重新发送选中的失败通知")
def resend_failed(modeladmin, request, queryset):
    resent = 0
    for notification in queryset.filter(state=Notification.State.FAILED):
        try:
            notification_resend(notification=notification)
            resent += 1
        except DomainError:
            continue
    modeladmin.message_user(request, f"已重新排队 {resent} 条通知。", messages.SUCCESS)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "subject", "address", "kind", "state", "attempts", "for_date", "sent_at", "last_error"]
    list_filter = ["state", "kind", "channel", "for_date"]
    search_fields = ["address", "subject", "dedup_key", "recipient__username"]
    date_hierarchy = "created_at"
    actions = [resend_failed]
    readonly_fields = [
        "recipient",
        "address",
        "channel",
        "kind",
        "for_date",
        "subject",
        "items",
        "totals",
        "note",
        "chase",
        "dedup_key",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False
