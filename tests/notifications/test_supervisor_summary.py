"""The supervisors' digest: a summary per department of what has escalated to them, and the items
only of what reaches them today; department heads and liaisons still hear every item."""

from datetime import date

import pytest
import time_machine
from django.test import Client

from notifications.counts import reminder_counts_by_department as reminder_counts
from notifications.delivery import notification_deliver
from notifications.models import Notification, NotificationPreference
from org.models import Department, Membership, User
from plans.models import Plan
from tasks.models import ReportingCadence
from tests.conftest import make_user
from tests.notifications.conftest import at, items_for, make_task, sweep_on

pytestmark = pytest.mark.django_db

DAY = date(2026, 10, 21)  # 7 working days after 12 October: the supervisors' threshold


@pytest.fixture
def escalated(personas):
    """On DAY: 完成校舍安全排查 reaches the supervisors (lead 市教育局, co 市财政局); 新建幼儿园 and
    经费保障 reached them before; 课后服务's September report is missing; 配齐保育员 is with the head only."""
    plan = Plan.objects.create(title="学前教育普及普惠实施方案", status=Plan.Status.ACTIVE)
    other = Plan.objects.create(title="义务教育优质均衡行动计划", status=Plan.Status.ACTIVE)
    tasks = {
        "new": make_task(personas, plan=plan, title="完成校舍安全排查", due=date(2026, 10, 12), co=[personas.dept_b]),
        "older": make_task(personas, plan=plan, title="新建幼儿园", due=date(2026, 10, 9)),
        "head_only": make_task(personas, plan=other, title="配齐保育员", due=date(2026, 10, 13)),
        "b_older": make_task(personas, plan=other, title="经费保障", due=date(2026, 9, 30), leads=[personas.dept_b]),
        "report": make_task(
            personas,
            title="推进课后服务",
            due=date(2026, 12, 31),
            leads=[personas.dept_b],
            reporting_cadence=ReportingCadence.MONTHLY,
        ),
    }
    return tasks


def summary_of(user, day=DAY) -> Notification:
    return Notification.objects.get(recipient=user, for_date=day)


def test_supervisors_get_a_summary_per_department_and_only_todays_escalations_as_items(personas, escalated):
    sweep_on(DAY)
    row = summary_of(personas.supervisor)
    assert row.kind == Notification.Kind.SUMMARY
    assert row.subject == "【督查日报】2026年10月21日 督办事项汇总"
    summary = row.totals["escalations"]
    assert (summary["assignments"], summary["new"]) == (5, 2)
    assert summary["departments"] == [
        {  # the co assignment of today's task; 经费保障 and the missing report reached them before
            "department_id": personas.dept_b.pk,
            "department": "市财政局",
            "assignments": 3,
            "new": 1,
            "longest_overdue": 11,
            "plans": 3,
        },
        {
            "department_id": personas.dept_a.pk,
            "department": "市教育局",
            "assignments": 2,
            "new": 1,
            "longest_overdue": 9,
            "plans": 1,
        },
    ]
    # The daily summary's own figures are unchanged.
    assert {k: v for k, v in row.totals.items() if k != "escalations"} == {
        "open": 6,
        "overdue": 5,
        "unacknowledged": 0,
        "failed": 0,
    }
    assert [(i["task_title"], i["department"], i["escalation"], i["days_overdue"]) for i in row.items] == [
        ("完成校舍安全排查", "市教育局", "supervisors", 7),
        ("完成校舍安全排查", "市财政局", "supervisors", 7),
    ]


def test_heads_and_liaisons_still_hear_every_item(personas, escalated):
    sweep_on(DAY)
    assert [(i["task_title"], i["days_overdue"]) for i in items_for(personas.head_a, DAY)] == [
        ("配齐保育员", 6),  # plans in the order of their titles
        ("新建幼儿园", 9),
        ("完成校舍安全排查", 7),
    ]
    assert [(i["task_title"], i["kind"]) for i in items_for(personas.liaison_b, DAY)] == [
        ("经费保障", "due"),
        ("推进课后服务", "report"),
        ("完成校舍安全排查", "due"),
    ]
    assert len(items_for(personas.liaison_a, DAY)) == 3


def test_the_next_day_the_escalation_is_counted_but_no_longer_listed(personas, escalated):
    sweep_on(DAY)
    sweep_on(date(2026, 10, 22))
    row = summary_of(personas.supervisor, date(2026, 10, 22))
    summary = row.totals["escalations"]
    # 配齐保育员 crosses the threshold on the 22nd; yesterday's new one is now among the others.
    assert (summary["assignments"], summary["new"]) == (6, 1)
    assert [(d["department"], d["assignments"], d["new"]) for d in summary["departments"]] == [
        ("市教育局", 3, 1),
        ("市财政局", 3, 0),
    ]
    assert [(i["task_title"], i["days_overdue"]) for i in row.items] == [("配齐保育员", 7)]


