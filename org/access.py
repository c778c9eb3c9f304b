"""Who may see and do what: the one place the role rules live.

Supervisors (and superusers) see and manage everything. Viewers read
everything and change nothing. A department member (liaison or head) reads the
plans and tasks that concern their departments and writes only their own
departments' reports, extension requests and acknowledgements.

What a user may read is each model's `objects.visible_to(user)` (the querysets
module of its app), every one built on `visible_to` below; what a user may do
is a `can_*` rule here. Services call `require` with a rule before they act, so
a front door that forgets its check still cannot act; pages and the API check
the same rules first to answer 403 and to show only the buttons that work.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.errors import FORBIDDEN, DomainError
from org.models import Membership, User

# ---------------------------------------------------------------------------
# Who the user is


def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def is_supervisor(user) -> bool:
    """督查员: the supervisor role, or a superuser."""
    return is_signed_in(user) and (user.is_superuser or user.role == User.Role.SUPERVISOR)


def supervisors() -> Q:
    """The same rule as is_supervisor, as a filter on users (who hears the supervisors' mail)."""
    return Q(is_superuser=True) | Q(role=User.Role.SUPERVISOR)


def is_viewer(user) -> bool:
    return is_signed_in(user) and not is_supervisor(user) and user.role == User.Role.VIEWER


def reads_everything(user) -> bool:
    """Supervisors and viewers look across every department."""
    return is_supervisor(user) or is_viewer(user)


def department_ids(user, *, roles=(Membership.Role.LIAISON, Membership.Role.HEAD)) -> list[int]:
    """The departments the user acts for."""
    if not is_signed_in(user):
        return []
    return list(Membership.objects.filter(user=user, role__in=roles).values_list("department_id", flat=True))


def acts_for(user, department_id: int, *, departments=None) -> bool:
    """departments: the user's department_ids, when a page that asks about many parts has read them once."""
    return department_id in (department_ids(user) if departments is None else departments)


def scope_department_ids(user) -> list[int] | None:
    """The departments a cross-department read is narrowed to: None (all of them) for a reader."""
    return None if reads_everything(user) else department_ids(user)


# ---------------------------------------------------------------------------
# What the user may read: the one rule every model's visible_to is built on


def visible_to(user, queryset: QuerySet, department_path: str) -> QuerySet:
    """Filter any queryset to what the user may read, given the lookup path from its rows to a department."""
    if reads_everything(user):
        return queryset
    if not is_signed_in(user):
        return queryset.none()
    mine = department_ids(user)
    if department_path == "pk":  # the rows are departments
        return queryset.filter(pk__in=mine)
    if "__" not in department_path:  # the row's own department: no join, no duplicates
        return queryset.filter(**{f"{department_path}_id__in": mine})
    # A semi-join (pk IN subquery), not a join and DISTINCT: DISTINCT over every selected column,
    # status annotations included, costs far more than the filter itself.
    rows = queryset.model._default_manager.filter(**{f"{department_path}__in": mine})
    return queryset.filter(pk__in=rows.values("pk"))


def visible_to_readers(user, queryset: QuerySet) -> QuerySet:
    """Rows only supervisors and viewers read (the change record)."""
    return queryset if reads_everything(user) else queryset.none()


def visible_to_supervisors(user, queryset: QuerySet) -> QuerySet:
    """Rows only the 督查科 reads (the outbox, plan imports)."""
    return queryset if is_supervisor(user) else queryset.none()


# ---------------------------------------------------------------------------
# What the user may do. `part` is anything with a department_id: an assignment; `departments`, the
# user's department_ids when already read.


def can_report(user, part, *, departments=None) -> bool:
    """Report progress on a part: its department's members, and supervisors."""
    return is_supervisor(user) or acts_for(user, part.department_id, departments=departments)


def can_request_extension(user, part, *, departments=None) -> bool:
    return can_report(user, part, departments=departments)


def can_acknowledge(user, part, *, departments=None) -> bool:
    """签收 is the department's own word: its members only."""
    return acts_for(user, part.department_id, departments=departments)


def can_review(user) -> bool:
    """Review progress reports and decide extension requests."""
    return is_supervisor(user)


def can_chase(user) -> bool:
    return is_supervisor(user)


def can_manage(user) -> bool:
    """Keep the registry, import plans, edit tasks, resend notifications: the 督查科's work."""
    return is_supervisor(user)


def can_submit_for_some_department(user) -> bool:
    """Whether the user may submit reports and requests at all (which department is checked on the part)."""
    return is_supervisor(user) or bool(department_ids(user))


def can_read_department(user, department_id: int) -> bool:
    return reads_everything(user) or acts_for(user, department_id)


def require(allowed: bool, message: str) -> None:
    """A service's own check: refuse with a Chinese message and the code "forbidden"."""
    if not allowed:
        raise DomainError(message, FORBIDDEN)


# ---------------------------------------------------------------------------
# Who may open a page (views); what they see there comes from the querysets


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
supervisor_required = _page_for(can_manage, _("只有督查员可以使用此功能。"))
# Supervisors and viewers: the pages that look across every department.
reader_required = _page_for(reads_everything, _("只有督查员和只读用户可以查看此页面。"))
