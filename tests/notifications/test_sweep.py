"""The sweep on real days of 2026, across the National Day holiday and its 调休 Saturday."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from notifications.models import Notification, NotificationPreference, ReminderPolicy
from notifications.sweep import sweep_run
from org.models import Department
from plans.models import Plan
from tasks.models import Phase, ProgressReport, ReportingCadence
from tasks.services import assignment_acknowledge, assignment_complete, extension_decide, extension_request_create
from tests.conftest import make_user
from tests.notifications.conftest import at, items_for, lead_of, make_task, sweep_on

pytestmark = pytest.mark.django_db

DUE = date(2026, 10, 12)  # the Monday after the holiday week


def days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def reminders_by_day(user, start, end):
    """{day: [(kind, days_left, days_overdue, escalation)]} of what the user received, sweeping every day."""
    seen = {}
    for day in days(start, end):
        sweep_on(day)
        items = items_for(user, day)
        if items:
            seen[day] = [(i["kind"], i["days_left"], i["days_overdue"], i["escalation"]) for i in items]
    return seen


def test_lead_liaison_is_reminded_7_3_1_and_0_working_days_before_across_national_day(personas):
    make_task(personas, title="完成校舍安全排查", due=DUE)
    assert reminders_by_day(personas.liaison_a, date(2026, 9, 20), DUE) == {
        date(2026, 9, 24): [("due", 7, None, None)],  # the 25th is the Mid-Autumn Festival
        date(2026, 10, 8): [("due", 3, None, None)],
        date(2026, 10, 10): [("due", 1, None, None)],  # a 调休 Saturday is a working day
        date(2026, 10, 12): [("due", 0, None, None)],
    }
    assert not Notification.objects.filter(for_date__range=(date(2026, 10, 1), date(2026, 10, 7))).exists()


def test_overdue_lead_is_reminded_every_working_day_and_escalates_to_head_then_supervisors(personas):
    make_task(personas, title="完成校舍安全排查", due=DUE)
    liaison = reminders_by_day(personas.liaison_a, date(2026, 10, 13), date(2026, 10, 21))
    assert {day: entries[0][2] for day, entries in liaison.items()} == {
        date(2026, 10, 13): 1,
        date(2026, 10, 14): 2,
        date(2026, 10, 15): 3,
        date(2026, 10, 16): 4,
        date(2026, 10, 19): 5,
        date(2026, 10, 20): 6,
        date(2026, 10, 21): 7,
    }
    head_days = [d for d in days(date(2026, 10, 13), date(2026, 10, 21)) if items_for(personas.head_a, d)]
    assert head_days == [date(2026, 10, d) for d in (15, 16, 19, 20, 21)]
    assert items_for(personas.head_a, date(2026, 10, 15))[0]["escalation"] == "head"
    supervisor_items = items_for(personas.supervisor, date(2026, 10, 21))
    assert [(i["escalation"], i["days_overdue"]) for i in supervisor_items] == [("supervisors", 7)]
    assert not any(i["escalation"] for i in items_for(personas.supervisor, date(2026, 10, 20)))


def test_completion_stops_every_reminder(personas):
    task = make_task(personas, title="完成校舍安全排查", due=DUE)
    sweep_on(date(2026, 10, 15))
    assert items_for(personas.head_a, date(2026, 10, 15))
    assignment_complete(assignment=lead_of(task), completed_on=date(2026, 10, 15))
    assert reminders_by_day(personas.liaison_a, date(2026, 10, 16), date(2026, 10, 30)) == {}
    assert Notification.objects.filter(for_date__gt=date(2026, 10, 15)).count() == 0


def test_granted_extension_stops_overdue_reminders_and_restarts_them_against_the_new_date(personas):
    task = make_task(personas, title="完成校舍安全排查", due=DUE)
    sweep_on(date(2026, 10, 13))
    assert items_for(personas.liaison_a, date(2026, 10, 13))[0]["days_overdue"] == 1
    request = extension_request_create(
        assignment=lead_of(task), user=personas.liaison_a, requested_due_date=date(2026, 10, 23), reason="设备未到货"
    )
    extension_decide(request=request, decider=personas.supervisor, approve=True)
    seen = reminders_by_day(personas.liaison_a, date(2026, 10, 14), date(2026, 10, 26))
    assert seen == {
        date(2026, 10, 14): [("due", 7, None, None)],
        date(2026, 10, 20): [("due", 3, None, None)],
        date(2026, 10, 22): [("due", 1, None, None)],
        date(2026, 10, 23): [("due", 0, None, None)],
        date(2026, 10, 26): [("due", None, 1, None)],
    }
    assert items_for(personas.liaison_a, date(2026, 10, 14))[0]["deadline"] == "2026-10-23"


def test_each_recipient_gets_one_digest_grouping_all_items_by_urgency_and_plan(personas):
    plan_a = Plan.objects.create(title="学前教育普及普惠实施方案", status=Plan.Status.ACTIVE)
    plan_b = Plan.objects.create(title="义务教育优质均衡行动计划", status=Plan.Status.ACTIVE)
    make_task(personas, plan=plan_a, title="新建幼儿园", due=date(2026, 10, 9))  # overdue by 1 on the 12th
    make_task(personas, plan=plan_b, title="集团化办学", due=DUE)  # due today
    make_task(personas, plan=plan_a, title="配齐保育员", due=date(2026, 10, 15))  # 3 left
    make_task(personas, plan=plan_b, title="经费保障", due=DUE, leads=[personas.dept_b], co=[personas.dept_a])
    sweep_on(DUE)

    rows = Notification.objects.filter(recipient=personas.liaison_a)
    assert rows.count() == 1
    items = rows.get().items
    assert [(i["urgency"], i["plan_title"], i["task_title"]) for i in items] == [
        ("overdue", "学前教育普及普惠实施方案", "新建幼儿园"),
        ("today", "义务教育优质均衡行动计划", "集团化办学"),
        ("today", "义务教育优质均衡行动计划", "经费保障"),
        ("soon", "学前教育普及普惠实施方案", "配齐保育员"),
    ]
    assert {i["role"] for i in items if i["task_title"] == "经费保障"} == {"co"}
    assert Notification.objects.get(recipient=personas.liaison_b).items[0]["task_title"] == "经费保障"


def test_a_liaison_may_decline_reminders_about_co_assignments(personas):
    make_task(personas, title="经费保障", due=DUE, leads=[personas.dept_b], co=[personas.dept_a])
    NotificationPreference.objects.create(user=personas.liaison_a, receive_co_reminders=False)
    sweep_on(DUE)
    assert not Notification.objects.filter(recipient=personas.liaison_a).exists()
    assert Notification.objects.filter(recipient=personas.liaison_b).exists()


def test_a_plan_policy_can_silence_co_departments_and_change_the_days(personas):
    task = make_task(personas, title="经费保障", due=DUE, leads=[personas.dept_b], co=[personas.dept_a])
    ReminderPolicy.objects.create(plan=task.plan, before_days=[5], remind_co=False)
    seen = reminders_by_day(personas.liaison_b, date(2026, 9, 28), DUE)
    assert seen == {date(2026, 9, 29): [("due", 5, None, None)]}  # 30 Sept, 8, 9, 10 and 12 Oct left
    assert not Notification.objects.filter(recipient=personas.liaison_a).exists()


def test_digest_waits_for_the_hour_the_user_chose_and_goes_once_a_day(personas):
    make_task(personas, title="完成校舍安全排查", due=DUE)
    NotificationPreference.objects.create(user=personas.liaison_a, digest_hour=14)
    sweep_on(DUE, hour=9)
    assert not Notification.objects.filter(recipient=personas.liaison_a).exists()
    sweep_on(DUE, hour=14)
    sweep_on(DUE, hour=15)
    assert Notification.objects.filter(recipient=personas.liaison_a).count() == 1


def test_department_without_liaison_is_reminded_through_its_head(personas):
    department = Department.objects.create(name="市体育局")
    head = make_user("head_sport", department=department, membership="head")
    make_task(personas, title="开足体育课", due=DUE, leads=[department])
    sweep_on(DUE)
    assert [i["task_title"] for i in items_for(head, DUE)] == ["开足体育课"]


def test_draft_plans_send_nothing(personas):
    plan = Plan.objects.create(title="草稿方案", status=Plan.Status.DRAFT)
    make_task(personas, plan=plan, title="完成校舍安全排查", due=DUE)
    sweep_on(DUE)
    assert not Notification.objects.exists()


def test_phase_ends_are_reminded_before_the_date(personas):
    task = make_task(personas, title="建设智慧校园", due=date(2026, 12, 31))
    Phase.objects.create(
        task=task, kind=Phase.Kind.PREPARATION, name="前期筹备阶段", start_date=date(2026, 9, 1), end_date=DUE
    )
    seen = reminders_by_day(personas.liaison_a, date(2026, 10, 8), date(2026, 10, 14))
    assert seen == {
        date(2026, 10, 8): [("phase_end", 3, None, None)],
        date(2026, 10, 10): [("phase_end", 1, None, None)],
        date(2026, 10, 12): [("phase_end", 0, None, None)],
    }
    assert items_for(personas.liaison_a, DUE)[0]["what"] == "前期筹备阶段结束"


def test_new_assignment_asks_for_acknowledgement_then_is_chased_and_shown_to_supervisors(personas):
    task = make_task(personas, title="完成校舍安全排查", due=date(2026, 12, 31), acknowledged=False, created=DUE)
    sweep_on(DUE)
    sweep_on(date(2026, 10, 13))
    sweep_on(date(2026, 10, 14))
    statuses = [[i["status"] for i in items_for(personas.liaison_a, date(2026, 10, d))] for d in (12, 13, 14)]
    assert statuses == [["新任务,请登录系统签收"], ["新任务,请登录系统签收"], ["已下达 2 个工作日仍未签收"]]
    summary = Notification.objects.get(recipient=personas.supervisor, for_date=date(2026, 10, 14))
    assert summary.kind == Notification.Kind.SUMMARY
    assert summary.totals["unacknowledged"] == 1
    assert [i["kind"] for i in summary.items] == ["acknowledge"]
    assert not Notification.objects.filter(recipient=personas.supervisor, for_date__lt=date(2026, 10, 14)).exists()

    assignment_acknowledge(assignment=lead_of(task), user=personas.liaison_a)
    sweep_on(date(2026, 10, 15))
    assert not Notification.objects.filter(for_date=date(2026, 10, 15)).exists()


def test_supervisor_can_turn_off_the_daily_summary_but_still_gets_escalations(personas):
    make_task(personas, title="完成校舍安全排查", due=DUE)
    make_task(personas, title="待签收任务", due=date(2026, 12, 31), acknowledged=False, created=date(2026, 10, 8))
    NotificationPreference.objects.create(user=personas.supervisor, daily_summary=False)
    sweep_on(date(2026, 10, 20))
    assert not Notification.objects.filter(recipient=personas.supervisor).exists()
    sweep_on(date(2026, 10, 21))
    row = Notification.objects.get(recipient=personas.supervisor)
    assert (row.kind, list(row.totals), [i["escalation"] for i in row.items]) == (
        "digest",
        ["escalations"],
        ["supervisors"],
    )
    assert row.subject == "【升级督办】2026年10月21日 1 项逾期已升级,今日新增 1 项"


def test_monthly_report_is_prompted_before_it_falls_due_and_a_missing_one_is_chased(personas):
    task = make_task(personas, title="推进课后服务", due=date(2026, 12, 31), reporting_cadence=ReportingCadence.MONTHLY)
    with time_machine.travel(at(date(2026, 9, 29), 10), tick=False):
        ProgressReport.objects.create(assignment=lead_of(task), author=personas.liaison_a, text="九月进展", percent=20)
    # October 31 is a Saturday: the 30th is the last working day before the report falls due.
    seen = reminders_by_day(personas.liaison_a, date(2026, 10, 26), date(2026, 11, 3))
    assert seen == {
        date(2026, 10, 27): [("report", 3, None, None)],
        date(2026, 10, 30): [("report", 0, None, None)],
        date(2026, 11, 2): [("report", None, 1, None)],
        date(2026, 11, 3): [("report", None, 2, None)],
    }
    with time_machine.travel(at(date(2026, 11, 3), 10), tick=False):
        ProgressReport.objects.create(assignment=lead_of(task), author=personas.liaison_a, text="十月进展", percent=40)
    sweep_on(date(2026, 11, 4))
    assert items_for(personas.liaison_a, date(2026, 11, 4)) == []


def test_a_year_beyond_the_calendar_is_reminded_monday_to_friday(personas):
    make_task(personas, title="远期任务", due=date(2030, 10, 1), created=date(2030, 9, 2))
    sweep_on(date(2030, 10, 1))  # National Day in reality; the fallback cannot know
    sweep_on(date(2030, 10, 5))  # a Saturday
    assert [i["status"] for i in items_for(personas.liaison_a, date(2030, 10, 1))] == ["今日到期"]
    assert items_for(personas.liaison_a, date(2030, 10, 5)) == []


def test_sweeping_twice_writes_nothing_new(personas):
    make_task(personas, title="完成校舍安全排查", due=DUE)
    first = sweep_on(date(2026, 10, 21), hour=9)
    second = sweep_on(date(2026, 10, 21), hour=10)
    assert {n.recipient for n in first.written} == {personas.liaison_a, personas.head_a, personas.supervisor}
    assert second.written == [] and all(p.already_written for p in second.planned)
    assert Notification.objects.count() == 3


def test_nothing_is_swept_on_a_holiday(personas):
    make_task(personas, title="完成校舍安全排查", due=date(2026, 10, 3))
    with time_machine.travel(at(date(2026, 10, 3)), tick=False):
        result = sweep_run(at=timezone.now())
    assert (result.working_day, result.planned) == (False, [])
