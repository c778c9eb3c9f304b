"""What a user may read of plans, tasks and assignments, for the pages (org.access states the rules).

Objects outside a user's view answer 404, never 403, so that their existence is not told.
"""

from org import access
from plans.models import Plan
from tasks.models import Assignment, Task


def visible_assignments(user):
    if access.reads_everything(user):
        return Assignment.objects.all()
    return Assignment.objects.filter(department_id__in=access.department_ids(user))


def visible_tasks(user):
    """Tasks the user may read, without the duplicate rows a join through assignments would make."""
    if access.reads_everything(user):
        return Task.objects.all()
    return Task.objects.filter(pk__in=visible_assignments(user).values("task_id"))


def visible_plans(user):
    if access.reads_everything(user):
        return Plan.objects.all()
    return Plan.objects.filter(pk__in=visible_tasks(user).values("plan_id"))
