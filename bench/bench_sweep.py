"""Reminder sweep over the open assignments of the bench data set, against the raw SQL that selects what is due."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from common import queries, raw, row, section, timed

from notifications.sweep import sweep_run

AT = datetime.combine(datetime(2026, 11, 25).date(), time(9, 0), tzinfo=ZoneInfo("Asia/Shanghai"))

FLOOR_SQL = """
SELECT a.id, a.department_id, a.role, COALESCE(a.due_date, t.due_date) AS due, p.id, p.title, t.title
FROM tasks_assignment a
JOIN tasks_task t ON t.id = a.task_id
JOIN plans_plan p ON p.id = t.plan_id
WHERE p.status = 'active' AND a.state <> 'completed'
  AND COALESCE(a.due_date, t.due_date) <= %s::date + 14
"""


def main(results: list | None = None):
    open_count = raw("SELECT count(*) FROM tasks_assignment WHERE state <> 'completed'")[0][0]
    with section(f"reminder sweep at {AT:%Y-%m-%d %H:%M} over {open_count} open assignments (dry run)"):
        floor, _ = timed(lambda: raw(FLOOR_SQL, [AT.date()]), runs=3)
        figure, result = timed(lambda: sweep_run(at=AT, dry_run=True), runs=3)
        count = queries(lambda: sweep_run(at=AT, dry_run=True))
        items = sum(len(p.items) for p in result.planned)
        extra = f"{count} queries, {len(result.planned)} digests, {items} items"
        supervisors = [p for p in result.planned if "escalations" in p.totals]
        if supervisors:
            summary = supervisors[0].totals["escalations"]
            extra += (
                f"; a supervisor's: {len(supervisors[0].items)} items, {summary['new']} of them escalated today,"
                f" {summary['assignments']} escalations summed up over {len(summary['departments'])} departments"
            )
        line = row("sweep_run(dry_run=True)", figure, floor, extra=extra)
        if results is not None:
            results.append((f"sweep over {open_count} open assignments", figure, floor, extra, line))


if __name__ == "__main__":
    main()
