"""Plan import over REST: upload or paste → preview → corrections → confirm. Supervisors only."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from org.permissions import IsSupervisor
from plans.models import PlanImport
from plans.services import plan_import_confirm, plan_import_correct, plan_import_preview


class ImportCreateSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="txt、docx 或 pdf 文件")
    text = serializers.CharField(required=False, trim_whitespace=False, help_text="粘贴的方案全文")

    def validate(self, attrs):
        if bool(attrs.get("file")) == bool(attrs.get("text")):
            raise ValidationError("请上传一个文件或粘贴方案全文(二者选一)。")
        return attrs


class PlanImportSerializer(serializers.ModelSerializer):
    plans = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = PlanImport
        fields = ["id", "filename", "state", "created_at", "confirmed_at", "result", "plans"]
        read_only_fields = fields


class CorrectionsSerializer(serializers.Serializer):
    corrections = serializers.ListField(child=serializers.DictField(), allow_empty=False)


class PlanImportViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = PlanImportSerializer
    permission_classes = [IsSupervisor]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_fields = ["state"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return PlanImport.objects.visible_to(self.request.user).prefetch_related("plans")

    @extend_schema(request=ImportCreateSerializer, responses={201: PlanImportSerializer})
    def create(self, request):
        upload = ImportCreateSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data.get("file")
        if file is not None:
            plan_import = plan_import_preview(data=file.read(), filename=file.name, user=request.user)
        else:
            plan_import = plan_import_preview(data=upload.validated_data["text"], user=request.user)
        return Response(PlanImportSerializer(plan_import).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CorrectionsSerializer, responses={200: PlanImportSerializer})
    def partial_update(self, request, pk=None):
        body = CorrectionsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan_import = plan_import_correct(plan_import=self.get_object(), corrections=body.validated_data["corrections"])
        return Response(PlanImportSerializer(plan_import).data)

    @extend_schema(request=None, responses={201: PlanImportSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        with transaction.atomic():
            plan_import_confirm(plan_import=self.get_object(), user=request.user)
        return Response(PlanImportSerializer(self.get_object()).data, status=status.HTTP_201_CREATED)
