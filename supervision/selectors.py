"""Reads for the supervision pages: what each home page lists, and the snapshots behind the board's trend."""

from datetime import date, timedelta

from django.db.models import OuterRef, Subquery

from notifications.models import Notification
from org import access
from plans.models import Plan
from tasks.charts import SnapshotPoint
from tasks.models import Assignment, DepartmentSnapshot, ExtensionRequest, ProgressReport
from tasks.rules import DONE, Light, Status
from tasks.selectors import assignments_as_of, overdue_head, plan_rows, undated_head

DUE_SOON_DAYS = 14
HOME_PLANS = 20
HOME_LIST = 50  # assignments per list on a member's home
_LIGHT_ORDER = {Light.RED: 0, Light.YELLOW: 1, Light.GREY: 2, Light.GREEN: 3}
OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)


def _latest_review():
    latest = ProgressReport.objects.filter(assignment=OuterRef("pk")).order_by("-submitted_at", "-pk")
    return Subquery(latest.values("review_state")[:1])


def member_home(*, user, today: date) -> dict:
    """A liaison's or head's first page: their departments' overdue, soon due, returned and unacknowledged work."""
    base = Assignment.objects.visible_to(user).select_related("task", "task__plan", "department")
    mine = assignments_as_of(today, base).annotate(latest_review=_latest_review())
    open_work = mine.filter(status__in=OPEN_STATUSES)
    unfinished = mine.exclude(status__in=DONE)
    return {
        "overdue": list(mine.filter(status=Status.OVERDUE).order_by("effective_due", "pk")[:HOME_LIST]),
        "due_soon": list(
            open_work.filter(
                effective_due__gte=today, effective_due__lte=today + timedelta(days=DUE_SOON_DAYS)
            ).order_by("effective_due", "pk")[:HOME_LIST]
        ),
        "returned": list(
            unfinished.filter(latest_review=ProgressReport.Review.RETURNED).order_by("effective_due", "pk")[:HOME_LIST]
        ),
        "unacknowledged": list(
            unfinished.filter(acknowledged_at__isnull=True).order_by("effective_due", "pk")[:HOME_LIST]
        ),
        "open_count": unfinished.count(),
        "total_count": mine.count(),
        "pending_extensions": ExtensionRequest.objects.visible_to(user)
        .filter(decision=ExtensionRequest.Decision.PENDING)
        .count(),
        "has_departments": bool(access.department_ids(user)),
    }


def supervisor_home(*, user, today: date) -> dict:
    """A supervisor's or viewer's first page: plans needing attention, the red list, what waits for review."""
    plans = plan_rows(Plan.objects.visible_to(user).filter(status=Plan.Status.ACTIVE), today)
    # The plans that most need attention come first; a province has hundreds, the plan list has them all.
    plans.sort(key=lambda row: (_LIGHT_ORDER.get(row["light"], 4), -row["overdue"], row["plan"].pk))
    red_list, red_count = overdue_head(as_of=today, limit=12)
    undated_list, undated_count = undated_head(limit=12)
    pending = ProgressReport.objects.visible_to(user).filter(review_state=ProgressReport.Review.PENDING)
    failed = Notification.objects.visible_to(user).filter(state=Notification.State.FAILED)
    return {
        "plans": plans[:HOME_PLANS],
        "plans_count": len(plans),
        "red_list": red_list,
        "red_count": red_count,
        "undated_list": undated_list,
        "undated_count": undated_count,
        "pending_reports": list(
            pending.select_related("assignment__task", "assignment__department", "author").order_by("submitted_at")[:30]
        ),
        "pending_reports_count": pending.count(),
        "pending_extensions": list(
            ExtensionRequest.objects.visible_to(user)
            .filter(decision=ExtensionRequest.Decision.PENDING)
            .select_related("assignment__task", "assignment__department", "requested_by")
            .order_by("created_at")[:30]
        ),
        "failed_notifications": list(failed.select_related("recipient")[:10]),
        "failed_count": failed.count(),
    }


def department_work(*, assignments, today: date) -> dict:
    """A department's assignments as of today, most urgent first, and how many are done, overdue, at risk."""
    rows = list(
        assignments_as_of(today, assignments.select_related("task", "task__plan", "department")).order_by(
            "-days_overdue", "effective_due", "task__plan_id", "task_id"
        )
    )
    return {
        "rows": rows,
        "done": sum(1 for a in rows if a.status in DONE),
        "overdue": sum(1 for a in rows if a.status == Status.OVERDUE),
        "at_risk": sum(1 for a in rows if a.light == Light.YELLOW),
    }


def trend_points(*, plan, department_ids, as_of: date, days: int = 90) -> list[SnapshotPoint]:
    """Each department's stored counts (all roles) on each day of the last `days` up to as_of, for one
    plan or across plans."""
    snaps = DepartmentSnapshot.objects.filter(
        role=DepartmentSnapshot.Role.ALL, as_of__gte=as_of - timedelta(days=days), as_of__lte=as_of
    )
    snaps = snaps.filter(plan=plan) if plan is not None else snaps.filter(plan__isnull=True)
    if department_ids is not None:
        snaps = snaps.filter(department_id__in=department_ids)
    rows = snaps.values_list(
        "as_of", "department_id", "department__name", "total", "completed_on_time", "completed_late",
        "completed_undated",
    )  # fmt: skip
    return [
        SnapshotPoint(day, dept, name, total, on_time + late + undated)
        for day, dept, name, total, on_time, late, undated in rows
    ]
