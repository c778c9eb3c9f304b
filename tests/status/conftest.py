"""A hand-built year of work, played forward with the clock frozen at each step.

Plan 1 (issued 2026-01-01)                      Plan 2 (issued 2026-02-01)
  T1 校舍改造  due 03-31  lead A, co B            T6 体质监测 due 06-10  lead A
  T2 课后服务  due 06-30  lead A, lead B (monthly reports)
  T3 教师培训  due 05-31  lead B, co A
  T4 数字平台  due 12-31  lead C, co A; phases from 01-01, 04-01, 11-01
  T5 长效机制  no due     lead C
  T7 信息公开  05-01..09-30 lead B (made on 05-01; extended to 10-31 on 06-02)

Events: 01-05 assignments made (A's T3 at 50%, A's T4 at 10%); 01-20 A reports on T2;
03-01 B's T2 at 90%; 03-02 B reports 80% on T1, approved; 03-03 A reports on T2;
03-20 A completes T1; 03-26 00:20 snapshot of 03-25; 04-10 B completes T1;
04-15 A reports 30% on T2, approved; 05-01 T7 made, B at 20%; 06-01/02 B's extension on T7;
06-12 A completes T6 (late). The tests look at it on 06-15.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from org.models import Department
from plans.models import Plan
from tasks import services
from tasks.models import Assignment, Phase, Task
from tasks.tasks import take_department_snapshots

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour=10, minute=0):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI), tick=False)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The personas' passwords are never checked here; a slow hasher only slows the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Scenario:
    a: Department
    b: Department
    c: Department
    plan1: Plan
    plan2: Plan
    tasks: dict[str, Task]

    def part(self, task: str, dept: Department) -> Assignment:
        return Assignment.objects.get(task=self.tasks[task], department=dept)


def _report(assignment, user, percent, *, approve_by=None):
    report = services.progress_report_submit(assignment=assignment, author=user, text="进展", percent=percent)
    if approve_by is not None:
        services.progress_report_review(report=report, reviewer=approve_by, approve=True)
    return report


@pytest.fixture
def scenario(personas, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    p = personas
    a, b = p.dept_a, p.dept_b
    with at(date(2026, 1, 5)):
        c = Department.objects.create(name="市人社局")
        plan1 = Plan.objects.create(title="教育提质行动计划", issued_on=date(2026, 1, 1), status="active")
        plan2 = Plan.objects.create(title="学生体质提升方案", issued_on=date(2026, 2, 1), status="active")
        t = {
            "T1": Task.objects.create(plan=plan1, title="校舍改造", due_date=date(2026, 3, 31)),
            "T2": Task.objects.create(
                plan=plan1, title="课后服务", due_date=date(2026, 6, 30), reporting_cadence="monthly"
            ),
            "T3": Task.objects.create(plan=plan1, title="教师培训", due_date=date(2026, 5, 31)),
            "T4": Task.objects.create(plan=plan1, title="数字平台", due_date=date(2026, 12, 31)),
            "T5": Task.objects.create(plan=plan1, title="长效机制"),
            "T6": Task.objects.create(plan=plan2, title="体质监测", due_date=date(2026, 6, 10)),
        }
        services.task_assign(task=t["T1"], leads=[a], co=[b])
        services.task_assign(task=t["T2"], leads=[a, b])
        services.task_assign(task=t["T3"], leads=[b], co=[a])
        services.task_assign(task=t["T4"], leads=[c], co=[a])
        services.task_assign(task=t["T5"], leads=[c])
        services.task_assign(task=t["T6"], leads=[a])
        for position, (kind, start, end) in enumerate(
            [
                ("preparation", date(2026, 1, 1), date(2026, 3, 31)),
                ("operation", date(2026, 4, 1), date(2026, 10, 31)),
                ("evaluation", date(2026, 11, 1), date(2026, 12, 31)),
            ]
        ):
            Phase.objects.create(task=t["T4"], kind=kind, position=position, start_date=start, end_date=end)
        s = Scenario(a, b, c, plan1, plan2, t)
        services.assignment_set_progress(assignment=s.part("T3", a), progress=50)
        services.assignment_set_progress(assignment=s.part("T4", a), progress=10)
    with at(date(2026, 1, 20)):
        _report(s.part("T2", a), p.liaison_a, 10)
    with at(date(2026, 3, 1)):
        services.assignment_set_progress(assignment=s.part("T2", b), progress=90)
    with at(date(2026, 3, 2)):
        _report(s.part("T1", b), p.liaison_b, 80, approve_by=p.supervisor)
    with at(date(2026, 3, 3)):
        _report(s.part("T2", a), p.liaison_a, 20)
    with at(date(2026, 3, 20)):
        services.assignment_complete(assignment=s.part("T1", a), actor=p.supervisor)
    with at(date(2026, 3, 26), hour=0, minute=20):
        take_department_snapshots()
    with at(date(2026, 4, 10)):
        services.assignment_complete(assignment=s.part("T1", b), actor=p.supervisor)
    with at(date(2026, 4, 15)):
        _report(s.part("T2", a), p.liaison_a, 30, approve_by=p.supervisor)
    with at(date(2026, 5, 1)):
        t["T7"] = Task.objects.create(
            plan=plan1, title="信息公开", start_date=date(2026, 5, 1), due_date=date(2026, 9, 30)
        )
        services.task_assign(task=t["T7"], leads=[b])
        services.assignment_set_progress(assignment=s.part("T7", b), progress=20)
    with at(date(2026, 6, 1)):
        request = services.extension_request_create(
            assignment=s.part("T7", b), user=p.liaison_b, requested_due_date=date(2026, 10, 31), reason="资金未到位"
        )
    with at(date(2026, 6, 2)):
        services.extension_decide(request=request, decider=p.supervisor, approve=True)
    with at(date(2026, 6, 12)):
        services.assignment_complete(assignment=s.part("T6", a), actor=p.supervisor)
    return s


@pytest.fixture
def june15():
    with at(date(2026, 6, 15)):
        yield date(2026, 6, 15)
