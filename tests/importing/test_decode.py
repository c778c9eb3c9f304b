"""Bytes → text: encodings, .docx (with a table), .pdf, and everything that must be refused."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from plans.importing import PlanImportError, parse_document, result_to_json
from plans.importing.decode import decode_document
from tests.pdfs import document

from .helpers import by_path, parse_json

PLAN = (
    "某市推进义务教育优质均衡发展实施方案\n\n一、总体要求\n坚持公平。\n\n二、主要任务\n"
    "(一)推进集团化办学。组建教育集团。(责任单位:市教育局、市财政局,列第一位的单位为牵头单位,下同)\n"
    "(二)加强教师交流。推进教师轮岗。(责任单位:市人社局、市教育局)\n"
)
TRAD = (
    "某市推進義務教育優質均衡發展實施方案\n\n一、總體要求\n堅持公平。\n\n二、主要任務\n"
    "(一)推進集團化辦學。組建教育集團。(責任單位:市教育局、市財政局)\n"
)


@pytest.mark.parametrize("enc", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_simplified_encodings(enc):
    d = decode_document(PLAN.encode(enc))
    assert d.text.strip() == PLAN.strip()
    c = by_path(parse_json(PLAN.encode(enc))["plans"][0])
    assert c["二、/(二)"]["lead"] == ["市人社局"]


@pytest.mark.parametrize("enc", ["big5", "utf-8", "gb18030"])
def test_traditional_encodings(enc):
    d = decode_document(TRAD.encode(enc))
    assert d.text.strip() == TRAD.strip()
    c = by_path(parse_json(TRAD.encode(enc))["plans"][0])
    assert c["二、/(一)"]["lead"] == ["市教育局"] and c["二、/(一)"]["co"] == ["市财政局"]


def test_gbk_is_not_mistaken_for_big5_and_vice_versa():
    assert decode_document(PLAN.encode("gbk")).encoding == "gb18030"
    assert decode_document(TRAD.encode("big5")).encoding == "big5"


def test_bom_with_bad_body_is_refused():
    with pytest.raises(PlanImportError) as e:
        decode_document(b"\xef\xbb\xbf" + "方案".encode() + b"\xff\xfe\xfa")
    assert e.value.code == "encoding"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"   \n\t  ", "empty"),
        (bytes(range(256)) * 20, "encoding"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "unsupported"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "unsupported"),
        (b"\x00\x01\x02\x03" * 200, "binary"),
        (b"PK\x03\x04garbage", "corrupt"),
        (b"%PDF-1.4\n garbage", "corrupt"),
    ],
)
def test_refusals(data, code):
    with pytest.raises(PlanImportError) as e:
        parse_document(data)
    assert e.value.code == code
    assert e.value.message_zh and any("\u4e00" <= ch <= "\u9fff" for ch in e.value.message_zh)


def test_size_limit():
    with pytest.raises(PlanImportError) as e:
        parse_document(PLAN.encode() * 10, max_bytes=100)
    assert e.value.code == "too_large"
    assert "上限" in e.value.message_zh


def test_wrong_extension_is_refused():
    with pytest.raises(PlanImportError) as e:
        parse_document(PLAN.encode(), filename="plan.docx")
    assert e.value.code == "corrupt"


def test_zip_without_word_part():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(PlanImportError) as e:
        parse_document(buf.getvalue(), filename="x.docx")
    assert e.value.code == "unsupported"


def test_zip_bomb_is_rejected_fast():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(300):  # 300 MB of zeros, a few hundred KB compressed
                fh.write(chunk)
    data = buf.getvalue()
    assert len(data) < 2 * 1024 * 1024
    t = time.perf_counter()
    with pytest.raises(PlanImportError) as e:
        parse_document(data, filename="bomb.docx")
    assert time.perf_counter() - t < 1.0
    assert e.value.code == "zip_bomb"


# ---------------------------------------------------------------- docx


def _docx_bytes() -> bytes:
    import docx

    doc = docx.Document()
    doc.add_paragraph("某市推进课后服务工作实施方案")
    doc.add_paragraph("一、总体要求")
    doc.add_paragraph("坚持公益普惠。")
    doc.add_paragraph("二、重点任务")
    doc.add_paragraph(
        "(一)扩大课后服务覆盖面。实现义务教育学校全覆盖。(责任单位:市教育局、市财政局,列第一位的单位为牵头单位,下同)"
    )
    doc.add_paragraph("(二)任务分工")
    table = doc.add_table(rows=3, cols=5)
    for i, h in enumerate(["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]):
        table.cell(0, i).text = h
    for r, row in enumerate(
        [
            ["1", "制定课后服务收费办法", "市发改委", "市教育局、市财政局", "2022年7月前"],
            ["2", "建设课后服务管理平台", "市教育局", "市大数据局", "2022年底前"],
        ],
        1,
    ):
        for i, v in enumerate(row):
            table.cell(r, i).text = v
    doc.add_paragraph("三、保障措施")
    doc.add_paragraph("(一)加强组织领导。建立工作机制。")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_and_tables_in_order():
    data = _docx_bytes()
    d = decode_document(data, filename="plan.docx")
    assert d.kind == "docx"
    assert d.text.index("(二)任务分工") < d.text.index("序号 | 工作任务") < d.text.index("三、保障措施")
    plan = parse_json(data, filename="plan.docx")["plans"][0]
    assert plan["title"] == "某市推进课后服务工作实施方案"
    c = by_path(plan)
    assert c["二、/(一)"]["lead"] == ["市教育局"] and c["二、/(一)"]["co"] == ["市财政局"]
    r1, r2 = c["二、/(二)/1"], c["二、/(二)/2"]
    assert r1["lead"] == ["市发改委"] and r1["co"] == ["市教育局", "市财政局"]
    assert (r1["due"], r1["due_text"]) == ("2022-07-31", "2022年7月前")
    assert r2["due"] == "2022-12-31" and r2["is_task"]
    assert r1["heading"] == "制定课后服务收费办法"
    assert not c["三、/(一)"]["is_task"]
    src = d.text
    assert src[r1["span"][0] : r1["span"][1]].startswith("1 | 制定课后服务收费办法")


def test_docx_merged_cells():
    import docx

    doc = docx.Document()
    doc.add_paragraph("某市实施方案")
    doc.add_paragraph("一、重点任务")
    t = doc.add_table(rows=3, cols=3)
    for i, h in enumerate(["类别", "工作任务", "责任单位"]):
        t.cell(0, i).text = h
    a = t.cell(1, 0).merge(t.cell(2, 0))
    a.text = "学前教育"
    t.cell(1, 1).text = "新建幼儿园"
    t.cell(1, 2).text = "市教育局、市住建局"
    t.cell(2, 1).text = "培训教师"
    t.cell(2, 2).text = "市教育局"
    buf = io.BytesIO()
    doc.save(buf)
    plan = parse_json(buf.getvalue())["plans"][0]
    c = by_path(plan)
    assert c["一、/1"]["lead"] == ["市教育局"] and c["一、/1"]["co"] == ["市住建局"]
    assert "类别:学前教育" in c["一、/2"]["text"]


# ---------------------------------------------------------------- pdf


def _pdf(stream: bytes) -> bytes:
    """A one-page PDF with Helvetica, written by hand (correct xref offsets)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return document(objs)


