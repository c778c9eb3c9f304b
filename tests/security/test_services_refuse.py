"""Services check who acts on their own, so a front door that forgets the check still cannot act.

Each service is called directly, past every page and endpoint, by someone org.access says may not:
it refuses with the code "forbidden" and a Chinese message, and nothing changes.
"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from core.errors import FORBIDDEN, DomainError, form_action
from notifications.chase import assignment_chase
from notifications.models import Chase
from org import access
from org import services as registry
from org.forms import AliasForm
from org.models import Department, DepartmentAlias, DepartmentGroup, Membership, User
from tasks import services
from tasks.models import ActivityLog, ExtensionRequest, ProgressReport

pytestmark = pytest.mark.django_db


def refused(call, message):
    logged = ActivityLog.objects.count()
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == FORBIDDEN and caught.value.forbidden
    assert caught.value.message_zh == message
    assert ActivityLog.objects.count() == logged


def test_progress_reports_are_submitted_for_ones_own_department_and_reviewed_by_supervisors(world, personas):
    before = ProgressReport.objects.count()
    for who in (personas.liaison_b, personas.viewer):
        refused(
            lambda who=who: services.progress_report_submit(assignment=world.part_a, author=who, text="x", percent=5),
            "只能为本单位报送进展。",
        )
    assert ProgressReport.objects.count() == before
    for who in (personas.liaison_a, personas.head_a, personas.viewer):
        refused(
            lambda who=who: services.progress_report_review(report=world.report_a, reviewer=who, approve=True),
            "只有督查员可以审核进展报告。",
        )
    assert ProgressReport.objects.get(pk=world.report_a.pk).review_state == ProgressReport.Review.PENDING


def test_only_the_departments_own_people_acknowledge(world, personas):
    for who in (personas.supervisor, personas.liaison_b, personas.viewer):
        refused(
            lambda who=who: services.assignment_acknowledge(assignment=world.part_a, user=who),
            "只有本单位人员可以签收。",
        )
    world.part_a.refresh_from_db()
    assert world.part_a.acknowledged_at is None


def test_extensions_are_requested_for_ones_own_department_and_decided_by_supervisors(world, personas):
    refused(
        lambda: services.extension_request_create(
            assignment=world.part_b, user=personas.liaison_a, requested_due_date=date(2026, 12, 31), reason="x"
        ),
        "只能为本单位申请延期。",
    )
    assert not world.part_b.extension_requests.exists()
    refused(
        lambda: services.extension_decide(request=world.extension_a, decider=personas.liaison_a, approve=True),
        "只有督查员可以审批延期申请。",
    )
    assert ExtensionRequest.objects.get(pk=world.extension_a.pk).decision == ExtensionRequest.Decision.PENDING


def test_only_supervisors_chase(world, personas):
    for who in (personas.liaison_a, personas.viewer):
        refused(lambda who=who: assignment_chase(assignment=world.part_a, by_user=who), "只有督查员可以催办。")
    assert not Chase.objects.exists()


def test_only_supervisors_keep_the_registry(personas):
    spare = Department.objects.create(name="市体育局")
    alias = DepartmentAlias.objects.create(department=spare, name="体育局")
    membership = Membership.objects.get(user=personas.liaison_a)
    message = registry.REGISTRY_REFUSAL
    for who in (personas.liaison_a, personas.head_a, personas.viewer):
        refused(lambda who=who: registry.department_create(actor=who, name="市卫健委"), message)
        refused(lambda who=who: registry.department_update(actor=who, department=spare, name="改名"), message)
        refused(lambda who=who: registry.department_alias_add(actor=who, department=spare, name="体育"), message)
        refused(lambda who=who: registry.department_alias_delete(actor=who, alias=alias), message)
        refused(
            lambda who=who: registry.membership_add(
                actor=who, department=spare, user=None, username="newbie", email="n@example.cn", role="head"
            ),
            message,
        )
        refused(lambda who=who: registry.membership_remove(actor=who, membership=membership), message)
        refused(
            lambda who=who: registry.user_email_set(actor=who, user=personas.liaison_b, email="x@example.cn"), message
        )
        refused(lambda who=who: registry.group_save(actor=who, name="各学校", members=[spare]), message)
    assert list(Department.objects.filter(name__in=["市卫健委", "改名"])) == []
    assert DepartmentAlias.objects.filter(department=spare).count() == 1
    assert not User.objects.filter(username="newbie").exists()
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.get(pk=personas.liaison_b.pk).email == "liaison_b@example.cn"
    assert not DepartmentGroup.objects.exists()


def test_a_forbidden_refusal_behind_a_page_form_is_a_403_not_a_form_error(personas):
    spare = Department.objects.create(name="市体育局")
    form = AliasForm({"name": "体育"}, department=spare)
    with pytest.raises(PermissionDenied, match="只有督查员可以维护单位名录。"):
        form_action(
            form, lambda data: registry.department_alias_add(actor=personas.liaison_a, department=spare, **data)
        )
    assert form.errors == {}


@pytest.mark.parametrize(
    ("who", "expected"),
    [("supervisor", True), ("superuser", True), ("viewer", False), ("liaison_a", False), ("anonymous", False)],
)
def test_one_supervisor_test_counts_superusers_in(personas, who, expected):
    from django.contrib.auth.models import AnonymousUser

    if who == "superuser":
        user = User.objects.create_superuser("root", "root@example.cn", "Duban-test-2026")
    elif who == "anonymous":
        user = AnonymousUser()
    else:
        user = getattr(personas, who)
    assert access.is_supervisor(user) is expected
    assert access.can_review(user) is expected and access.can_chase(user) is expected
    assert getattr(user, "is_supervisor", False) is expected  # the template's word is the same rule
