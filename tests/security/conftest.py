"""The API tests' world (two departments' plans, tasks, reports, evidence, extensions) plus
the objects the remaining routes need: a phase, a failed notification, a plan import, a
registry entry of each kind. Every object named `*_a` belongs to department A only."""

from dataclasses import dataclass
from datetime import date

import pytest

from notifications.models import Notification
from org.models import Department, DepartmentAlias, DepartmentGroup, Membership
from plans.models import PlanImport
from tasks.models import Evidence, Phase
from tests.api.conftest import api, fast_passwords, ids, private_media, today, world  # noqa: F401  (fixtures)
from tests.plans.conftest import DEMO_PLAN, directory  # noqa: F401  (fixture)


@dataclass
class Extra:
    phase_a: Phase
    evidence_a: Evidence
    evidence_b: Evidence
    notification_a: Notification
    plan_import: PlanImport
    spare_department: Department
    alias: DepartmentAlias
    group: DepartmentGroup
    membership_a: Membership


@pytest.fixture
def extra(world, personas):  # noqa: F811
    from plans.services import plan_import_preview

    group = DepartmentGroup.objects.create(name="各县区政府")
    group.members.add(personas.dept_a)
    spare = Department.objects.create(name="市体育局", kind=Department.Kind.BUREAU)
    return Extra(
        phase_a=world.task_a.phases.get(),
        evidence_a=world.report_a.evidence.get(),
        evidence_b=world.report_b.evidence.get(),
        notification_a=Notification.objects.create(
            recipient=personas.liaison_a,
            address=personas.liaison_a.email,
            kind=Notification.Kind.CHASE,
            for_date=date(2026, 6, 15),
            subject="【催办】校舍改造",
            dedup_key="security-test-a",
            state=Notification.State.FAILED,
            attempts=5,
            next_attempt_at="2026-06-15T09:00:00+08:00",
        ),
        plan_import=plan_import_preview(
            data=DEMO_PLAN.read_text(encoding="utf-8"), filename="", user=personas.supervisor
        ),
        spare_department=spare,
        alias=DepartmentAlias.objects.create(department=spare, name="体育局"),
        group=group,
        membership_a=Membership.objects.get(user=personas.liaison_a),
    )


@pytest.fixture
def more(extra, world, personas, today):  # noqa: F811
    """Objects only department A has: a plan, and an assignment free of pending requests."""
    from plans.models import Plan
    from tasks import services
    from tasks.models import ActivityLog, Task

    plan = Plan.objects.create(title="体育场馆开放方案")
    task_d = Task.objects.create(plan=plan, title="场馆开放", due_date=date(2026, 12, 31))
    (extra.part_d,) = services.task_assign(task=task_d, leads=[personas.dept_a])
    extra.plan_a_only = plan
    extra.activity_a = ActivityLog.objects.filter(object_id=world.report_a.pk, verb="progress_report_submit").get()
    return extra
