"""Reads over the department registry."""

from org.models import Department, DepartmentAlias, DepartmentGroup, DepartmentGroupAlias
from org.naming import normalize_name


def unit_by_name(name: str) -> Department | DepartmentGroup | None:
    """The department or group a name stands for: name, alias or group name, after normalization."""
    key = normalize_name(name)
    department = Department.objects.filter(normalized_name=key).first()
    if department:
        return department
    alias = DepartmentAlias.objects.select_related("department").filter(normalized_name=key).first()
    if alias:
        return alias.department
    group = DepartmentGroup.objects.filter(normalized_name=key).first()
    if group:
        return group
    group_alias = DepartmentGroupAlias.objects.select_related("group").filter(normalized_name=key).first()
    return group_alias.group if group_alias else None
