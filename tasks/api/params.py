"""Query parameters shared by the API's status and report views, refused in Chinese when malformed."""

from datetime import date

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from core.dates import RANGE_MESSAGE, in_range
from plans.models import Plan

AS_OF = OpenApiParameter("as_of", OpenApiTypes.DATE, description="统计日期,默认今天")


def day_param(request, name="as_of", default=None) -> date | None:
    raw = request.query_params.get(name)
    if not raw:
        return default
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: "日期格式应为 YYYY-MM-DD。"}) from None
    if not in_range(day):
        raise ValidationError({name: RANGE_MESSAGE})
    return day


def department_ids_param(request) -> list[int] | None:
    raw = request.query_params.get("departments")
    if not raw:
        return None
    try:
        return [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise ValidationError({"departments": "请用逗号分隔的单位编号。"}) from None


def plan_param(request):
    raw = request.query_params.get("plan")
    if not raw:
        return None
    if not raw.isdigit():
        raise ValidationError({"plan": "方案编号应为数字。"})
    return get_object_or_404(Plan.objects.visible_to(request.user), pk=int(raw))
