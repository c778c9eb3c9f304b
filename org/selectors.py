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


def import_registry():
    """The importer's name registry, built from the database."""
    from plans.importing.registry import GroupEntry, Registry, RegistryEntry

    aliases: dict[int, list[str]] = {}
    for department_id, alias in DepartmentAlias.objects.values_list("department_id", "name"):
        aliases.setdefault(department_id, []).append(alias)
    departments = [
        RegistryEntry(name=d.name, aliases=tuple(aliases.get(d.pk, [])) + ((d.short_name,) if d.short_name else ()))
        for d in Department.objects.filter(is_active=True)
    ]
    groups = [
        GroupEntry(
            name=g.name,
            members=tuple(m.name for m in g.members.all()),
            aliases=tuple(a.name for a in g.aliases.all()),
        )
        for g in DepartmentGroup.objects.prefetch_related("members", "aliases")
    ]
    return Registry(departments, groups)
