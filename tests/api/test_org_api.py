import pytest

from org.models import Department, DepartmentGroup
from tests.api.conftest import ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(personas):
    group = DepartmentGroup.objects.create(name="市直部门")
    group.members.set([personas.dept_a, personas.dept_b])
    return group


@pytest.mark.parametrize("who", ["supervisor", "viewer", "liaison_a", "head_a", "liaison_b"])
def test_every_signed_in_user_reads_the_directory(api, personas, group, who):
    client = api(who)
    assert ids(client.get("/api/v1/departments/")) == {personas.dept_a.pk, personas.dept_b.pk}
    # co-responsible units must know each other: another department's entry is readable, not hidden
    assert client.get(f"/api/v1/departments/{personas.dept_b.pk}/").json()["name"] == "市财政局"
    assert client.get(f"/api/v1/department-groups/{group.pk}/").json()["members"] == [
        personas.dept_a.pk,
        personas.dept_b.pk,
    ]


def test_anonymous_reads_no_directory(api, personas):
    assert api(None).get("/api/v1/departments/").status_code in (401, 403)


@pytest.mark.parametrize("who", ["viewer", "liaison_a", "head_a"])
def test_only_supervisors_change_the_directory(api, personas, group, who):
    client = api(who)
    assert client.post("/api/v1/departments/", {"name": "市卫健委"}).status_code == 403
    assert client.patch(f"/api/v1/departments/{personas.dept_a.pk}/", {"short_name": "教育局"}).status_code == 403
    assert client.patch(f"/api/v1/departments/{personas.dept_b.pk}/", {"short_name": "财政局"}).status_code == 403
    assert client.post("/api/v1/department-groups/", {"name": "各县区政府"}).status_code == 403
    assert client.delete(f"/api/v1/department-groups/{group.pk}/").status_code == 403
    assert not Department.objects.filter(name="市卫健委").exists()


def test_supervisor_keeps_the_directory(api, personas):
    client = api("supervisor")
    made = client.post("/api/v1/departments/", {"name": "市卫健委", "kind": "bureau"})
    assert made.status_code == 201
    group = client.post(
        "/api/v1/department-groups/", {"name": "各县区政府", "members": [made.json()["id"], personas.dept_a.pk]}
    )
    assert group.status_code == 201
    assert client.patch(f"/api/v1/departments/{personas.dept_a.pk}/", {"short_name": "教育局"}).status_code == 200


def test_directory_filters(api, personas, group):
    client = api("liaison_a")
    assert ids(client.get("/api/v1/departments/", {"q": "财政"})) == {personas.dept_b.pk}
    assert ids(client.get("/api/v1/department-groups/", {"member": personas.dept_a.pk})) == {group.pk}
