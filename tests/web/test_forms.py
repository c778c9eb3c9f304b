"""The page forms: each action is refused on the server to anyone not allowed, whatever the page showed."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from notifications.models import Chase, Notification
from tasks import services
from tasks.models import ExtensionRequest, ProgressReport
from tests.downloads import body
from tests.web.conftest import PDF

pytestmark = pytest.mark.django_db


def report_url(part):
    return reverse("tasks:report_submit", args=[part.pk])


def report_data(part, percent=60, text="完成了场地改造", files=()):
    prefix = f"report{part.pk}"
    return {f"{prefix}-percent": percent, f"{prefix}-text": text, f"{prefix}-files": list(files)}


def pdf(name="佐证.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# ---------------------------------------------------------------------------
# Progress reports


def test_liaison_reports_progress_with_evidence(signed_in, world, personas):
    client = signed_in("liaison_a")
    response = client.post(report_url(world.part_a), report_data(world.part_a, files=[pdf(), pdf("照片.pdf")]))
    assert response.status_code == 302 and response["Location"].endswith(f"#assignment-{world.part_a.pk}")
    report = ProgressReport.objects.get(assignment=world.part_a)
    assert report.percent == 60 and report.author == personas.liaison_a
    assert sorted(report.evidence.values_list("original_name", flat=True)) == ["佐证.pdf", "照片.pdf"]
    page = client.get(f"/tasks/{world.task_a.pk}/").content.decode()
    assert "进展已报送" in page and "佐证.pdf" in page
    evidence = report.evidence.first()
    assert client.get(reverse("tasks:evidence", args=[evidence.pk])).status_code == 200
    assert signed_in("liaison_b").get(reverse("tasks:evidence", args=[evidence.pk])).status_code == 404


@pytest.mark.parametrize("who,status", [("liaison_b", 404), ("viewer", 403)])
def test_others_cannot_report_for_a_department(signed_in, world, who, status):
    response = signed_in(who).post(report_url(world.part_a), report_data(world.part_a))
    assert response.status_code == status
    assert not ProgressReport.objects.exists()


def test_co_department_reports_its_own_part_only(signed_in, world):
    client = signed_in("liaison_b")
    assert client.post(report_url(world.part_a_co_b), report_data(world.part_a_co_b)).status_code == 302
    assert client.post(report_url(world.part_a), report_data(world.part_a)).status_code == 404


def test_report_errors_are_shown_beside_their_fields(signed_in, world):
    client = signed_in("liaison_a")
    response = client.post(report_url(world.part_a), report_data(world.part_a, percent=150, text=""))
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_report{world.part_a.pk}-percent_error_1"' in body
    assert 'aria-invalid="true"' in body
    fake = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(report_url(world.part_a), report_data(world.part_a, files=[fake]))
    assert response.status_code == 400 and "不是允许的类型" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_get_is_not_an_action(signed_in, world):
    assert signed_in("liaison_a").get(report_url(world.part_a)).status_code == 405


# ---------------------------------------------------------------------------
# Review


def _pending(world, personas, percent=100):
    return services.progress_report_submit(
        assignment=world.part_a, author=personas.liaison_a, text="完成", percent=percent
    )


def test_supervisor_approves_and_the_assignment_completes(signed_in, world, personas):
    report = _pending(world, personas)
    prefix = f"review{report.pk}"
    response = signed_in("supervisor").post(
        reverse("tasks:report_review", args=[report.pk]), {f"{prefix}-decision": "approve", f"{prefix}-comment": ""}
    )
    assert response.status_code == 302
    world.part_a.refresh_from_db()
    assert world.part_a.state == "completed" and world.part_a.progress == 100


def test_returning_a_report_needs_a_comment(signed_in, world, personas):
    report = _pending(world, personas)
    prefix = f"review{report.pk}"
    url = reverse("tasks:report_review", args=[report.pk])
    client = signed_in("supervisor")
    response = client.post(url, {f"{prefix}-decision": "return", f"{prefix}-comment": ""})
    assert response.status_code == 400 and "请填写意见" in response.content.decode()
    response = client.post(url, {f"{prefix}-decision": "return", f"{prefix}-comment": "请补充验收照片"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.review_state == "returned"
    home = signed_in("liaison_a").get("/").content.decode()
    assert "被退回待修改" in home and "扩大覆盖面" in home


@pytest.mark.parametrize("who,status", [("liaison_a", 403), ("head_a", 403), ("viewer", 403), ("liaison_b", 404)])
def test_only_supervisors_review(signed_in, world, personas, who, status):
    report = _pending(world, personas)
    prefix = f"review{report.pk}"
    response = signed_in(who).post(reverse("tasks:report_review", args=[report.pk]), {f"{prefix}-decision": "approve"})
    assert response.status_code == status
    report.refresh_from_db()
    assert report.review_state == "pending"


# ---------------------------------------------------------------------------
# Acknowledge, extensions, 催办


def test_acknowledge_is_for_the_department(signed_in, world, personas):
    url = reverse("tasks:acknowledge", args=[world.part_a.pk])
    assert signed_in("supervisor").post(url).status_code == 403
    assert signed_in("viewer").post(url).status_code == 403
    assert signed_in("liaison_b").post(url).status_code == 404
    assert signed_in("head_a").post(url).status_code == 302
    world.part_a.refresh_from_db()
    assert world.part_a.acknowledged_by == personas.head_a


def _extension_data(part, days=30, reason="场地改造推迟"):
    day = timezone.localdate() + timedelta(days=days)
    return {f"ext{part.pk}-requested_due_date": day.isoformat(), f"ext{part.pk}-reason": reason}


def test_extension_request_and_decision(signed_in, world):
    url = reverse("tasks:extension_request", args=[world.part_a.pk])
    assert signed_in("liaison_b").post(url, _extension_data(world.part_a)).status_code == 404
    assert signed_in("viewer").post(url, _extension_data(world.part_a)).status_code == 403
    response = signed_in("liaison_a").post(url, _extension_data(world.part_a, days=2))
    assert response.status_code == 400 and "须晚于当前时限" in response.content.decode()
    assert signed_in("liaison_a").post(url, _extension_data(world.part_a)).status_code == 302
    extension = ExtensionRequest.objects.get()
    decide = reverse("tasks:extension_decide", args=[extension.pk])
    prefix = f"decide{extension.pk}"
    assert signed_in("liaison_a").post(decide, {f"{prefix}-decision": "approve"}).status_code == 403
    response = signed_in("supervisor").post(decide, {f"{prefix}-decision": "reject", f"{prefix}-comment": ""})
    assert response.status_code == 400 and "不批准时请填写意见" in response.content.decode()
    assert signed_in("supervisor").post(decide, {f"{prefix}-decision": "approve"}).status_code == 302
    world.part_a.refresh_from_db()
    assert world.part_a.due_date == timezone.localdate() + timedelta(days=30)


def test_chase_is_for_supervisors(signed_in, world):
    url = reverse("notifications:chase", args=[world.part_a.pk])
    assert signed_in("liaison_a").post(url).status_code == 403
    assert signed_in("viewer").post(url).status_code == 403
    response = signed_in("supervisor").post(url, {"note": "请本周内报送"})
    assert response.status_code == 302
    chase = Chase.objects.get()
    assert chase.assignment == world.part_a
    assert Notification.objects.filter(chase=chase, kind="chase").exists()
    reminders = signed_in("liaison_a").get(reverse("notifications:task_log", args=[world.task_a.pk]))
    assert "请本周内报送" in reminders.content.decode()


# ---------------------------------------------------------------------------
# Notification log


def _notification(personas, state="failed", key="n1"):
    return Notification.objects.create(
        recipient=personas.liaison_a, address="liaison_a@example.cn", kind="digest", for_date=timezone.localdate(),
        subject="【提醒】3 项任务临近时限", dedup_key=key, state=state,
        last_error="SMTP 550 用户不存在" if state == "failed" else "",
        next_attempt_at=timezone.now(), sent_at=timezone.now() if state == "sent" else None, attempts=5,
    )  # fmt: skip


def test_notification_log_and_resend(signed_in, personas):
    failed = _notification(personas)
    sent = _notification(personas, state="sent", key="n2")
    assert signed_in("liaison_a").post(reverse("notifications:resend", args=[failed.pk])).status_code == 403
    client = signed_in("supervisor")  # the same test client, signed in again
    body = client.get("/notifications/", {"state": "failed"}).content.decode()
    assert "SMTP 550 用户不存在" in body and "重新发送" in body
    response = client.post(reverse("notifications:resend", args=[failed.pk]), {"next": "/notifications/?state=failed"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?state=failed"
    failed.refresh_from_db()
    assert failed.state == "pending" and failed.attempts == 0
    response = client.post(reverse("notifications:resend", args=[sent.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"
    sent.refresh_from_db()
    assert sent.state == "sent"


# ---------------------------------------------------------------------------
# Supervision report files


def test_report_downloads(signed_in, world, personas):
    from docx import Document
    from openpyxl import load_workbook

    personas.dept_b.name = '=HYPERLINK("http://x")'
    personas.dept_b.save()
    client = signed_in("supervisor")
    csv = client.get("/reports/supervision/", {"plan": world.plan.pk, "format": "csv"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in body(csv).decode("utf-8-sig")
    xlsx = client.get("/reports/supervision/", {"plan": world.plan.pk, "format": "xlsx"})
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    book = load_workbook(io.BytesIO(body(xlsx)))
    names = [row[1] for row in book["单位排名"].iter_rows(min_row=5, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in names and "市教育局" in names
    assert all(not str(cell).startswith("=") for row in book["逾期任务"].iter_rows(values_only=True) for cell in row)
    docx = client.get("/reports/supervision/", {"plan": world.plan.pk, "format": "docx"})
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "督查通报" in text and "单位排名" in text
    assert signed_in("liaison_a").get("/reports/supervision/", {"format": "csv"}).status_code == 403


def test_report_page_filters_by_department(signed_in, world, personas):
    body = (
        signed_in("supervisor")
        .get("/reports/supervision/", {"plan": world.plan.pk, "departments": [personas.dept_b.pk]})
        .content.decode()
    )
    assert "完善经费保障" in body  # dept_b's overdue task
    assert f'href="/departments/{personas.dept_a.pk}/"' not in body
