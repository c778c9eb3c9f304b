"""Hostile uploads: zip bombs, renamed files, and where stored files can (not) be fetched from."""

import io
import os
import time
import tracemalloc
import zipfile

import psutil
import pytest
from django.urls import reverse
from django.utils.http import content_disposition_header

from plans.models import PlanImport
from tasks.models import Evidence
from tests.api.conftest import JPG, PDF, PNG, office, upload
from tests.figures import record
from tests.pdfs import bomb_pdf, pages_pdf

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def docx_bomb(expanded_mb: int = 1024) -> bytes:
    """A .docx whose word/document.xml inflates to `expanded_mb` MB of zeros (a few MB compressed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * MB
            for _ in range(expanded_mb):
                part.write(chunk)
    return buffer.getvalue()


def nested_entries_bomb(entries: int = 5000) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for n in range(entries):
            archive.writestr(f"word/media/{n}.xml", "")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb():
    return docx_bomb()


def _measured(call):
    """Run call() twice: once timed, once under tracemalloc (which slows Python down several times).

    Returns (the result, seconds, peak Python allocation in bytes, RSS growth in bytes).
    """
    started = time.perf_counter()
    call()
    elapsed = time.perf_counter() - started
    process = psutil.Process(os.getpid())
    rss_before = process.memory_info().rss
    tracemalloc.start()
    try:
        result = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, elapsed, peak, process.memory_info().rss - rss_before


# A hostile document, what its refusal says, and how soon it must come (seconds).
HOSTILE_DOCUMENTS = {
    "zip bomb (inflating)": (lambda: docx_bomb(), "方案.docx", "zip_bomb", "已拒绝", 1.0),
    "zip bomb (many entries)": (lambda: nested_entries_bomb(), "方案.docx", "zip_bomb", "已拒绝", 1.0),
    "pdf (inflating stream)": (lambda: bomb_pdf(2048), "方案.pdf", "too_complex", "压缩炸弹", 2.0),
    "pdf (500 pages)": (lambda: pages_pdf(500), "方案.pdf", "too_large", "超过 200 页", 2.0),
}


@pytest.mark.parametrize("kind", HOSTILE_DOCUMENTS)
def test_a_hostile_document_is_refused_fast_and_small(kind, api, personas):
    make, filename, code, words, limit = HOSTILE_DOCUMENTS[kind]
    data = make()
    client = api("supervisor")

    def post():
        file = io.BytesIO(data)
        file.name = filename
        return client.post("/api/v1/imports/", {"file": file}, format="multipart")

    response, elapsed, peak, rss = _measured(post)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    assert words in response.json()["detail"]
    record(kind, upload_bytes=len(data), seconds=round(elapsed, 3), peak_mb=round(peak / MB, 1),
           rss_growth_mb=round(rss / MB, 1))  # fmt: skip
    assert elapsed < limit, elapsed
    assert peak < 100 * MB and rss < 100 * MB, (peak, rss)
    assert PlanImport.objects.count() == 0


def test_a_zip_bomb_as_evidence_is_never_inflated(bomb, world, api):
    client = api("liaison_a")

    def post():
        file = io.BytesIO(bomb)
        file.name = "佐证.docx"
        return client.post(
            "/api/v1/progress-reports/",
            {"assignment": world.part_a.pk, "text": "见附件", "percent": 10, "files": [file]},
            format="multipart",
        )

    response, elapsed, peak, rss = _measured(post)
    # The type check reads the archive's directory only; the file is kept as uploaded, never expanded.
    assert response.status_code == 201, response.content
    assert elapsed < 1.0 and peak < 100 * MB and rss < 100 * MB, (elapsed, peak, rss)


RENAMED = [
    ("报告.pdf", b"<html><script>alert(1)</script></html>"),
    ("照片.png", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),  # a Windows program
    ("表格.xlsx", b"PK\x03\x04" + b"\x00" * 40),  # a broken zip
    ("总结.docx", office("xl/workbook.xml")[:20]),  # truncated
    ("说明.pdf", b"#!/bin/sh\nrm -rf /\n"),
    ("图.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("页.html", b"<!doctype html><script>alert(1)</script>"),
]


@pytest.mark.parametrize(("name", "content"), RENAMED, ids=[n for n, _ in RENAMED])
def test_a_renamed_file_is_judged_by_its_bytes(name, content, world, api):
    response = api("liaison_a").post(
        "/api/v1/progress-reports/",
        {
            "assignment": world.part_a.pk,
            "text": "见附件",
            "percent": 10,
            "files": [upload(name, content, "application/pdf")],
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "不是允许的类型" in str(response.json())
    assert not Evidence.objects.filter(original_name=name).exists()


def test_a_real_file_under_a_false_name_is_stored_and_served_as_what_it_is(world, api):
    response = api("liaison_a").post(
        "/api/v1/progress-reports/",
        {"assignment": world.part_a.pk, "text": "图片", "percent": 10,
         "files": [upload("evil.html", PNG, "text/html"), upload("run.exe", PDF, "application/x-msdownload")]},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    stored = {e.original_name: e for e in Evidence.objects.filter(report_id=response.json()["id"])}
    assert stored["evil.html"].content_type == "image/png" and stored["evil.html"].file.name.endswith(".png")
    assert stored["run.exe"].content_type == "application/pdf" and stored["run.exe"].file.name.endswith(".pdf")
    download = api("liaison_a").get(reverse("evidence-download", kwargs={"pk": stored["evil.html"].pk}))
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"] == 'attachment; filename="evil.png"'
    assert download["X-Content-Type-Options"] == "nosniff"


POLYGLOTS = [
    ("图.html", PNG + b"<script>alert(1)</script>", "image/png", "图.png"),
    ("说明.hta", PDF, "application/pdf", "说明.pdf"),
    ("图.svg", PNG, "image/png", "图.png"),
    ("工具.jar", office("word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "工具.docx"),
    ("安装.exe", office("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     "安装.xlsx"),
    (".html", JPG + b"<html>", "image/jpeg", "html.jpg"),
    ("...", JPG, "image/jpeg", "佐证材料.jpg"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "content_type", "served_as"), POLYGLOTS, ids=[p[0] for p in POLYGLOTS])
def test_every_download_door_names_the_file_by_its_detected_type(name, content, content_type, served_as, world, api,
                                                                 client, personas):  # fmt: skip
    response = api("liaison_a").post(
        "/api/v1/progress-reports/",
        {"assignment": world.part_a.pk, "text": "见附件", "percent": 10, "files": [upload(name, content, "text/html")]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get(report_id=response.json()["id"])
    client.force_login(personas.liaison_a)
    for download in (
        api("liaison_a").get(reverse("evidence-download", kwargs={"pk": evidence.pk})),
        client.get(reverse("tasks:evidence", kwargs={"pk": evidence.pk})),
    ):
        assert download.status_code == 200
        assert download["Content-Type"] == content_type
        assert download["X-Content-Type-Options"] == "nosniff"
        assert download["Content-Disposition"] == content_disposition_header(True, served_as)


def test_a_failed_report_submission_leaves_no_file_behind(world, personas, settings, monkeypatch):
    from tasks import services

    def refuse(**kwargs):
        raise RuntimeError("the change record could not be written")

    before = _stored_files(settings)
    monkeypatch.setattr(services, "activity_record", refuse)
    with pytest.raises(RuntimeError):
        services.progress_report_submit(
            assignment=world.part_a, author=personas.liaison_a, text="x", percent=10,
            files=[upload("一.pdf", PDF), upload("二.png", PNG)],
        )  # fmt: skip
    assert _stored_files(settings) == before
    assert not Evidence.objects.filter(original_name__in=["一.pdf", "二.png"]).exists()


def _stored_files(settings) -> set[str]:
    root = os.path.join(settings.MEDIA_ROOT, "evidence")
    return {name for _, _, names in os.walk(root) for name in names}


def test_stored_files_have_no_public_path(world, client, personas, settings):
    evidence = world.report_a.evidence.get()
    client.force_login(personas.liaison_a)
    for url in (
        f"/media/{evidence.file.name}",
        f"/{evidence.file.name}",
        f"/static/../var/media/{evidence.file.name}",
        f"/static/{evidence.file.name}",
        "/media/",
    ):
        assert client.get(url).status_code == 404, url
    assert not getattr(settings, "MEDIA_URL", "").startswith(("http", "/static"))
    # the only ways to the bytes are the two permission-checked downloads
    assert client.get(reverse("evidence-download", kwargs={"pk": evidence.pk})).status_code == 200
    assert client.get(reverse("tasks:evidence", kwargs={"pk": evidence.pk})).status_code == 200
    client.force_login(personas.liaison_b)
    assert client.get(reverse("evidence-download", kwargs={"pk": evidence.pk})).status_code == 404
    assert client.get(reverse("tasks:evidence", kwargs={"pk": evidence.pk})).status_code == 404


def test_an_original_name_cannot_steer_the_storage_path(world, api, settings):
    response = api("liaison_a").post(
        "/api/v1/progress-reports/",
        {"assignment": world.part_a.pk, "text": "x", "percent": 10, "files": [upload("../../../etc/passwd.pdf", PDF)]},
        format="multipart",
    )
    assert response.status_code == 201
    evidence = Evidence.objects.get(report_id=response.json()["id"])
    assert evidence.file.name.startswith("evidence/") and ".." not in evidence.file.name
    assert os.path.realpath(evidence.file.path).startswith(os.path.realpath(settings.MEDIA_ROOT))
