"""The home page by role: what each user should look at first."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.shortcuts import render
from django.utils import timezone

from org import access
from plans.models import Plan
from tasks.models import Assignment, ExtensionRequest, ProgressReport
from tasks.rules import DONE, Status
from tasks.selectors import assignments_as_of, overdue_head, plan_rows, undated_head

DUE_SOON_DAYS = 14
HOME_PLANS = 20
_LIGHT_ORDER = {"red": 0, "yellow": 1, "grey": 2, "green": 3}
OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)


# ---------------------------------------------------------------------------
# Home


def _latest_review(assignment_ref="pk"):
    latest = ProgressReport.objects.filter(assignment=OuterRef(assignment_ref)).order_by("-submitted_at", "-pk")
    return Subquery(latest.values("review_state")[:1])


def _member_home(request, today):
    ids = access.department_ids(request.user)
    base = Assignment.objects.filter(department_id__in=ids).select_related("task", "task__plan", "department")
    mine = assignments_as_of(today, base).annotate(latest_review=_latest_review())
    open_work = mine.filter(status__in=OPEN_STATUSES)
    return {
        "overdue": list(mine.filter(status=Status.OVERDUE).order_by("effective_due", "pk")[:50]),
        "due_soon": list(
            open_work.filter(
                effective_due__gte=today, effective_due__lte=today + timedelta(days=DUE_SOON_DAYS)
            ).order_by("effective_due", "pk")[:50]
        ),
        "returned": list(
            mine.filter(latest_review=ProgressReport.Review.RETURNED)
            .exclude(status__in=DONE)
            .order_by("effective_due", "pk")[:50]
        ),
        "unacknowledged": list(
            mine.filter(acknowledged_at__isnull=True).exclude(status__in=DONE).order_by("effective_due", "pk")[:50]
        ),
        "open_count": mine.exclude(status__in=DONE).count(),
        "total_count": mine.count(),
        "pending_extensions": ExtensionRequest.objects.filter(
            assignment__department_id__in=ids, decision=ExtensionRequest.Decision.PENDING
        ).count(),
        "has_departments": bool(ids),
    }


def _supervisor_home(request, today):
    from notifications.models import Notification  # config sits above every app; notifications is one of them

    plans = plan_rows(Plan.objects.filter(status=Plan.Status.ACTIVE), today)
    # The plans that most need attention come first; a province has hundreds, the plan list has them all.
    plans.sort(key=lambda row: (_LIGHT_ORDER.get(row["light"], 4), -row["overdue"], row["plan"].pk))
    red_list, red_count = overdue_head(as_of=today, limit=12)
    undated_list, undated_count = undated_head(limit=12)
    return {
        "undated_list": undated_list,
        "undated_count": undated_count,
        "plans": plans[:HOME_PLANS],
        "plans_count": len(plans),
        "red_list": red_list,
        "red_count": red_count,
        "pending_reports": list(
            ProgressReport.objects.filter(review_state=ProgressReport.Review.PENDING)
            .select_related("assignment__task", "assignment__department", "author")
            .order_by("submitted_at")[:30]
        ),
        "pending_reports_count": ProgressReport.objects.filter(review_state=ProgressReport.Review.PENDING).count(),
        "pending_extensions": list(
            ExtensionRequest.objects.filter(decision=ExtensionRequest.Decision.PENDING)
            .select_related("assignment__task", "assignment__department", "requested_by")
            .order_by("created_at")[:30]
        ),
        "failed_notifications": list(
            Notification.objects.filter(state=Notification.State.FAILED).select_related("recipient")[:10]
        ),
        "failed_count": Notification.objects.filter(state=Notification.State.FAILED).count(),
    }


@login_required
def home(request):
    today = timezone.localdate()
    context = {"today": today, "is_supervisor": access.is_supervisor(request.user)}
    if access.reads_everything(request.user):
        context.update(_supervisor_home(request, today), mode="overview")
    else:
        context.update(_member_home(request, today), mode="member")
    return render(request, "supervision/home.html", context)
