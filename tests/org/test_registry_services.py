"""The registry pages change departments, aliases, members and groups through org.services: every change
is in the change record with its author and values, and the services refuse on their own."""

import pytest
from django.urls import reverse

from core.errors import DomainError
from org import services
from org.models import Department, DepartmentAlias, DepartmentGroup, Membership, User
from tasks.models import ActivityLog

pytestmark = pytest.mark.django_db


def record(**match) -> list[tuple]:
    lines = ActivityLog.objects.filter(**match).order_by("id")
    return [(line.actor.username if line.actor else None, line.verb, line.before, line.after) for line in lines]


@pytest.fixture
def supervisor(client, personas):
    client.force_login(personas.supervisor)
    return client


DEPARTMENT = {"dept-short_name": "", "dept-kind": "bureau", "dept-is_active": "on"}


def test_a_department_renamed_on_its_page_is_recorded_with_both_names(supervisor, personas):
    url = reverse("org:registry_department", args=[personas.dept_a.pk])
    response = supervisor.post(url, {**DEPARTMENT, "dept-name": "市教育体育局"})
    assert response.status_code == 302
    personas.dept_a.refresh_from_db()
    assert personas.dept_a.name == "市教育体育局"
    assert record(verb="department_update") == [
        ("supervisor", "department_update", {"name": "市教育局"}, {"name": "市教育体育局"})
    ]
    assert ActivityLog.objects.get(verb="department_update").object_id == personas.dept_a.pk


def test_saving_a_department_unchanged_records_nothing(supervisor, personas):
    url = reverse("org:registry_department", args=[personas.dept_a.pk])
    assert supervisor.post(url, {**DEPARTMENT, "dept-name": "市教育局"}).status_code == 302
    assert record() == []


def test_new_departments_aliases_and_groups_are_recorded(supervisor, personas):
    response = supervisor.post(reverse("org:department_create"), {"new-name": "市卫健委", "new-kind": "bureau"})
    assert response.status_code == 302
    made = Department.objects.get(name="市卫健委")
    assert record(verb="department_create")[0][3] == {
        "name": "市卫健委", "short_name": "", "kind": "bureau", "parent": None,
        "is_active": False, "needs_review": False,
    }  # fmt: skip
    supervisor.post(reverse("org:alias_add", args=[made.pk]), {"alias-name": "卫健委"})
    alias = DepartmentAlias.objects.get(name="卫健委")
    supervisor.post(reverse("org:alias_delete", args=[alias.pk]))
    assert not DepartmentAlias.objects.exists()
    assert record(verb__startswith="department_alias") == [
        ("supervisor", "department_alias_add", {}, {"department": made.pk, "name": "卫健委"}),
        ("supervisor", "department_alias_delete", {"department": made.pk, "name": "卫健委"}, {}),
    ]
    members = [personas.dept_a.pk, personas.dept_b.pk]
    supervisor.post(reverse("org:group_create"), {"group-name": "两局", "group-members": members})
    group = DepartmentGroup.objects.get(name="两局")
    fewer = {"group-name": "两局", "group-members": members[:1]}
    supervisor.post(reverse("org:registry_group", args=[group.pk]), fewer)
    supervisor.post(reverse("org:group_alias_add", args=[group.pk]), {"galias-name": "教育财政两局"})
    both, one = {"name": "两局", "members": sorted(members)}, {"name": "两局", "members": members[:1]}
    assert record(verb__startswith="group") == [
        ("supervisor", "group_create", {}, both),
        ("supervisor", "group_update", both, one),
        ("supervisor", "group_alias_add", {}, {"group": group.pk, "name": "教育财政两局"}),
    ]  # fmt: skip


def test_members_added_removed_and_readdressed_are_recorded(
    supervisor, personas, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("org:member_add", args=[personas.dept_b.pk])
    new = {"member-username": "lisi", "member-email": "lisi@example.cn", "member-role": "head"}
    with django_capture_on_commit_callbacks(execute=True):
        assert supervisor.post(url, new).status_code == 302
    lisi = User.objects.get(username="lisi")
    membership = Membership.objects.get(user=lisi)
    assert [m.to for m in mailoutbox] == [["lisi@example.cn"]]  # the invitation, once the change is saved
    email_url = reverse("org:member_email", args=[membership.pk])
    supervisor.post(email_url, {f"email{membership.pk}-email": "li.si@example.cn"})
    supervisor.post(reverse("org:member_remove", args=[membership.pk]))
    values = {"user": lisi.pk, "department": personas.dept_b.pk, "role": "head"}
    assert record() == [
        ("supervisor", "membership_add", {}, values),
        ("supervisor", "user_email_set", {"email": "lisi@example.cn"}, {"email": "li.si@example.cn"}),
        ("supervisor", "membership_remove", values, {}),
    ]


def test_a_name_already_in_the_registry_is_refused_by_the_service_itself(personas):
    with pytest.raises(DomainError) as refusal:
        services.department_alias_add(actor=personas.supervisor, department=personas.dept_b, name="市教育局")
    assert refusal.value.code == "name_taken"
    with pytest.raises(DomainError) as refusal:
        services.department_update(actor=personas.supervisor, department=personas.dept_b, name=" 市教育局")
    assert refusal.value.code == "name_taken"
    assert not DepartmentAlias.objects.exists() and record() == []


@pytest.mark.parametrize("who", ["liaison_a", "head_a", "viewer"])
def test_only_a_supervisor_may_change_the_registry(personas, who):
    actor = getattr(personas, who)
    with pytest.raises(DomainError) as refusal:
        services.department_update(actor=actor, department=personas.dept_a, name="改名")
    assert refusal.value.code == "forbidden"
    with pytest.raises(DomainError):
        services.membership_add(actor=actor, department=personas.dept_a, user=actor, role="head")
    personas.dept_a.refresh_from_db()
    assert personas.dept_a.name == "市教育局" and record() == []
    assert Membership.objects.count() == 3  # the personas' own
