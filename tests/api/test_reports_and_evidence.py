from pathlib import Path

import pytest

from tasks.models import ActivityLog, Evidence, ProgressReport
from tests.api.conftest import JPG, PDF, PNG, ids, office, upload

pytestmark = pytest.mark.django_db


def submit(client, assignment, *files, percent=60):
    data = {"assignment": assignment.pk, "text": "完成招标", "percent": percent}
    if files:
        data["files"] = list(files)
    return client.post("/api/v1/progress-reports/", data, format="multipart")


@pytest.mark.parametrize("who", ["liaison_a", "head_a", "supervisor"])
def test_own_department_or_supervisor_submits_a_report_with_evidence(world, api, settings, who):
    response = submit(
        api(who),
        world.part_a,
        upload("方案.pdf", PDF),
        upload("名单.docx", office("word/document.xml")),
        upload("台账.xlsx", office("xl/workbook.xml")),
        upload("照片.png", PNG),
        upload("照片2.JPG", JPG),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["review_state"], body["percent"], body["department"]) == ("pending", 60, world.part_a.department_id)
    kinds = {e["original_name"]: e["content_type"] for e in body["evidence"]}
    assert kinds == {
        "方案.pdf": "application/pdf",
        "名单.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "台账.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "照片.png": "image/png",
        "照片2.JPG": "image/jpeg",
    }
    for evidence in Evidence.objects.filter(report_id=body["id"]):
        stored = Path(evidence.file.path)
        # under MEDIA_ROOT, with a random name whose suffix follows the bytes, not the upload's name
        assert stored.is_relative_to(settings.MEDIA_ROOT) and stored.exists()
        assert evidence.original_name not in stored.name
    assert ActivityLog.objects.filter(verb="progress_report_submit", object_id=body["id"]).exists()


def test_liaison_cannot_report_for_another_departments_part(world, api):
    response = submit(api("liaison_a"), world.part_b)
    assert response.status_code == 400 and "assignment" in response.json()
    assert ProgressReport.objects.filter(assignment=world.part_b).count() == 1


def test_viewer_cannot_report(world, api):
    assert submit(api("viewer"), world.part_a).status_code == 403


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("病毒.pdf", b"MZ\x90\x00 not a pdf at all"),
        ("压缩包.docx", office("other/thing.xml")),
        ("坏的.xlsx", b"PK\x03\x04broken zip"),
        ("网页.png", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_files_are_judged_by_their_bytes(world, api, name, content):
    response = submit(api("liaison_a"), world.part_a, upload(name, content, "application/pdf"))
    assert response.status_code == 400
    assert "不是允许的类型" in str(response.json())
    assert ProgressReport.objects.filter(assignment=world.part_a).count() == 1


def test_files_over_the_size_limit_are_refused(world, api, settings):
    settings.EVIDENCE_MAX_BYTES = 20
    response = submit(api("liaison_a"), world.part_a, upload("大.pdf", PDF))
    assert response.status_code == 400 and "上限" in str(response.json())


def test_percent_outside_0_to_100_is_refused(world, api):
    assert submit(api("liaison_a"), world.part_a, percent=120).status_code == 400


@pytest.mark.parametrize(
    ("who", "reports"),
    [("supervisor", "ab"), ("viewer", "ab"), ("liaison_a", "a"), ("head_a", "a"), ("liaison_b", "b")],
)
def test_report_list_shows_each_role_its_departments_reports(world, api, who, reports):
    assert ids(api(who).get("/api/v1/progress-reports/")) == {getattr(world, f"report_{r}").pk for r in reports}


def test_another_departments_report_is_not_found(world, api):
    assert api("liaison_a").get(f"/api/v1/progress-reports/{world.report_b.pk}/").status_code == 404


def test_reports_filter_by_department_and_state(world, api, personas):
    client = api("supervisor")
    assert ids(client.get("/api/v1/progress-reports/", {"department": personas.dept_b.pk})) == {world.report_b.pk}
    assert ids(client.get("/api/v1/progress-reports/", {"review_state": "approved"})) == set()


# --- review


def test_approving_a_report_moves_the_assignments_progress(world, api, personas):
    response = api("supervisor").post(f"/api/v1/progress-reports/{world.report_a.pk}/review/", {"decision": "approve"})
    assert response.status_code == 200 and response.json()["review_state"] == "approved"
    world.part_a.refresh_from_db()
    assert (world.part_a.state, world.part_a.progress) == ("in_progress", 40)
    assert ActivityLog.objects.get(verb="progress_report_approve").actor == personas.supervisor
    again = api("supervisor").post(f"/api/v1/progress-reports/{world.report_a.pk}/review/", {"decision": "approve"})
    assert again.status_code == 400


def test_approving_a_full_report_completes_the_part_on_the_day_it_was_filed(world, api):
    report = submit(api("liaison_a"), world.part_a, percent=100).json()
    api("supervisor").post(f"/api/v1/progress-reports/{report['id']}/review/", {"decision": "approve"})
    world.part_a.refresh_from_db()
    assert (world.part_a.state, str(world.part_a.completed_on)) == ("completed", "2026-06-15")


def test_returning_a_report_needs_a_comment_and_leaves_progress(world, api):
    client = api("supervisor")
    url = f"/api/v1/progress-reports/{world.report_b.pk}/review/"
    assert client.post(url, {"decision": "return"}).status_code == 400
    response = client.post(url, {"decision": "return", "comment": "请补充佐证材料"})
    assert (response.json()["review_state"], response.json()["review_comment"]) == ("returned", "请补充佐证材料")
    world.part_b.refresh_from_db()
    assert world.part_b.progress == 0


@pytest.mark.parametrize(
    ("who", "report", "code"),
    [("liaison_a", "a", 403), ("head_a", "a", 403), ("viewer", "a", 403), ("liaison_b", "a", 404)],
)
def test_only_supervisors_review(world, api, who, report, code):
    target = getattr(world, f"report_{report}")
    assert api(who).post(f"/api/v1/progress-reports/{target.pk}/review/", {"decision": "approve"}).status_code == code
    target.refresh_from_db()
    assert target.review_state == "pending"


# --- evidence


@pytest.mark.parametrize(
    ("who", "reports"), [("supervisor", "ab"), ("viewer", "ab"), ("liaison_a", "a"), ("liaison_b", "b")]
)
def test_evidence_list_follows_the_reports(world, api, who, reports):
    expected = {e.pk for r in reports for e in getattr(world, f"report_{r}").evidence.all()}
    assert ids(api(who).get("/api/v1/evidence/")) == expected


@pytest.mark.parametrize(
    ("who", "code"),
    [("liaison_a", 200), ("head_a", 200), ("supervisor", 200), ("viewer", 200), ("liaison_b", 404), (None, 403)],
)
def test_evidence_downloads_only_through_the_authorized_endpoint(world, api, who, code):
    evidence = world.report_a.evidence.get()
    response = api(who).get(f"/api/v1/evidence/{evidence.pk}/download/")
    assert response.status_code in ((401, 403) if code == 403 else (code,))
    if code == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
        assert "private" in response["Cache-Control"]


def test_evidence_has_no_public_path(world, api):
    evidence = world.report_a.evidence.get()
    assert api("supervisor").get(f"/media/{evidence.file.name}").status_code == 404
    assert api("supervisor").get(f"/{evidence.file.name}").status_code == 404
    listed = api("liaison_a").get(f"/api/v1/evidence/{evidence.pk}/").json()
    assert listed["download_url"] == f"/api/v1/evidence/{evidence.pk}/download/"