def _text_stream(lines: list[str]) -> bytes:
    parts = [b"BT /F1 11 Tf 14 TL 50 740 Td"]
    for ln in lines:
        parts.append(b"(" + ln.encode("latin-1").replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj T*")
    parts.append(b"ET")
    return b"\n".join(parts)


def test_pdf_text_layer():
    data = _pdf(_text_stream(["School Sports Plan", "1. Build playgrounds.", "2. Train teachers.", "- 3 -"]))
    d = decode_document(data, filename="plan.pdf")
    assert d.kind == "pdf"
    assert "1. Build playgrounds." in d.text and "2. Train teachers." in d.text
    result = parse_document(data)
    plan = result.plans[0]
    assert [c.label for c in plan.clauses] == ["1.", "2."]
    assert plan.clauses[1].text == "Train teachers."
    assert all("- 3 -" not in c.text for c in plan.clauses)  # page number line dropped


def test_pdf_without_text_layer_is_refused():
    data = _pdf(b"0 0 1 rg 50 50 200 200 re f")  # a filled rectangle, no text
    with pytest.raises(PlanImportError) as e:
        parse_document(data, filename="scan.pdf")
    assert e.value.code == "pdf_no_text"
    assert "OCR" in e.value.message_zh


def _cjk_pdf(lines: list[str]) -> bytes:
    """A one-page PDF in Chinese: STSong-Light with the predefined UniGB-UCS2-H CMap, as PDF writers
    commonly emit for unembedded Chinese text; each line is UCS-2 hex."""
    parts = [b"BT /F1 11 Tf 14 TL 40 780 Td"]
    for ln in lines:
        parts.append(b"<" + ln.encode("utf-16-be").hex().upper().encode() + b"> Tj T*")
    parts.append(b"ET")
    stream = b"\n".join(parts)
    font = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
        b"/FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >> /DW 1000 >>] >>"
    )
    return _pdf(stream).replace(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", font)


def test_chinese_pdf_text_layer_becomes_clauses_with_units():
    data = _cjk_pdf(
        [
            "某某市校园安全提升行动方案",
            "一、重点任务",
            "1.开齐安全课程。2026年9月底前完成。",
            "(牵头单位:市教育局;配合单位:市公安局)",
            "2.配齐安保人员。2026年底前完成。",
            "(牵头单位:市公安局;配合单位:市财政局)",
        ]
    )
    d = decode_document(data, filename="plan.pdf")
    assert d.kind == "pdf" and "开齐安全课程" in d.text
    plan = result_to_json(parse_document(data, filename="plan.pdf"))["plans"][0]
    c = {x["path"]: x for x in plan["clauses"]}
    assert (c["一、/1."]["lead"], c["一、/1."]["co"], c["一、/1."]["due"]) == (["市教育局"], ["市公安局"], "2026-09-30")
    assert (c["一、/2."]["lead"], c["一、/2."]["co"]) == (["市公安局"], ["市财政局"])
