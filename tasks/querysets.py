"""What a user may read of tasks and everything hanging off them (the rule is org.access.visible_to).

Each model names the lookup path from its rows to the department a row concerns; a
member reads the rows of their own departments, readers read everything. Objects
outside a user's view answer 404, never 403, so that their existence is not told.
"""

from django.db import models

from org import access
from org.querysets import DepartmentScopedQuerySet


class TaskQuerySet(DepartmentScopedQuerySet):
    department_path = "assignments__department"


class AssignmentQuerySet(DepartmentScopedQuerySet):
    department_path = "department"


class PhaseQuerySet(DepartmentScopedQuerySet):
    department_path = "task__assignments__department"


class ProgressReportQuerySet(DepartmentScopedQuerySet):
    department_path = "assignment__department"


class EvidenceQuerySet(DepartmentScopedQuerySet):
    department_path = "report__assignment__department"


class ExtensionRequestQuerySet(DepartmentScopedQuerySet):
    department_path = "assignment__department"


class DepartmentSnapshotQuerySet(DepartmentScopedQuerySet):
    department_path = "department"


class ActivityLogQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The change record looks across departments: supervisors and viewers."""
        return access.visible_to_readers(user, self)
