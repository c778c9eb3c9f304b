import pytest

from tasks.models import ActivityLog, ExtensionRequest
from tests.api.conftest import ids

pytestmark = pytest.mark.django_db


def ask(client, assignment, due="2026-09-30", reason="设备采购延迟"):
    return client.post(
        "/api/v1/extension-requests/", {"assignment": assignment.pk, "requested_due_date": due, "reason": reason}
    )


@pytest.mark.parametrize("who", ["liaison_b", "supervisor"])
def test_own_department_or_supervisor_requests_an_extension(world, api, who):
    response = ask(api(who), world.part_b)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["decision"], body["previous_due_date"], body["requested_due_date"]) == (
        "pending",
        "2026-05-31",
        "2026-09-30",
    )


def test_extension_must_move_the_due_date_later_and_only_one_may_wait(world, api):
    client = api("liaison_b")
    assert ask(client, world.part_b, due="2026-05-01").status_code == 400
    assert ask(client, world.part_b, reason=" ").status_code == 400
    waiting = ask(client, world.part_c, due="2027-06-30")  # one is already pending
    assert waiting.status_code == 400 and "待审批" in str(waiting.json())


def test_liaison_cannot_request_for_another_department(world, api):
    response = ask(api("liaison_a"), world.part_b)
    assert response.status_code == 400 and "assignment" in response.json()


def test_viewer_cannot_request(world, api):
    assert ask(api("viewer"), world.part_a).status_code == 403


@pytest.mark.parametrize(
    ("who", "requests"),
    [("supervisor", "ab"), ("viewer", "ab"), ("liaison_a", "a"), ("head_a", "a"), ("liaison_b", "b")],
)
def test_extension_list_shows_each_role_its_departments_requests(world, api, who, requests):
    assert ids(api(who).get("/api/v1/extension-requests/")) == {getattr(world, f"extension_{r}").pk for r in requests}


def test_another_departments_request_is_not_found(world, api):
    assert api("liaison_a").get(f"/api/v1/extension-requests/{world.extension_b.pk}/").status_code == 404


def test_approval_moves_the_due_date_and_keeps_the_old_one(world, api, personas):
    response = api("supervisor").post(
        f"/api/v1/extension-requests/{world.extension_a.pk}/decide/", {"decision": "approve", "comment": "同意"}
    )
    assert response.status_code == 200
    assert (response.json()["decision"], response.json()["previous_due_date"]) == ("approved", "2026-06-30")
    world.part_a.refresh_from_db()
    assert str(world.part_a.due_date) == "2026-08-31"
    part = api("liaison_a").get(f"/api/v1/assignments/{world.part_a.pk}/").json()
    assert part["effective_due"] == "2026-08-31"
    log = ActivityLog.objects.get(verb="assignment_extend")
    assert (log.actor, log.before["due_date"], log.after["due_date"]) == (personas.supervisor, None, "2026-08-31")
    again = api("supervisor").post(f"/api/v1/extension-requests/{world.extension_a.pk}/decide/", {"decision": "reject"})
    assert again.status_code == 400


def test_rejection_needs_a_comment_and_keeps_the_due_date(world, api):
    url = f"/api/v1/extension-requests/{world.extension_b.pk}/decide/"
    assert api("supervisor").post(url, {"decision": "reject"}).status_code == 400
    assert api("supervisor").post(url, {"decision": "reject", "comment": "理由不充分"}).json()["decision"] == "rejected"
    world.part_c.refresh_from_db()
    assert world.part_c.due_date is None


@pytest.mark.parametrize(
    ("who", "request_", "code"),
    [("liaison_a", "a", 403), ("head_a", "a", 403), ("viewer", "a", 403), ("liaison_b", "a", 404)],
)
def test_only_supervisors_decide(world, api, who, request_, code):
    target = getattr(world, f"extension_{request_}")
    response = api(who).post(f"/api/v1/extension-requests/{target.pk}/decide/", {"decision": "approve"})
    assert response.status_code == code
    assert ExtensionRequest.objects.get(pk=target.pk).decision == "pending"


def test_extensions_filter_by_decision_and_department(world, api, personas):
    client = api("supervisor")
    assert ids(client.get("/api/v1/extension-requests/", {"department": personas.dept_a.pk})) == {world.extension_a.pk}
    assert ids(client.get("/api/v1/extension-requests/", {"decision": "approved"})) == set()
