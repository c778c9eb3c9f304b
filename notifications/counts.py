"""How often each department was reminded after a deadline and chased, for the scorecard (supervision.scorecard)."""

from collections import defaultdict
from datetime import date

from django.db import connection
from django.db.models import Count

from notifications.kinds import LATE_KINDS
from notifications.models import Chase, Notification

# Items of the late kinds that say their deadline has passed. Escalation copies of the same item (to heads,
# to supervisors) are not counted again, and the supervisors' summary of escalations (in `totals`) holds
# figures, not items: a department's count is what reached the department itself, whatever the supervisors'
# digest looks like.
_LATE_KINDS = sorted(kind.value for kind in LATE_KINDS)


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
    if connection.vendor == "postgresql":
        for department_id, n in _late_items_in_sql(sent, wanted, plan_id):
            counts[department_id]["reminders"] = n
    else:
        _late_items_in_python(sent, wanted, plan_id, counts)

    chases = Chase.objects.filter(assignment__department_id__in=wanted, created_at__date__lte=until)
    if since is not None:
        chases = chases.filter(created_at__date__gte=since)
    if plan_id is not None:
        chases = chases.filter(assignment__task__plan_id=plan_id)
    for row in chases.values("assignment__department_id").annotate(n=Count("id")):
        counts[row["assignment__department_id"]]["chases"] = row["n"]
    return dict(counts)


def _late_items_in_sql(sent, wanted: set, plan_id: int | None) -> list[tuple[int, int]]:
    """The count below, done by PostgreSQL over the items' JSON: the outbox of a province holds tens of
    thousands of rows, and decoding all their items in Python made one scorecard take seconds."""
    if plan_id is not None:
        # Containment is checked on the stored JSON without expanding it: only rows about the plan are expanded.
        sent = sent.filter(items__contains=[{"plan_id": plan_id}])
    rows, params = sent.values("id", "for_date", "items").query.sql_with_params()
    sql = f"""
        SELECT (item->>'department_id')::bigint, count(DISTINCT (sent.for_date, item->>'assignment_id', item->>'kind'))
          FROM ({rows}) AS sent(id, for_date, items), jsonb_array_elements(sent.items) AS item
         WHERE jsonb_typeof(sent.items) = 'array'
           AND item->>'kind' = ANY(%s)
           AND jsonb_typeof(item->'days_overdue') = 'number' AND (item->>'days_overdue')::numeric <> 0
           AND COALESCE(item->>'escalation', '') = ''
           AND jsonb_typeof(item->'department_id') = 'number'
           AND (item->>'department_id')::bigint = ANY(%s)
           AND (%s::bigint IS NULL OR (jsonb_typeof(item->'plan_id') = 'number'
                                       AND (item->>'plan_id')::bigint = %s::bigint))
         GROUP BY 1
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, _LATE_KINDS, sorted(wanted), plan_id, plan_id])
        return cursor.fetchall()


def _late_items_in_python(sent, wanted: set, plan_id: int | None, counts) -> None:
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
