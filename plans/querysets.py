"""What a user may read of plans, clauses and imports (the rule is org.access.visible_to).

A plan concerns the departments its tasks are assigned to; the lookup runs through the
reverse relations `tasks` and `assignments`, which the tasks app adds, so nothing here imports it.
"""

from django.db import models

from org import access
from org.querysets import DepartmentScopedQuerySet

PLAN_DEPARTMENTS = "tasks__assignments__department"


class PlanQuerySet(DepartmentScopedQuerySet):
    department_path = PLAN_DEPARTMENTS


class ClauseQuerySet(DepartmentScopedQuerySet):
    """A member reads every clause of a plan they read: the clause tree is the plan's text."""

    department_path = f"plan__{PLAN_DEPARTMENTS}"


class PlanImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        return access.visible_to_supervisors(user, self)
