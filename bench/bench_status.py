"""Department status: all departments of all plans (per plan) today, and one plan as of a past date.

Floor: the same aggregation written by hand as one SQL query (JIT off, as the app runs it), the per-row
values computed once in a materialised CTE.
"""

from datetime import date

from common import TODAY, queries, raw, row, section, timed

from plans.models import Plan
from tasks.selectors import department_status

PAST = date(2025, 6, 30)

# status/light/days overdue per assignment, grouped like selectors._live; %(d)s is the day.
FLOOR_SQL = """
WITH a AS MATERIALIZED (
  SELECT a.department_id, t.plan_id, a.role, a.state, a.completed_on,
         COALESCE((SELECT e.previous_due_date FROM tasks_extensionrequest e
                    WHERE e.assignment_id = a.id AND e.decision = 'approved'
                      AND (e.decided_at AT TIME ZONE 'Asia/Shanghai')::date > %(d)s
                    ORDER BY e.decided_at, e.id LIMIT 1),
                  a.due_date, t.due_date) AS due,
         COALESCE(t.start_date,
                  (SELECT max(ph.start_date) FROM tasks_phase ph WHERE ph.task_id = t.id AND ph.start_date <= %(d)s),
                  (SELECT min(ph.start_date) FROM tasks_phase ph WHERE ph.task_id = t.id),
                  p.issued_on, (a.created_at AT TIME ZONE 'Asia/Shanghai')::date) AS start,
         CASE WHEN a.state = 'completed' AND a.completed_on > %(d)s
              THEN COALESCE((SELECT r.percent FROM tasks_progressreport r
                              WHERE r.assignment_id = a.id AND r.review_state = 'approved'
                                AND (r.reviewed_at AT TIME ZONE 'Asia/Shanghai')::date <= %(d)s
                              ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1), 0)
              ELSE a.progress END AS progress
    FROM tasks_assignment a
    JOIN tasks_task t ON t.id = a.task_id
    JOIN plans_plan p ON p.id = t.plan_id
   WHERE (a.created_at AT TIME ZONE 'Asia/Shanghai')::date <= %(d)s {plan_filter}
), s AS (
  SELECT *, CASE
      WHEN state = 'completed' AND completed_on <= %(d)s AND due IS NULL THEN 'completed_undated'
      WHEN state = 'completed' AND completed_on <= %(d)s AND completed_on <= due
           THEN 'completed_on_time'
      WHEN state = 'completed' AND completed_on <= %(d)s THEN 'completed_late'
      WHEN due < %(d)s THEN 'overdue'
      WHEN state = 'in_progress' OR progress > 0 THEN 'in_progress'
      ELSE 'not_started' END AS status,
    CASE WHEN due IS NULL THEN 0 WHEN due <= %(d)s THEN 100
         WHEN start >= %(d)s OR start >= due THEN 0
         ELSE (%(d)s::date - start) * 100 / (due - start) END AS expected
  FROM a
)
SELECT department_id, {plan_key} role, status,
       CASE WHEN due IS NULL THEN 'grey'
            WHEN status = 'overdue' THEN 'red'
            WHEN status IN ('not_started', 'in_progress') AND expected >= progress + 20 THEN 'yellow'
            ELSE 'green' END AS light,
       count(*),
       sum(CASE WHEN status = 'overdue' THEN %(d)s::date - due
                WHEN status = 'completed_late' THEN completed_on - due ELSE 0 END)
  FROM s GROUP BY 1, 2, 3, 4 {plan_group}
"""


def floor_sql(*, day, plan_id=None, by_plan=False) -> list:
    sql = FLOOR_SQL.format(
        plan_filter="AND t.plan_id = %(plan)s" if plan_id else "",
        plan_key="plan_id," if by_plan else "",
        plan_group=", 5" if by_plan else "",
    )
    if by_plan:
        sql = sql.replace("GROUP BY 1, 2, 3, 4 , 5", "GROUP BY 1, 2, 3, 4, 5")
    return raw(sql, {"d": day, "plan": plan_id}, jit=False)


def main(results: list | None = None):
    plan = Plan.objects.order_by("pk").first()
    with section("department status (live, from the assignments)"):
        floor, groups = timed(lambda: floor_sql(day=TODAY, by_plan=True), runs=3)
        figure, rows = timed(lambda: department_status(as_of=TODAY, by_plan=True), runs=3)
        count = queries(lambda: department_status(as_of=TODAY, by_plan=True))
        line = row(
            "all departments x all plans, today",
            figure,
            floor,
            extra=f"{count} queries, {len(rows)} department-plan rows, {len(groups)} groups",
        )
        if results is not None:
            results.append(("status: all departments x plans, today", figure, floor, f"{count} queries", line))
        floor, groups = timed(lambda: floor_sql(day=PAST, plan_id=plan.pk), runs=5)
        figure, rows = timed(lambda: department_status(as_of=PAST, plan=plan, live=True), runs=5)
        count = queries(lambda: department_status(as_of=PAST, plan=plan, live=True))
        line = row(f"one plan as of {PAST}", figure, floor, extra=f"{count} queries, {len(rows)} departments")
        if results is not None:
            results.append((f"status: one plan as of {PAST}", figure, floor, f"{count} queries", line))


if __name__ == "__main__":
    main()
