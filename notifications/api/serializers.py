from rest_framework import serializers

from notifications.models import Chase, Notification


class NotificationSerializer(serializers.ModelSerializer):
    recipient_name = serializers.SerializerMethodField()
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    message_id = serializers.CharField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "recipient",
            "recipient_name",
            "address",
            "channel",
            "kind",
            "kind_label",
            "for_date",
            "subject",
            "items",
            "totals",
            "note",
            "dedup_key",
            "state",
            "state_label",
            "attempts",
            "next_attempt_at",
            "last_error",
            "sent_at",
            "created_at",
            "message_id",
        ]
        read_only_fields = fields

    def get_recipient_name(self, obj) -> str:
        user = obj.recipient
        return (f"{user.last_name}{user.first_name}".strip() or user.username) if user else ""


class ChaseInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ChaseSerializer(serializers.ModelSerializer):
    chase_count = serializers.SerializerMethodField()
    notifications = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Chase
        fields = ["id", "assignment", "by_user", "note", "created_at", "chase_count", "notifications"]
        read_only_fields = fields

    def get_chase_count(self, obj) -> int:
        return Chase.objects.filter(assignment_id=obj.assignment_id).count()
