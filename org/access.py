"""Who may see and change what: the one place the role rules live.

Supervisors (and superusers) see and manage everything. Viewers read
everything and change nothing. A department member (liaison or head) reads the
plans and tasks that concern their departments and writes only their own
departments' reports, extension requests and acknowledgements.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from org.models import Membership, User


def is_supervisor(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role == User.Role.SUPERVISOR))


def reads_everything(user) -> bool:
    return is_supervisor(user) or bool(user and user.is_authenticated and user.role == User.Role.VIEWER)


def department_ids(user, *, roles=(Membership.Role.LIAISON, Membership.Role.HEAD)) -> list[int]:
    """The departments the user acts for."""
    if not (user and user.is_authenticated):
        return []
    return list(Membership.objects.filter(user=user, role__in=roles).values_list("department_id", flat=True))


def acts_for(user, department_id: int) -> bool:
    return department_id in department_ids(user)


def visible_to(user, queryset: QuerySet, department_path: str) -> QuerySet:
    """Filter any queryset to what the user may read, given the lookup path to a department."""
    if reads_everything(user):
        return queryset
    if not (user and user.is_authenticated):
        return queryset.none()
    # A semi-join (pk IN subquery), not a join and DISTINCT: DISTINCT over every selected column,
    # status annotations included, costs far more than the filter itself.
    mine = queryset.model._default_manager.filter(**{f"{department_path}__in": department_ids(user)})
    return queryset.filter(pk__in=mine.values("pk"))


# ---------------------------------------------------------------------------
# Who may open a page (views); what they see there comes from the queries above


def _page_for(allowed, refusal):
    """A view decorator: signed-in users for whom allowed(user) holds; anyone else signed in gets 403
    with the refusal (the page exists, it is not theirs)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not allowed(request.user):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# Supervisors only: the actions that are the 督查科's.
supervisor_required = _page_for(is_supervisor, _("只有督查员可以使用此功能。"))
# Supervisors and viewers: the pages that look across every department.
reader_required = _page_for(reads_everything, _("只有督查员和只读用户可以查看此页面。"))
