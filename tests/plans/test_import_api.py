import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from plans.models import Plan, PlanImport

pytestmark = pytest.mark.django_db


def _client(user=None):
    client = APIClient()
    if user:
        client.force_authenticate(user)
    return client


def _upload(client, data: bytes, name="plan.txt"):
    return client.post("/api/v1/imports/", {"file": SimpleUploadedFile(name, data)}, format="multipart")


def test_supervisor_uploads_previews_corrects_and_confirms(directory, personas, demo_plan_bytes):
    client = _client(personas.supervisor)
    response = _upload(client, demo_plan_bytes)
    assert response.status_code == 202, response.content  # parsed by a job (here in the test's process)
    body = response.json()
    assert (body["job"]["kind"], body["job"]["state"], body["job"]["progress"]) == ("parse", "done", 100)
    assert body["missing"] == []
    plan = body["result"]["plans"][0]
    assert plan["doc_number"] == "示教发〔2026〕12号"
    assert {"label", "path", "lead", "co", "due", "phases", "span", "is_task"} <= set(plan["clauses"][0])
    assert Plan.objects.count() == 0

    index = next(c["id"] for c in plan["clauses"] if c["path"] == "二、/(二)")
    assert plan["id"] == 0
    response = client.patch(
        f"/api/v1/imports/{body['id']}/",
        {"corrections": [{"plan": 0, "clause": index, "due": "2026-10-31"}]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["result"]["plans"][0]["clauses"][index]["due"] == "2026-10-31"

    response = client.post(f"/api/v1/imports/{body['id']}/confirm/")
    assert response.status_code == 202
    assert response.json()["job"]["state"] == "done" and response.json()["state"] == "confirmed"
    (plan_id,) = response.json()["plans"]
    assert Plan.objects.get(pk=plan_id).tasks.get(clause__path="二、/(二)").due_date.isoformat() == "2026-10-31"

    # confirming again, or importing the same text again, makes no twin
    assert client.post(f"/api/v1/imports/{body['id']}/confirm/").status_code == 409
    again = client.post("/api/v1/imports/", {"text": demo_plan_bytes.decode()}, format="json")
    assert again.status_code == 202
    assert again.json()["result"]["plans"][0]["existing_plan_id"] == plan_id
    conflict = client.post(f"/api/v1/imports/{again.json()['id']}/confirm/")
    assert conflict.status_code == 409
    assert conflict.json()["plan"] == plan_id
    assert Plan.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ({"file": SimpleUploadedFile("empty.txt", b"")}, "文件"),
        ({"file": SimpleUploadedFile("x.exe", b"MZ\x90\x00" + bytes(range(256)) * 20)}, ""),
        ({}, "二者选一"),
    ],
)
def test_bad_uploads_are_refused_in_chinese(directory, personas, payload, fragment):
    response = _client(personas.supervisor).post("/api/v1/imports/", payload, format="multipart")
    assert response.status_code == 400
    text = response.content.decode()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert fragment in text
    assert PlanImport.objects.count() == 0


def test_bad_correction_is_refused_and_changes_nothing(directory, personas, demo_plan_bytes):
    client = _client(personas.supervisor)
    created = _upload(client, demo_plan_bytes).json()
    response = client.patch(
        f"/api/v1/imports/{created['id']}/", {"corrections": [{"plan": 0, "clause": 0, "due": "明年"}]}, format="json"
    )
    assert response.status_code == 400
    assert "不是有效日期" in response.json()["detail"]
    assert PlanImport.objects.get(pk=created["id"]).result == created["result"]


@pytest.mark.parametrize("who", ["liaison_a", "head_a", "viewer", None])
def test_only_supervisors_import(directory, personas, demo_plan_bytes, who):
    supervisor_import = _upload(_client(personas.supervisor), demo_plan_bytes).json()
    client = _client(getattr(personas, who) if who else None)
    expected = 403 if who else 401
    assert _upload(client, demo_plan_bytes).status_code in (expected, 403)
    assert client.get("/api/v1/imports/").status_code in (expected, 403)
    assert client.get(f"/api/v1/imports/{supervisor_import['id']}/").status_code in (expected, 403)
    assert client.post(f"/api/v1/imports/{supervisor_import['id']}/confirm/").status_code in (expected, 403)
    assert Plan.objects.count() == 0
