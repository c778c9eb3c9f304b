"""Two plans, three tasks and each department's objects, seen on 2026-06-15.

plan_a: task_a (lead dept_a, due 06-30, phase operation), task_b (lead dept_b, due 05-31: overdue)
plan_b: task_c (lead dept_b, due 2026-12-31)
Each department has a pending progress report with one PDF, and a pending extension request.
"""

import io
import zipfile
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from plans.models import Clause, Plan
from tasks import services
from tasks.models import Assignment, ExtensionRequest, Phase, ProgressReport, Task
from tests.status.conftest import at

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<x/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@dataclass
class World:
    plan_a: Plan
    plan_b: Plan
    clause_a: Clause
    clause_b: Clause
    task_a: Task
    task_b: Task
    task_c: Task
    part_a: Assignment  # dept_a on task_a
    part_b: Assignment  # dept_b on task_b
    part_c: Assignment  # dept_b on task_c
    report_a: ProgressReport
    report_b: ProgressReport
    extension_a: ExtensionRequest
    extension_b: ExtensionRequest


@pytest.fixture
def world(personas):
    p = personas
    with at(date(2026, 1, 5)):
        plan_a = Plan.objects.create(title="教育提质行动计划", doc_number="宁教〔2026〕1号", issued_on=date(2026, 1, 1))
        plan_b = Plan.objects.create(title="财政保障方案", issued_on=date(2026, 1, 1))
        clause_a = Clause.objects.create(plan=plan_a, position=1, label="一、", heading="校舍改造")
        clause_b = Clause.objects.create(plan=plan_b, position=1, label="一、", heading="经费保障")
        task_a = Task.objects.create(plan=plan_a, clause=clause_a, title="校舍改造", due_date=date(2026, 6, 30))
        task_b = Task.objects.create(plan=plan_a, title="教师培训", due_date=date(2026, 5, 31))
        task_c = Task.objects.create(plan=plan_b, clause=clause_b, title="经费拨付", due_date=date(2026, 12, 31))
        Phase.objects.create(task=task_a, kind="operation", name="操作运行阶段", start_date=date(2026, 3, 1))
        (part_a,) = services.task_assign(task=task_a, leads=[p.dept_a])
        (part_b,) = services.task_assign(task=task_b, leads=[p.dept_b])
        (part_c,) = services.task_assign(task=task_c, leads=[p.dept_b])
    with at(date(2026, 6, 1)):
        report_a = services.progress_report_submit(
            assignment=part_a, author=p.liaison_a, text="已完成设计", percent=40, files=[upload("设计.pdf", PDF)]
        )
        report_b = services.progress_report_submit(
            assignment=part_b, author=p.liaison_b, text="已制定方案", percent=30, files=[upload("方案.pdf", PDF)]
        )
        extension_a = services.extension_request_create(
            assignment=part_a, user=p.liaison_a, requested_due_date=date(2026, 8, 31), reason="施工受雨季影响"
        )
        extension_b = services.extension_request_create(
            assignment=part_c, user=p.liaison_b, requested_due_date=date(2027, 3, 31), reason="预算调整"
        )
    return World(
        plan_a, plan_b, clause_a, clause_b, task_a, task_b, task_c, part_a, part_b, part_c,
        report_a, report_b, extension_a, extension_b,
    )  # fmt: skip


@pytest.fixture
def today():
    with at(date(2026, 6, 15)):
        yield date(2026, 6, 15)


@pytest.fixture
def api(personas, today):
    """api("liaison_a") is a client signed in as that persona; api(None) is anonymous."""

    def client(who):
        c = APIClient()
        if who is not None:
            c.force_authenticate(getattr(personas, who))
        return c

    return client


def ids(response):
    body = response.json()
    return {row["id"] for row in body["results"]}
