"""Querysets that answer what a user may read (the rule is org.access.visible_to).

Each app's querysets module gives its models a `visible_to(user)`; most are a
DepartmentScopedQuerySet naming the lookup path from a row to the department it concerns.
"""

from django.db import models


class DepartmentScopedQuerySet(models.QuerySet):
    """Rows a member reads when they concern one of their departments; readers read them all."""

    department_path = ""  # e.g. "assignment__department"

    def visible_to(self, user):
        from org import access  # org.access reads org.models, which builds its querysets from this module

        return access.visible_to(user, self, self.department_path)


class DepartmentQuerySet(DepartmentScopedQuerySet):
    """The departments whose work the user may read: every one for a reader, their own for a member.

    The directory of names is wider (directory_for): co-units name each other.
    """

    department_path = "pk"

    def directory_for(self, user):
        """Every department, for a signed-in user."""
        from org import access

        return self if access.is_signed_in(user) else self.none()
