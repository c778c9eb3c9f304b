"""Plan import over REST: upload or paste → parse job → preview → corrections → confirm job. Supervisors only.

Parsing and confirming run as background jobs: `POST /imports/` and `POST /imports/{id}/confirm/`
answer 202 with the import, whose `job` says how far it is; poll `GET /imports/{id}/`.
"""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from org.permissions import IsSupervisor
from plans.checklist import checklist, checklist_counts
from plans.models import PlanImport
from plans.readiness import import_missing
from plans.selectors import import_job
from plans.services import (
    plan_import_correct,
    plan_import_discard,
    plan_import_request_confirm,
    plan_import_retry,
    plan_import_submit,
)


class ImportCreateSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="txt、docx 或 pdf 文件")
    text = serializers.CharField(required=False, trim_whitespace=False, help_text="粘贴的方案全文")

    def validate(self, attrs):
        if bool(attrs.get("file")) == bool(attrs.get("text")):
            raise ValidationError("请上传一个文件或粘贴方案全文(二者选一)。")
        return attrs


class ImportJobSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="parse(解析)、confirm(确认导入),或空")
    kind_label = serializers.CharField()
    state = serializers.CharField(help_text="idle、queued、running、done、failed")
    state_label = serializers.CharField()
    progress = serializers.IntegerField(help_text="百分比")
    error = serializers.CharField(help_text="失败原因(中文)")
    in_flight = serializers.BooleanField()
    lost = serializers.BooleanField(help_text="处理它的后台进程已停止,可重新开始或丢弃")


class PlanImportSerializer(serializers.ModelSerializer):
    plans = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    job = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField(help_text="确认前须补齐的项:每项任务的牵头单位与完成时限")
    warning_counts = serializers.SerializerMethodField(help_text="各类提示的条数")

    class Meta:
        model = PlanImport
        fields = ["id", "filename", "state", "created_at", "confirmed_at", "job", "missing", "warning_counts"]
        fields += ["result", "plans"]
        read_only_fields = fields

    @extend_schema_field(ImportJobSerializer)
    def get_job(self, obj) -> dict:
        return ImportJobSerializer(import_job(obj)).data

    def get_missing(self, obj) -> list[dict]:
        return [m.as_dict() for m in import_missing(obj.result or {})]

    def get_warning_counts(self, obj) -> list[dict]:
        return [
            {"code": code, "label": label, "count": n}
            for code, label, n in checklist_counts(checklist(obj.result or {}))
        ]


class CorrectionsSerializer(serializers.Serializer):
    corrections = serializers.ListField(
        child=serializers.DictField(),
        allow_empty=False,
        help_text="修改列表;每项用 clause(单条)、clauses(多条)或 select(按提示 warning、按节 section)指定条款",
    )


class PlanImportViewSet(
    mixins.RetrieveModelMixin, mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    serializer_class = PlanImportSerializer
    permission_classes = [IsSupervisor]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_fields = ["state"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return PlanImport.objects.visible_to(self.request.user).prefetch_related("plans")

    def _answer(self, plan_import, code=status.HTTP_200_OK):
        plan_import.refresh_from_db()
        return Response(PlanImportSerializer(plan_import).data, status=code)

    @extend_schema(request=ImportCreateSerializer, responses={202: PlanImportSerializer})
    def create(self, request):
        upload = ImportCreateSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data.get("file")
        if file is not None:
            plan_import = plan_import_submit(data=file.read(), filename=file.name, user=request.user)
        else:
            plan_import = plan_import_submit(data=upload.validated_data["text"], user=request.user)
        return self._answer(plan_import, status.HTTP_202_ACCEPTED)

    @extend_schema(request=CorrectionsSerializer, responses={200: PlanImportSerializer})
    def partial_update(self, request, pk=None):
        body = CorrectionsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan_import = plan_import_correct(plan_import=self.get_object(), corrections=body.validated_data["corrections"])
        return self._answer(plan_import)

    @extend_schema(request=None, responses={202: PlanImportSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        plan_import = plan_import_request_confirm(plan_import=self.get_object(), user=request.user)
        return self._answer(plan_import, status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: PlanImportSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        plan_import = plan_import_retry(plan_import=self.get_object(), user=request.user)
        return self._answer(plan_import, status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, pk=None):
        plan_import_discard(plan_import=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
