"""The tasks API: thin viewsets over tasks.selectors and tasks.services; each list is its model's visible_to."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import DomainError
from core.pagination import KeysFirstPagination
from org import access
from org.permissions import DepartmentWrites, ReadsEverything, SupervisorWrites
from plans.models import Clause, Plan
from tasks import editing, services
from tasks.api import filters, serializers
from tasks.api.params import AS_OF, day_param, department_ids_param, plan_param
from tasks.evidence import evidence_response
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
from tasks.selectors import assignments_as_of, department_status, tasks_as_of


class StatusQueriesMixin:
    """Lists carrying the derived status are paged by key first, so it is worked out for the rows shown only."""

    pagination_class = KeysFirstPagination


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """方案(导入见 imports/;督查员可办结或终止)。"""

    serializer_class = serializers.PlanSerializer
    filterset_class = filters.PlanFilter
    ordering_fields = ["issued_on", "title", "created_at", "id"]

    def get_queryset(self):
        return Plan.objects.visible_to(self.request.user)

    def _end(self, request, end):
        body = serializers.PlanClosingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = end(plan=self.get_object(), user=request.user, reason=body.validated_data["reason"])
        return Response(self.get_serializer(plan).data)

    @extend_schema(request=serializers.PlanClosingSerializer, responses=serializers.PlanSerializer)
    @action(detail=True, methods=["post"], permission_classes=[SupervisorWrites])
    def close(self, request, pk=None):
        """办结:此后不再提醒,方案不能再修改。"""
        return self._end(request, editing.plan_close)

    @extend_schema(request=serializers.PlanClosingSerializer, responses=serializers.PlanSerializer)
    @action(detail=True, methods=["post"], permission_classes=[SupervisorWrites])
    def stop(self, request, pk=None):
        """终止(须说明理由):此后不再提醒,方案不能再修改。"""
        return self._end(request, editing.plan_stop)


class ClauseViewSet(viewsets.ReadOnlyModelViewSet):
    """条款(只读)。"""

    serializer_class = serializers.ClauseSerializer
    filterset_class = filters.ClauseFilter
    ordering_fields = ["plan", "position"]

    def get_queryset(self):
        return Clause.objects.visible_to(self.request.user)


@extend_schema_view(list=extend_schema(parameters=[AS_OF]), retrieve=extend_schema(parameters=[AS_OF]))
class TaskViewSet(StatusQueriesMixin, viewsets.ModelViewSet):
    """任务,带按统计日期计算的状态和红黄绿灯。"""

    serializer_class = serializers.TaskSerializer
    permission_classes = [SupervisorWrites]
    filterset_class = filters.TaskFilter
    ordering_fields = ["due_date", "title", "id", "progress", "days_overdue", "plan"]
    ordering = ["plan", "id"]

    def get_queryset(self):
        tasks = Task.objects.visible_to(self.request.user).prefetch_related("assignments__department")
        return tasks_as_of(day_param(self.request), tasks)

    def _annotated(self, task):
        return tasks_as_of(day_param(self.request), Task.objects.filter(pk=task.pk)).get()

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        task = editing.task_create(
            plan=data.pop("plan"), user=request.user, leads=data.pop("leads", []), co=data.pop("co", []), **data
        )
        return Response(self.get_serializer(self._annotated(task)).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        task = self.get_object()
        serializer = self.get_serializer(task, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.pop("plan", task.plan) != task.plan:
            raise DomainError("任务不能移到另一个方案。", "plan_not_editable")
        if data.pop("leads", None) or data.pop("co", None):
            raise DomainError("责任单位请在 assignments/ 中增加、移除或调整。", "units_not_editable_here")
        task = editing.task_update(task=task, user=request.user, **data)
        return Response(self.get_serializer(self._annotated(task)).data)

    def perform_destroy(self, instance):
        editing.task_remove(task=instance, user=self.request.user)


@extend_schema_view(list=extend_schema(parameters=[AS_OF]), retrieve=extend_schema(parameters=[AS_OF]))
class AssignmentViewSet(
    StatusQueriesMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """责任分工:一个单位在一项任务中的职责、状态和红黄绿灯。"""

    serializer_class = serializers.AssignmentSerializer
    permission_classes = [SupervisorWrites]
    filterset_class = filters.AssignmentFilter
    ordering_fields = ["effective_due", "days_overdue", "progress", "department__name", "id", "task"]
    ordering = ["task", "role", "id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()  # schema generation: assignments_as_of would query the database
        visible = Assignment.objects.visible_to(self.request.user)
        return assignments_as_of(day_param(self.request), visible.select_related("task", "department"))

    def _annotated(self, assignment):
        return assignments_as_of(None, Assignment.objects.filter(pk=assignment.pk)).select_related("task").get()

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        created = editing.assignment_add(
            task=data["task"], user=request.user, department=data["department"], role=data["role"]
        )
        return Response(self.get_serializer(self._annotated(created)).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        editing.assignment_remove(assignment=instance, user=self.request.user)

    @extend_schema(request=serializers.AssignmentRoleSerializer, responses=serializers.AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def role(self, request, pk=None):
        """调整为牵头单位或配合单位(督查员);任务的唯一牵头单位不能改为配合。"""
        body = serializers.AssignmentRoleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = editing.assignment_set_role(
            assignment=self.get_object(), user=request.user, role=body.validated_data["role"]
        )
        return Response(self.get_serializer(self._annotated(done)).data)

    @extend_schema(request=serializers.AssignmentCompleteSerializer, responses=serializers.AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """标记完成(督查员)。"""
        assignment = self.get_object()
        body = serializers.AssignmentCompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        completed_on = body.validated_data.get("completed_on")
        if completed_on and completed_on > timezone.localdate():
            raise ValidationError({"completed_on": "完成日期不能晚于今天。"})
        done = services.assignment_complete(assignment=assignment, completed_on=completed_on, actor=request.user)
        return Response(self.get_serializer(self._annotated(done)).data)

    @extend_schema(request=None, responses=serializers.AssignmentSerializer)
    @action(detail=True, methods=["post"], permission_classes=[DepartmentWrites])
    def acknowledge(self, request, pk=None):
        """签收(本单位联络员或负责人)。"""
        assignment = self.get_object()
        if not access.can_acknowledge(request.user, assignment):
            raise PermissionDenied("只有本单位人员可以签收。")
        done = services.assignment_acknowledge(assignment=assignment, user=request.user)
        return Response(self.get_serializer(self._annotated(done)).data)


class PhaseViewSet(viewsets.ModelViewSet):
    """阶段(筹备、运行、评估)。"""

    serializer_class = serializers.PhaseSerializer
    permission_classes = [SupervisorWrites]
    filterset_class = filters.PhaseFilter
    ordering_fields = ["task", "position", "start_date", "end_date"]
    ordering = ["task", "position", "id"]

    def get_queryset(self):
        return Phase.objects.visible_to(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("position", None)  # a new phase comes last
        serializer.instance = editing.phase_add(task=data.pop("task"), user=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if data.pop("task", serializer.instance.task) != serializer.instance.task:
            raise DomainError("阶段不能移到另一项任务。", "task_not_editable")
        data.pop("position", None)
        serializer.instance = editing.phase_update(phase=serializer.instance, user=self.request.user, **data)

    def perform_destroy(self, instance):
        editing.phase_remove(phase=instance, user=self.request.user)


class VisibleAssignmentChoices:
    """Writes that name an assignment may only name one the user can see: another department's is
    "not found", as it is by id."""

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if "assignment" in getattr(serializer, "fields", {}):
            serializer.fields["assignment"].queryset = Assignment.objects.visible_to(self.request.user)
        return serializer


class ProgressReportViewSet(
    VisibleAssignmentChoices,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """进展报告:本单位提交(可附佐证材料),督查员审核。"""

    serializer_class = serializers.ProgressReportSerializer
    permission_classes = [DepartmentWrites]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_class = filters.ProgressReportFilter
    ordering_fields = ["submitted_at", "percent", "id"]
    ordering = ["-submitted_at", "-id"]

    def get_queryset(self):
        reports = ProgressReport.objects.visible_to(self.request.user)
        return reports.select_related("assignment", "author").prefetch_related("evidence")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not access.can_report(request.user, data["assignment"]):
            raise PermissionDenied("只能为本单位提交。")
        report = services.progress_report_submit(
            assignment=data["assignment"],
            author=request.user,
            text=data["text"],
            percent=data["percent"],
            files=data.get("files", []),
        )
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.ReviewSerializer, responses=serializers.ProgressReportSerializer)
    @action(detail=True, methods=["post"], permission_classes=[SupervisorWrites])
    def review(self, request, pk=None):
        """审核:通过(更新责任分工进度)或退回(须填写意见)。"""
        report = self.get_object()
        body = serializers.ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reviewed = services.progress_report_review(
            report=report,
            reviewer=request.user,
            approve=body.validated_data["decision"] == "approve",
            comment=body.validated_data["comment"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=reviewed.pk)).data)


class EvidenceViewSet(viewsets.ReadOnlyModelViewSet):
    """佐证材料:只能经授权的下载地址取得文件。"""

    serializer_class = serializers.EvidenceSerializer
    filterset_class = filters.EvidenceFilter
    ordering_fields = ["uploaded_at", "id"]
    ordering = ["-uploaded_at", "-id"]

    def get_queryset(self):
        return Evidence.objects.visible_to(self.request.user)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        evidence = self.get_object()
        return evidence_response(evidence)


class ExtensionRequestViewSet(
    VisibleAssignmentChoices,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """延期申请:本单位提出,督查员审批。"""

    serializer_class = serializers.ExtensionRequestSerializer
    permission_classes = [DepartmentWrites]
    filterset_class = filters.ExtensionRequestFilter
    ordering_fields = ["created_at", "requested_due_date", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return ExtensionRequest.objects.visible_to(self.request.user).select_related("assignment")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not access.can_request_extension(request.user, data["assignment"]):
            raise PermissionDenied("只能为本单位提交。")
        created = services.extension_request_create(
            assignment=data["assignment"],
            user=request.user,
            requested_due_date=data["requested_due_date"],
            reason=data["reason"],
        )
        return Response(self.get_serializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.DecideSerializer, responses=serializers.ExtensionRequestSerializer)
    @action(detail=True, methods=["post"], permission_classes=[SupervisorWrites])
    def decide(self, request, pk=None):
        """审批:批准(改为申请的时限,原时限留档)或不批准(须填写意见)。"""
        extension = self.get_object()
        body = serializers.DecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decided = services.extension_decide(
            request=extension,
            decider=request.user,
            approve=body.validated_data["decision"] == "approve",
            comment=body.validated_data["comment"],
        )
        return Response(self.get_serializer(decided).data)


class ActivityLogViewSet(viewsets.ReadOnlyModelViewSet):
    """操作记录(督查员、只读用户)。"""

    serializer_class = serializers.ActivityLogSerializer
    permission_classes = [ReadsEverything]
    filterset_class = filters.ActivityLogFilter
    ordering_fields = ["at", "id"]
    ordering = ["-at", "-id"]

    def get_queryset(self):
        return ActivityLog.objects.visible_to(self.request.user).select_related("actor", "content_type")


# ---------------------------------------------------------------------------
# Status and reports


def _status_row(row) -> dict:
    return {
        "department_id": row.department_id,
        "department": row.department_name,
        "plan_id": row.plan_id,
        "source": row.source,
        **row.counts["all"].as_dict(),
        "lead": row.counts["lead"].as_dict(),
        "co": row.counts["co"].as_dict(),
    }


class DepartmentStatusView(APIView):
    """各单位完成情况:今天实时计算,过去的日期读当天快照。"""

    @extend_schema(
        parameters=[
            AS_OF,
            OpenApiParameter("plan", int, description="方案;不填为全部方案合计"),
            OpenApiParameter("by_plan", bool, description="按方案分行"),
            OpenApiParameter("departments", str, description="逗号分隔的单位编号"),
        ],
        responses=serializers.DepartmentStatusSerializer(many=True),
    )
    def get(self, request):
        department_ids = department_ids_param(request)
        own = access.scope_department_ids(request.user)
        if own is not None:
            department_ids = [d for d in (department_ids or own) if d in own]
        rows = department_status(
            as_of=day_param(request),
            plan=plan_param(request),
            by_plan=request.query_params.get("by_plan") in ("1", "true", "True"),
            department_ids=department_ids,
        )
        return Response(serializers.DepartmentStatusSerializer([_status_row(r) for r in rows], many=True).data)


class SnapshotViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """历史快照:按日的完成情况,用于趋势。"""

    serializer_class = serializers.SnapshotSerializer
    filterset_class = filters.SnapshotFilter
    ordering_fields = ["as_of", "department"]
    ordering = ["as_of", "department", "role"]

    def get_queryset(self):
        return DepartmentSnapshot.objects.visible_to(self.request.user).select_related("department")
