"""Generated files posted to the two upload endpoints: accepted, or refused with a 4xx in Chinese — never a 500.

FUZZ_EXAMPLES sets the number of files per endpoint (CI: a few dozen; `make fuzz`: thousands).
"""

import io
import json
import os
import re
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from tests.api.conftest import JPG, PDF, PNG, office
from tests.figures import record
from tests.plans.conftest import DEMO_PLAN

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
CHINESE = re.compile(r"[\u4e00-\u9fff]")
SEEN = {"evidence": {}, "import": {}}


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


SEEDS = [
    PDF,
    PNG,
    JPG,
    office("word/document.xml"),
    office("xl/workbook.xml"),
    DEMO_PLAN.read_bytes()[:4000],
    DEMO_PLAN.read_text(encoding="utf-8")[:3000].encode("gb18030"),
    _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document><w:body><w:p/></w:body>"}),
    b"%PDF-1.7\n" + b"0" * 200,
    b"\xef\xbb\xbf" + "一、总体要求\n(一)完善制度。(责任单位:市教育局)".encode(),
    b"",
]


HOSTILE_NAMES = ["../../etc/passwd", "..\\..\\boot.ini", "a" * 300 + ".pdf", "名\x00字.pdf", "<script>.pdf"]


@st.composite
def files(draw):
    seed = draw(st.sampled_from(SEEDS))
    how = draw(st.sampled_from(["as is", "truncate", "flip", "splice", "random"]))
    data = bytearray(seed)
    if how == "truncate" and data:
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "flip" and data:
        for _ in range(draw(st.integers(1, 20))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    elif how == "splice":
        data[draw(st.integers(0, len(data))) : draw(st.integers(0, len(data)))] = draw(st.binary(max_size=300))
    elif how == "random":
        data = bytearray(draw(st.binary(max_size=2000)))
    name = draw(
        st.one_of(
            st.sampled_from(["方案.docx", "plan.txt", "a.pdf", "佐证.xlsx", "照片.jpg", "x.png", "noext", ""]),
            st.sampled_from(
                ["../../etc/passwd", "..\\..\\boot.ini", "a" * 300 + ".pdf", "名\x00字.pdf", "<script>.pdf"]
            ),
            st.text(min_size=0, max_size=40).map(lambda t: t + draw(st.sampled_from([".pdf", ".docx", ".txt", ""]))),
        )
    )
    return bytes(data), name or "upload"


def _upload(data: bytes, name: str):
    file = io.BytesIO(data)
    file.name = name
    return file


def _assert_clear(response, where):
    assert response.status_code < 500, f"{where}: {response.status_code} {response.content[:300]!r}"
    SEEN[where][response.status_code] = SEEN[where].get(response.status_code, 0) + 1
    if response.status_code >= 400:
        body = json.dumps(response.json(), ensure_ascii=False)
        assert CHINESE.search(body), f"{where}: refusal not in Chinese: {body}"


FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=EXAMPLES <= 100
)


@FUZZ
@given(file=files())
def test_evidence_upload_fuzz(world, personas, file):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(personas.liaison_a)
    data, name = file
    response = client.post(
        "/api/v1/progress-reports/",
        {"assignment": world.part_a.pk, "text": "见附件", "percent": 20, "files": [_upload(data, name)]},
        format="multipart",
    )
    _assert_clear(response, "evidence")
    record("fuzz evidence upload", examples=EXAMPLES, by_status=SEEN["evidence"])


@FUZZ
@given(file=files())
def test_plan_import_upload_fuzz(personas, file):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(personas.supervisor)
    data, name = file
    response = client.post("/api/v1/imports/", {"file": _upload(data, name)}, format="multipart")
    _assert_clear(response, "import")
    record("fuzz plan import upload", examples=EXAMPLES, by_status=SEEN["import"])
