from datetime import date

import pytest

from notifications.chase import assignment_chase
from notifications.counts import reminder_counts_by_department as reminder_counts
from notifications.models import Notification
from tests.notifications.conftest import lead_of, make_task, sweep_on

pytestmark = pytest.mark.django_db


def test_scorecard_counts_overdue_reminders_sent_and_chases_per_department(personas):
    task = make_task(personas, title="完成校舍安全排查", due=date(2026, 10, 12))
    other = make_task(personas, title="经费保障", due=date(2026, 10, 12), leads=[personas.dept_b])
    for day in (12, 13, 14, 15, 16):
        sweep_on(date(2026, 10, day))
    # What went out counts, not what waits: the 16th's reminders are still pending.
    Notification.objects.exclude(for_date=date(2026, 10, 16)).update(state="sent", sent_at="2026-10-16T10:00+08:00")
    assignment_chase(assignment=lead_of(task), by_user=personas.supervisor)
    assignment_chase(assignment=lead_of(other), by_user=personas.supervisor)

    counts = reminder_counts(
        department_ids=[personas.dept_a.pk, personas.dept_b.pk], plan_id=None, since=None, until=date(2026, 12, 31)
    )
    # 13, 14 and 15 October were overdue days; the escalation to head_a on the 15th is the same reminder.
    assert counts == {
        personas.dept_a.pk: {"reminders": 3, "chases": 1},
        personas.dept_b.pk: {"reminders": 3, "chases": 1},
    }
    only_a_plan = reminder_counts(
        department_ids=[personas.dept_a.pk], plan_id=task.plan_id, since=date(2026, 10, 14), until=date(2026, 10, 31)
    )
    assert only_a_plan[personas.dept_a.pk]["reminders"] == 2


def test_postgresql_indexes_the_items_for_the_per_plan_count():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'notification_items_path'")
        (definition,) = cursor.fetchone()
    assert "gin (items jsonb_path_ops)" in definition
