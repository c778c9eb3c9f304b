"""What a user may read of 催办 records and the outbox (the rule is org.access.visible_to)."""

from django.db import models

from org import access
from org.querysets import DepartmentScopedQuerySet


class ChaseQuerySet(DepartmentScopedQuerySet):
    department_path = "assignment__department"


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The outbox (addresses, errors, every recipient's mail) is the 督查科's.

        A task's own page shows the items of these rows that concern the task and the reader's
        departments (notifications.views.task_log), never the rows themselves.
        """
        return access.visible_to_supervisors(user, self)
