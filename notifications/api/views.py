import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications.api.serializers import ChaseInputSerializer, ChaseSerializer, NotificationSerializer
from notifications.chase import assignment_chase
from notifications.models import Notification
from notifications.outbox import notification_resend
from org.permissions import IsSupervisor
from tasks.models import Assignment


class NotificationFilter(django_filters.FilterSet):
    class Meta:
        model = Notification
        fields = ["state", "kind", "recipient", "channel", "for_date"]


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The outbox, for supervisors: what went out, what is waiting, what failed."""

    serializer_class = NotificationSerializer
    permission_classes = [IsSupervisor]
    filterset_class = NotificationFilter
    ordering_fields = ["created_at", "for_date", "state", "attempts"]

    def get_queryset(self):
        return (
            Notification.objects.visible_to(self.request.user)
            .select_related("recipient")
            .order_by("-created_at", "-id")
        )

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        notification = notification_resend(notification=self.get_object())
        return Response(self.get_serializer(notification).data, status=status.HTTP_202_ACCEPTED)


class AssignmentChaseView(APIView):
    """催办: chase the assignment's department now."""

    permission_classes = [IsSupervisor]

    @extend_schema(request=ChaseInputSerializer, responses=ChaseSerializer)
    def post(self, request, pk):
        assignment = get_object_or_404(
            Assignment.objects.visible_to(request.user).select_related("task", "department"), pk=pk
        )
        data = ChaseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        chase = assignment_chase(assignment=assignment, by_user=request.user, note=data.validated_data["note"])
        return Response(ChaseSerializer(chase).data, status=status.HTTP_201_CREATED)
