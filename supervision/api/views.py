"""The supervision report over REST: JSON or CSV, and its 明细 as CSV or XLSX. Supervisors and viewers."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import CSVRenderer, JsonErrorsMixin
from core.downloads import csv_response, file_response
from org.permissions import ReadsEverything
from supervision import report_files
from supervision.api import serializers
from supervision.reports import (
    report_assignments,
    report_assignments_csv,
    supervision_report,
    supervision_report_csv_lines,
)
from tasks.api.params import AS_OF, day_param, department_ids_param, plan_param

# What a report covers: the day, a plan or all, some departments or all.
REPORT_SCOPE = [
    AS_OF,
    OpenApiParameter("plan", int, description="方案;不填为全部方案"),
    OpenApiParameter("departments", str, description="逗号分隔的单位编号"),
]


class SupervisionReportView(JsonErrorsMixin, APIView):
    """督查通报:汇总、各单位排名、逾期任务清单;JSON 或 CSV(?format=csv)。"""

    permission_classes = [ReadsEverything]
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        parameters=[
            *REPORT_SCOPE,
            OpenApiParameter("since", OpenApiTypes.DATE, description="延期、提醒、催办的统计起点"),
        ],
        responses={
            200: serializers.SupervisionReportSerializer,
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV(UTF-8 带 BOM)"),
        },
    )
    def get(self, request):
        as_of = day_param(request, default=timezone.localdate())
        report = supervision_report(
            as_of=as_of,
            plan=plan_param(request),
            department_ids=department_ids_param(request),
            since=day_param(request, "since"),
        )
        if request.accepted_renderer.format == "csv":
            response = csv_response(supervision_report_csv_lines(report))
            response["Content-Disposition"] = f'attachment; filename="supervision-{as_of:%Y%m%d}.csv"'
            return response
        return Response(serializers.SupervisionReportSerializer(report).data)


class XLSXRenderer(BaseRenderer):
    """Names the format for content negotiation; the view answers with the workbook file itself."""

    media_type = report_files.XLSX_TYPE
    format = "xlsx"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class SupervisionReportAssignmentsView(JsonErrorsMixin, APIView):
    """督查通报明细:范围内每一项责任分工及其统计日期当天的状态;CSV(流式,默认)或 XLSX(?format=xlsx)。"""

    permission_classes = [ReadsEverything]
    renderer_classes = [CSVRenderer, XLSXRenderer]

    @extend_schema(
        parameters=[
            *REPORT_SCOPE,
            OpenApiParameter("format", str, enum=["csv", "xlsx"], description="默认 csv"),
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV(UTF-8 带 BOM),首行为表头"),
            (200, report_files.XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="Excel 工作簿"),
        },
    )
    def get(self, request):
        as_of = day_param(request, default=timezone.localdate())
        plan = plan_param(request)
        rows = report_assignments(as_of=as_of, plan=plan, department_ids=department_ids_param(request))
        stem = f"supervision-assignments-{as_of:%Y%m%d}"
        if request.accepted_renderer.format == "xlsx":
            workbook = report_files.report_assignments_xlsx(rows, as_of=as_of, plan=plan)
            response = file_response(workbook, report_files.XLSX_TYPE)
            response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
            return response
        response = csv_response(report_assignments_csv(rows))
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        return response
