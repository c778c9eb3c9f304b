"""Actions on the department registry."""

from org.models import Department, DepartmentGroup
from org.naming import to_simplified
from org.selectors import unit_by_name


def unit_resolve_or_flag(*, name: str) -> Department | DepartmentGroup:
    """The unit a plan names; one the registry does not know is kept as a department to review."""
    unit = unit_by_name(name)
    if unit is not None:
        return unit
    return Department.objects.create(name=to_simplified(name.strip()), kind=Department.Kind.OTHER, needs_review=True)
