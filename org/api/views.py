"""The directory of departments and groups: every signed-in user reads it, supervisors keep it."""

import django_filters as df
from django.db.models import Q
from rest_framework import viewsets

from core.filters import IdFilter
from org.api.serializers import DepartmentGroupSerializer, DepartmentSerializer
from org.models import Department, DepartmentGroup
from org.permissions import ReadOnlyUnlessSupervisor


class DepartmentFilter(df.FilterSet):
    q = df.CharFilter(method="search", label="搜索名称、简称或别名")
    group = IdFilter(field_name="groups")

    class Meta:
        model = Department
        fields = ["kind", "is_active", "parent"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(aliases__name__icontains=value)
        ).distinct()


class DepartmentGroupFilter(df.FilterSet):
    q = df.CharFilter(field_name="name", lookup_expr="icontains", label="搜索名称")
    member = IdFilter(field_name="members")

    class Meta:
        model = DepartmentGroup
        fields = []


class DepartmentViewSet(viewsets.ModelViewSet):
    """单位。名录对所有登录用户公开(配合单位需要彼此的名称);只有督查员可以修改。"""

    serializer_class = DepartmentSerializer
    permission_classes = [ReadOnlyUnlessSupervisor]
    filterset_class = DepartmentFilter
    ordering_fields = ["name", "id", "kind"]
    ordering = ["name"]

    def get_queryset(self):
        return Department.objects.directory_for(self.request.user).prefetch_related("aliases")


class DepartmentGroupViewSet(viewsets.ModelViewSet):
    """单位组(各县区政府等)。"""

    queryset = DepartmentGroup.objects.prefetch_related("members")
    serializer_class = DepartmentGroupSerializer
    permission_classes = [ReadOnlyUnlessSupervisor]
    filterset_class = DepartmentGroupFilter
    ordering_fields = ["name", "id"]
    ordering = ["name"]
