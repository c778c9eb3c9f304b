"""How often each department was reminded after a deadline and chased, for the scorecard
(tasks.scorecard asks through a registered counter: tasks may not import notifications)."""

from collections import defaultdict
from datetime import date

from django.db.models import Count

from notifications.models import Chase, Notification

# Items that say a deadline has passed; escalation copies of the same item are not counted again.
_LATE_KINDS = {"due", "report"}


def reminder_counts_by_department(
    *, department_ids, plan_id: int | None, since: date | None, until: date
) -> dict[int, dict[str, int]]:
    """{department_id: {"reminders": n, "chases": m}} over [since, until].

    A reminder is one overdue item about one assignment on one day that went out,
    however many of the department's people received it.
    """
    wanted = set(department_ids)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"reminders": 0, "chases": 0})

    sent = Notification.objects.filter(
        state=Notification.State.SENT,
        kind__in=[Notification.Kind.DIGEST, Notification.Kind.SUMMARY],
        for_date__lte=until,
    )
    if since is not None:
        sent = sent.filter(for_date__gte=since)
    seen = set()
    for for_date, items in sent.values_list("for_date", "items").iterator():
        for item in items:
            department_id = item.get("department_id")
            if (
                item.get("kind") in _LATE_KINDS
                and item.get("days_overdue")
                and not item.get("escalation")
                and department_id in wanted
                and (plan_id is None or item.get("plan_id") == plan_id)
            ):
                key = (for_date, item["assignment_id"], item["kind"])
                if key not in seen:
                    seen.add(key)
                    counts[department_id]["reminders"] += 1

    chases = Chase.objects.filter(assignment__department_id__in=wanted, created_at__date__lte=until)
    if since is not None:
        chases = chases.filter(created_at__date__gte=since)
    if plan_id is not None:
        chases = chases.filter(assignment__task__plan_id=plan_id)
    for row in chases.values("assignment__department_id").annotate(n=Count("id")):
        counts[row["assignment__department_id"]]["chases"] = row["n"]
    return dict(counts)