def test_one_digest_per_supervisor_per_day_however_often_the_sweep_runs(personas, escalated):
    second = make_user("supervisor_2", role=User.Role.SUPERVISOR)
    NotificationPreference.objects.create(user=second, digest_hour=14)
    first = sweep_on(DAY, hour=9)
    again = sweep_on(DAY, hour=10)
    later = sweep_on(DAY, hour=14)
    assert {n.recipient for n in first.written} >= {personas.supervisor}
    assert again.written == []
    assert [n.recipient for n in later.written] == [second]
    rows = Notification.objects.filter(recipient__role=User.Role.SUPERVISOR)
    assert sorted(rows.values_list("dedup_key", flat=True)) == sorted(
        [f"daily:{personas.supervisor.pk}:2026-10-21", f"daily:{second.pk}:2026-10-21"]
    )
    assert all(r.totals["escalations"]["new"] == 2 for r in rows)


def test_a_clear_day_sends_supervisors_nothing(personas):
    make_task(personas, title="完成校舍安全排查", due=date(2026, 10, 30))
    sweep_on(DAY)
    assert not Notification.objects.filter(recipient=personas.supervisor).exists()


def test_scorecard_counts_each_departments_own_overdue_reminders_not_the_escalations(personas, escalated):
    days = [date(2026, 10, d) for d in (13, 14, 15, 16, 19, 20, 21, 22)]
    for day in days:
        sweep_on(day)
    Notification.objects.update(state="sent", sent_at="2026-10-22T10:00+08:00")
    since, until = days[0], days[-1]
    counts = reminder_counts(
        department_ids=[personas.dept_a.pk, personas.dept_b.pk], plan_id=None, since=since, until=until
    )
    # 市教育局: 完成校舍安全排查 from the 13th (8 days), 新建幼儿园 (8), 配齐保育员 from the 14th (7).
    # 市财政局: its co part of 完成校舍安全排查 (8), 经费保障 (8), the September report (8).
    assert counts == {
        personas.dept_a.pk: {"reminders": 23, "chases": 0},
        personas.dept_b.pk: {"reminders": 24, "chases": 0},
    }
    # The supervisors' digests add nothing: without them the counts are the same.
    Notification.objects.filter(recipient=personas.supervisor).delete()
    assert (
        reminder_counts(department_ids=[personas.dept_a.pk, personas.dept_b.pk], plan_id=None, since=since, until=until)
        == counts
    )
    plan_id = escalated["new"].plan_id
    only_plan = reminder_counts(department_ids=[personas.dept_a.pk], plan_id=plan_id, since=since, until=until)
    assert only_plan[personas.dept_a.pk]["reminders"] == 16


def test_summary_mail_lists_departments_escaped_with_links_and_the_new_items(personas, smtp_settings, settings):
    settings.SITE_URL = "https://duban.example.cn"
    school = Department.objects.create(name="第<一>中学 & 附小", kind=Department.Kind.SCHOOL)
    make_user("liaison_school", department=school, membership=Membership.Role.LIAISON)
    make_task(personas, title="校园安全整治 <专项>", due=date(2026, 10, 12), leads=[school])
    make_task(personas, title="新建幼儿园", due=date(2026, 10, 9))
    sweep_on(DAY)
    row = summary_of(personas.supervisor)
    with time_machine.travel(at(DAY, 9, 1), tick=False):
        assert notification_deliver(notification_id=row.pk).state == "sent"
    [mail] = [m for m in smtp_settings.messages if m["To"] == "supervisor@example.cn"]
    assert mail["Subject"].strip() == "【督查日报】2026年10月21日 督办事项汇总"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()

    assert "【升级督办汇总】逾期已升级至督查科督办 2 项,今日新增 1 项" in text
    assert "· 第<一>中学 & 附小:升级督办 1 项,今日新增 1 项,最长逾期 7 个工作日,涉及 1 个方案" in text
    assert "· 市教育局:升级督办 1 项,今日新增 0 项,最长逾期 9 个工作日,涉及 1 个方案" in text
    assert "逾期清单:https://duban.example.cn/reports/supervision/#report-overdue" in text
    assert "【今日新升级督办】" in text and "【已升级督办】" not in text
    assert "校园安全整治 <专项> — 第<一>中学 & 附小(牵头单位)" in text
    assert "新建幼儿园" not in text  # escalated before: in the summary, not listed

    assert "第&lt;一&gt;中学 &amp; 附小" in html and "第<一>中学" not in html
    assert "校园安全整治 &lt;专项&gt;" in html
    assert f'href="https://duban.example.cn/departments/{school.pk}/"' in html
    assert 'href="https://duban.example.cn/reports/supervision/#report-overdue"' in html
    assert "<h3>今日新升级督办</h3>" in html


def test_notification_log_shows_the_escalation_summary(personas, escalated):
    sweep_on(DAY)
    client = Client()
    client.force_login(personas.supervisor)
    page = client.get("/notifications/", {"kind": "summary"}).content.decode()
    assert "升级督办 5 项(今日新增 2 项),涉及 2 个单位" in page


def test_a_superuser_hears_what_supervisors_hear(personas, escalated):
    """One definition of a supervisor (org.access): a superuser without the role is one too."""
    admin = User.objects.create_superuser("admin", email="admin@example.cn", password="Duban-test-2026")
    assert admin.role != User.Role.SUPERVISOR
    sweep_on(DAY)
    theirs, supervisors = summary_of(admin), summary_of(personas.supervisor)
    assert theirs.kind == Notification.Kind.SUMMARY
    assert theirs.totals["escalations"] == supervisors.totals["escalations"]
    assert theirs.items == supervisors.items
