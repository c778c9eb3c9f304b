"""Documents are read in a child process with its own limits; the caller gets the same answers."""

import io
import os
import time

import docx
import psutil
import pytest

from plans.importing import decode
from plans.importing.errors import PlanImportError
from plans.importing.sandbox import Limits, decode_isolated
from tests.pdfs import pages_pdf

MB = 1024 * 1024


def _children() -> set[int]:
    # Other tests may have left children of their own (the browser tests' driver): compare before and after.
    return {child.pid for child in psutil.Process(os.getpid()).children()}


@pytest.fixture
def no_child_left():
    before = _children()
    yield
    assert _children() <= before


def test_the_child_answers_as_the_reader_does(no_child_left):
    decoded = decode_isolated(pages_pdf(3, "1. Build playgrounds."), max_bytes=MB)
    assert decoded.kind == "pdf"
    assert decoded.text.count("1. Build playgrounds.") == 3


def test_the_readers_refusals_come_through_unchanged():
    with pytest.raises(PlanImportError) as refused:
        decode_isolated(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, filename="图.png", max_bytes=MB)
    assert refused.value.code == "unsupported"
    assert refused.value.message_zh == "不支持图片文件(需要 OCR),请上传文字版文件。"


def _docx(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _greedy(*args, **kwargs):
    blocks = []
    while True:
        blocks.append(bytearray(64 * MB))


@pytest.mark.parametrize(
    ("data", "reader"),
    [
        (pages_pdf(2), "_pdf_page_text"),  # pdf_to_text turns its readers' failures into "damaged file"
        (_docx("一、总体要求"), "_walk_block"),
        ("一、总体要求\n(一)加强领导。".encode("gb18030"), "decode_text_bytes"),
    ],
    ids=["pdf", "docx", "text"],
)
def test_a_reader_that_allocates_without_end_is_stopped_at_the_memory_limit(data, reader, monkeypatch, no_child_left):
    monkeypatch.setattr(decode, reader, _greedy)
    parent = psutil.Process(os.getpid()).memory_info().rss
    started = time.perf_counter()
    with pytest.raises(PlanImportError) as refused:
        decode_isolated(data, max_bytes=MB, limits=Limits(memory_bytes=256 * MB))
    assert refused.value.code == "too_complex"
    assert "无法在限定的时间和内存内读取" in refused.value.message_zh
    assert time.perf_counter() - started < 5  # the limit is met in well under a second on a quiet machine
    assert psutil.Process(os.getpid()).memory_info().rss - parent < 20 * MB


def test_a_reader_past_its_deadline_is_killed(no_child_left):  # killed and reaped: no process left behind
    started = time.perf_counter()
    with pytest.raises(PlanImportError) as refused:
        decode_isolated(pages_pdf(150), max_bytes=MB, limits=Limits(wall_seconds=0.2))
    assert refused.value.code == "too_complex"
    assert 0.2 <= time.perf_counter() - started < 1.5
