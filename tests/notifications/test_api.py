from datetime import date

import pytest
from rest_framework.test import APIClient

from notifications.delivery import notification_deliver
from notifications.models import Chase, Notification
from tests.notifications.conftest import lead_of, make_task, sweep_on

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def task(personas):
    return make_task(personas, title="完成校舍安全排查", due=date(2026, 10, 12))


def test_supervisor_chases_a_department_through_the_outbox_and_each_chase_is_counted(personas, task):
    url = f"/api/v1/assignments/{lead_of(task).pk}/chase/"
    first = client_for(personas.supervisor).post(url, {"note": "请于本周五前报送整改情况"}, format="json")
    second = client_for(personas.supervisor).post(url, {}, format="json")
    assert (first.status_code, second.status_code) == (201, 201)
    assert (first.json()["chase_count"], second.json()["chase_count"]) == (1, 2)
    chase = Chase.objects.get(pk=first.json()["id"])
    assert (chase.by_user, chase.note) == (personas.supervisor, "请于本周五前报送整改情况")
    [notification] = chase.notifications.all()
    assert (notification.recipient, notification.kind, notification.state) == (personas.liaison_a, "chase", "pending")
    assert notification.subject.startswith("【催办】完成校舍安全排查(第 1 次催办")
    assert notification.items[0]["task_title"] == "完成校舍安全排查"


def test_chase_mail_carries_the_note(personas, task, smtp_settings):
    client_for(personas.supervisor).post(
        f"/api/v1/assignments/{lead_of(task).pk}/chase/", {"note": "请尽快整改"}, format="json"
    )
    notification_deliver(notification_id=Notification.objects.get().pk)
    [mail] = smtp_settings.messages
    assert "催办说明:请尽快整改" in mail.get_body(("plain",)).get_content()


@pytest.mark.parametrize("who", ["liaison_a", "head_a", "viewer"])
def test_only_supervisors_may_chase(personas, task, who):
    response = client_for(getattr(personas, who)).post(f"/api/v1/assignments/{lead_of(task).pk}/chase/")
    assert response.status_code == 403
    assert not Chase.objects.exists()


def test_chasing_an_unknown_assignment_is_404(personas):
    assert client_for(personas.supervisor).post("/api/v1/assignments/999999/chase/").status_code == 404


def test_outbox_list_filters_by_state_kind_and_recipient(personas, task):
    make_task(personas, title="经费保障", due=date(2026, 10, 12), leads=[personas.dept_b])
    sweep_on(date(2026, 10, 12))
    client_for(personas.supervisor).post(f"/api/v1/assignments/{lead_of(task).pk}/chase/")
    Notification.objects.filter(recipient=personas.liaison_b).update(state="failed", last_error="SMTPDataError: 451")
    client = client_for(personas.supervisor)

    def listed(**params):
        rows = client.get("/api/v1/notifications/", params).json()["results"]
        return [(n["recipient"], n["kind"], n["state"]) for n in rows]

    assert sorted(listed()) == sorted(
        [
            (personas.liaison_a.pk, "digest", "pending"),
            (personas.liaison_b.pk, "digest", "failed"),
            (personas.liaison_a.pk, "chase", "pending"),
        ]
    )
    assert listed(state="failed") == [(personas.liaison_b.pk, "digest", "failed")]
    assert listed(kind="chase") == [(personas.liaison_a.pk, "chase", "pending")]
    assert sorted(listed(recipient=personas.liaison_a.pk)) == [
        (personas.liaison_a.pk, "chase", "pending"),
        (personas.liaison_a.pk, "digest", "pending"),
    ]
    failed = client.get("/api/v1/notifications/", {"state": "failed"}).json()["results"][0]
    assert (failed["state_label"], failed["last_error"]) == ("发送失败", "SMTPDataError: 451")


def test_outbox_is_for_supervisors_only(personas):
    assert client_for(personas.liaison_a).get("/api/v1/notifications/").status_code == 403
    assert APIClient().get("/api/v1/notifications/").status_code in (401, 403)


def test_resend_puts_a_failed_row_back_in_the_queue_and_refuses_a_sent_one(personas, task):
    sweep_on(date(2026, 10, 12))
    row = Notification.objects.get()
    Notification.objects.filter(pk=row.pk).update(state="failed", attempts=5, last_error="timeout")
    client = client_for(personas.supervisor)
    response = client.post(f"/api/v1/notifications/{row.pk}/resend/")
    assert response.status_code == 202
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("pending", 0)
    assert client.post(f"/api/v1/notifications/{row.pk}/resend/").status_code == 409
    assert client_for(personas.liaison_a).post(f"/api/v1/notifications/{row.pk}/resend/").status_code == 403
