from datetime import date

import pytest

from tasks.models import DepartmentSnapshot
from tasks.selectors import Counts, assignments_as_of, department_status

pytestmark = pytest.mark.django_db

FIELDS = ("total", "completed_on_time", "completed_late", "in_progress", "not_started", "overdue", "at_risk")
UNDATED = ("completed_undated", "undated")


def counts(status, role="all"):
    c = status.counts[role]
    return (*(getattr(c, f) for f in FIELDS), c.overdue_days, c.completion_rate, c.on_time_rate, c.light.value)


def by_name(rows):
    return {row.department_name: row for row in rows}


def test_counts_rates_and_lights_of_every_department_today(scenario, june15):
    rows = by_name(department_status(as_of=june15))
    #                         total ontime late inprog notst overdue risk days  compl  ontime  light
    assert counts(rows["市教育局"]) == (5, 1, 1, 2, 0, 1, 1, 17, 40.0, 33.3, "red")
    assert counts(rows["市财政局"]) == (4, 0, 1, 2, 0, 1, 0, 25, 25.0, 0.0, "red")
    assert counts(rows["市人社局"]) == (2, 0, 0, 0, 2, 0, 1, 0, 0.0, None, "yellow")
    assert {row.source for row in rows.values()} == {"live"}
    # T5 长效机制 has no due date: C's one undated part, not done
    assert {name: (row.all.undated, row.all.completed_undated) for name, row in rows.items()} == {
        "市教育局": (0, 0),
        "市财政局": (0, 0),
        "市人社局": (1, 0),
    }


def test_lead_and_co_parts_are_counted_separately_and_together(scenario, june15):
    a = by_name(department_status(as_of=june15))["市教育局"]
    assert counts(a, "lead") == (3, 1, 1, 1, 0, 0, 1, 2, 66.7, 50.0, "yellow")
    assert counts(a, "co") == (2, 0, 0, 1, 0, 1, 0, 15, 0.0, 0.0, "red")
    for name in (*FIELDS, *UNDATED, "overdue_days"):
        assert getattr(a.counts["lead"], name) + getattr(a.counts["co"], name) == getattr(a.all, name)


def test_one_plan_counts_only_its_own_assignments(scenario, june15):
    plan2 = by_name(department_status(as_of=june15, plan=scenario.plan2))
    assert list(plan2) == ["市教育局"]
    # completed late: done (green), but not on time
    assert counts(plan2["市教育局"]) == (1, 0, 1, 0, 0, 0, 0, 2, 100.0, 0.0, "green")
    plan1 = by_name(department_status(as_of=june15, plan=scenario.plan1))
    assert counts(plan1["市教育局"]) == (4, 1, 0, 2, 0, 1, 1, 15, 25.0, 50.0, "red")


def test_rows_per_plan_add_up_to_the_rows_across_plans(scenario, june15):
    across = {r.department_id: r.all for r in department_status(as_of=june15)}
    summed: dict[int, dict] = {}
    for row in department_status(as_of=june15, by_plan=True):
        into = summed.setdefault(row.department_id, dict.fromkeys((*FIELDS, *UNDATED, "overdue_days"), 0))
        for name in into:
            into[name] += getattr(row.all, name)
    assert {d: Counts(**v) for d, v in summed.items()} == across


def test_past_day_from_its_snapshot_shows_what_was_seen_then(scenario, june15):
    rows = by_name(department_status(as_of=date(2026, 3, 25)))
    assert {row.source for row in rows.values()} == {"snapshot"}
    # On 03-25 A had not started T2 (30% came on 04-15): two parts at risk then.
    assert counts(rows["市教育局"]) == (5, 1, 0, 2, 2, 0, 2, 0, 20.0, 100.0, "yellow")
    assert counts(rows["市财政局"]) == (3, 0, 0, 2, 1, 0, 1, 0, 0.0, None, "yellow")
    assert counts(rows["市人社局"]) == (2, 0, 0, 0, 2, 0, 1, 0, 0.0, None, "yellow")
    assert counts(rows["市财政局"], "co") == (1, 0, 0, 1, 0, 0, 0, 0, 0.0, None, "green")


def test_past_day_without_a_snapshot_is_reconstructed(scenario, june15):
    """Completed later → not completed then; made later → not counted; extended later → old due date."""
    rows = by_name(department_status(as_of=date(2026, 3, 25), live=True))
    # T2 is judged with today's 30%, so A's T2 is in progress and on schedule in the reconstruction.
    assert counts(rows["市教育局"]) == (5, 1, 0, 3, 1, 0, 1, 0, 20.0, 100.0, "yellow")
    # B completed T1 on 04-10: then in progress at the 80% approved on 03-02; T7 (made 05-01) not counted.
    assert counts(rows["市财政局"]) == (3, 0, 0, 2, 1, 0, 1, 0, 0.0, None, "yellow")
    t1_b = assignments_as_of(date(2026, 3, 25)).get(pk=scenario.part("T1", scenario.b).pk)
    assert (t1_b.status, t1_b.progress_as_of, t1_b.expected_progress, t1_b.light) == (
        "in_progress",
        80,
        93,
        "green",
    )


def test_due_date_moved_by_a_later_extension_counts_at_its_old_value(scenario, june15):
    t7 = scenario.part("T7", scenario.b)
    assert assignments_as_of(date(2026, 6, 1)).get(pk=t7.pk).effective_due == date(2026, 9, 30)
    assert assignments_as_of(date(2026, 6, 2)).get(pk=t7.pk).effective_due == date(2026, 10, 31)
    assert assignments_as_of(date(2026, 10, 1)).get(pk=t7.pk).status == "in_progress"


def test_a_later_day_counts_more_overdue_days_and_keeps_completions(scenario, june15):
    rows = by_name(department_status(as_of=date(2026, 7, 10)))
    # T2 (due 06-30) is 10 days overdue, T3 40 days, T6 was 2 days late; T4's co part now trails the schedule.
    assert counts(rows["市教育局"]) == (5, 1, 1, 1, 0, 2, 1, 10 + 40 + 2, 40.0, 25.0, "red")


def test_a_change_shows_at_once_without_waiting_for_the_night(scenario, june15):
    from tasks import services

    services.assignment_complete(assignment=scenario.part("T4", scenario.c))
    c = by_name(department_status(as_of=june15))["市人社局"]
    assert counts(c) == (2, 1, 0, 0, 1, 0, 0, 0, 50.0, 100.0, "green")


def test_snapshot_is_taken_for_each_department_plan_and_role(scenario):
    day = DepartmentSnapshot.objects.filter(as_of=date(2026, 3, 25))
    # 3 departments × 3 roles across plans; per plan: A and B in plan 1 and A in plan 2 (C only in plan 1).
    assert day.filter(plan__isnull=True).count() == 9
    assert day.filter(plan=scenario.plan1).count() == 9
    assert day.filter(plan=scenario.plan2).count() == 3
    assert DepartmentSnapshot.objects.exclude(as_of=date(2026, 3, 25)).count() == 0
