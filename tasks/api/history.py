"""GET /api/v1/tasks/<id>/history/: the task's timeline (tasks.history), as JSON or CSV (?format=csv).

Whoever may read the task may read its history; a department member sees the lines
of the task, its phases and their own departments' parts, as in the task's other views.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import CSVRenderer, JsonErrorsMixin
from org import access
from tasks.history import task_history, task_history_csv
from tasks.models import Task


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    user_id = serializers.IntegerField(allow_null=True)
    user = serializers.CharField(help_text="操作人;无登录用户时为“系统”")
    object_type = serializers.CharField()
    object_label = serializers.CharField()
    object_id = serializers.IntegerField()
    object = serializers.CharField()
    action = serializers.CharField(help_text="创建、修改、删除,或业务操作(审核通过等)")
    field = serializers.CharField(allow_blank=True)
    field_label = serializers.CharField(allow_blank=True)
    before = serializers.CharField(allow_blank=True)
    after = serializers.CharField(allow_blank=True)
    source = serializers.ChoiceField(["history", "activity"])


class TaskHistoryView(JsonErrorsMixin, APIView):
    """任务变更历史:谁、何时、改了什么、改前改后;?format=csv 导出。"""

    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=["json", "csv"], description="csv 导出")],
        responses={
            200: HistoryEntrySerializer(many=True),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV(UTF-8 带 BOM)"),
        },
    )
    def get(self, request, pk, format=None):
        task = get_object_or_404(Task.objects.visible_to(request.user), pk=pk)
        entries = task_history(task=task, departments=access.scope_department_ids(request.user))
        if request.accepted_renderer.format == "csv":
            response = HttpResponse("\ufeff" + task_history_csv(entries), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="task-{task.pk}-history.csv"'
            response["Cache-Control"] = "private, no-store"
            return response
        return Response(HistoryEntrySerializer([e.as_dict() for e in entries], many=True).data)
