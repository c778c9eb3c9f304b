"""Word list numbering becomes the clause labels it shows on screen."""

import io
import zipfile

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from plans.importing import parse_document, result_to_json
from plans.importing.docx_numbering import chinese_number, format_number

NUMBERING = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
  <w:abstractNum w:abstractNumId="7">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="(%2)"/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>
</w:numbering>"""


def _numbered(paragraph, level: int) -> None:
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    num_id = OxmlElement("w:numId")
    num_id.set(qn("w:val"), "3")
    num_pr.append(ilvl)
    num_pr.append(num_id)
    paragraph._p.get_or_add_pPr().append(num_pr)


def _docx_with_list_numbering() -> bytes:
    document = docx.Document()
    document.add_paragraph("某某市校园安全提升行动方案")
    for level, text in [
        (0, "总体要求"),
        (0, "重点任务"),
        (1, "加强安全教育"),
        (2, "开齐安全课程。2026年9月底前完成。(牵头单位:市教育局;配合单位:市公安局)"),
        (2, "开展应急演练。每学期至少一次。(牵头单位:市应急管理局;配合单位:市教育局)"),
        (1, "改善安防设施"),
        (2, "配齐安保人员。2026年底前完成。(牵头单位:市公安局;配合单位:市财政局)"),
    ]:
        _numbered(document.add_paragraph(text), level)
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = NUMBERING.encode() if item.filename == "word/numbering.xml" else src.read(item.filename)
            dst.writestr(item, data)
    return out.getvalue()


def test_list_numbered_clauses_keep_their_labels_and_tree():
    plan = result_to_json(parse_document(_docx_with_list_numbering(), filename="plan.docx"))["plans"][0]
    paths = [c["path"] for c in plan["clauses"]]
    assert paths == ["一、", "二、", "二、/(一)", "二、/(一)/1.", "二、/(一)/2.", "二、/(二)", "二、/(二)/1."]
    by_path = {c["path"]: c for c in plan["clauses"]}
    assert by_path["二、/(二)/1."]["lead"] == ["市公安局"] and by_path["二、/(二)/1."]["co"] == ["市财政局"]
    assert by_path["二、/(一)/1."]["due"] == "2026-09-30"


def test_number_formats():
    assert [chinese_number(n) for n in (1, 10, 12, 20, 21, 100, 105, 110)] == [
        "一",
        "十",
        "十二",
        "二十",
        "二十一",
        "一百",
        "一百零五",
        "一百一十",
    ]
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(28, "lowerLetter") == "ab"
    assert format_number(12, "decimalFullWidth") == "１２"
