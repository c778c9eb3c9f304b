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


def unit_name_taken(name: str, *, department: Department | None = None, group: DepartmentGroup | None = None) -> bool:
    """Whether the name already stands for a unit (a department, an alias, a group or a group alias)
    other than the department or group given: a name may stand for one unit only."""
    key = normalize_name(name)
    taken = [
        Department.objects.filter(normalized_name=key).exclude(pk=getattr(department, "pk", None)),
        DepartmentAlias.objects.filter(normalized_name=key),
        DepartmentGroup.objects.filter(normalized_name=key).exclude(pk=getattr(group, "pk", None)),
        DepartmentGroupAlias.objects.filter(normalized_name=key),
    ]
    return any(queryset.exists() for queryset in taken)
