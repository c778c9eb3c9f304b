"""Normalization, segmentation, clause structure, registry, output shape."""

from __future__ import annotations

import json

from plans.importing import default_registry, parse_document, result_to_json
from plans.importing.normalize import normalize
from plans.importing.registry import GroupEntry, Registry, RegistryEntry

from .helpers import by_path, parse_json


def test_pinyin_and_chrome_are_removed_with_offsets_kept():
    src = (
        "無障礙 | 長者版\n當前位置:首頁>政務公開\n西寧市關(guān)于實(shí)施方案\n瀏覽量: 時間:2019-01-21\n"
        "全會(huì )精神\n- 3 -\n— 12 —\n第3页\n【字体:大 中 小】\n分享到:\n正文\n"
    )
    n = normalize(src)
    assert n.display == "西寧市關于實施方案\n全會精神\n正文\n"
    i = n.display.index("實施")
    assert src[n.to_source(i) : n.to_source(i) + 2] == "實("
    s, e = n.span_to_source(n.display.index("全會"), n.display.index("精神") + 2)
    assert src[s:e] == "全會(huì )精神"
    assert n.match.startswith("西宁市关于实施方案")


def test_plain_parenthesised_latin_is_kept_without_tone_marks():
    assert normalize("文件(pdf)下载").display == "文件(pdf)下载"


def test_notice_with_three_plans():
    text = (
        "关于印发《甲市学前教育行动计划》《甲市义务教育实施方案》《甲市高中教育工作方案》的通知\n"
        "甲市教育局\n2021年3月1日\n\n"
        "甲市学前教育行动计划\n一、主要任务\n1.扩大资源。(责任单位:市教育局)\n2.提升质量。(责任单位:市教育局)\n\n"
        "甲市义务教育实施方案\n一、主要任务\n1.均衡发展。(责任单位:市财政局)\n2.减轻负担。\n\n"
        "甲市高中教育工作方案\n一、重点任务\n1.多样发展。\n2.改革考试。\n"
    )
    data = parse_json(text)
    assert [p["title"] for p in data["plans"]] == [
        "甲市学前教育行动计划",
        "甲市义务教育实施方案",
        "甲市高中教育工作方案",
    ]
    assert all(p["issued_on"] == "2021-03-01" and p["issuer"] == "甲市教育局" for p in data["plans"])
    assert [len(p["clauses"]) for p in data["plans"]] == [3, 3, 3]
    assert by_path(data["plans"][1])["一、/1."]["lead"] == ["市财政局"]


def test_compilation_with_pian():
    parts = []
    for i, cn in enumerate("一二三四五六七八九十", 1):
        parts.append(f"篇{cn}\n乙县第{i}项工作方案\n一、工作任务\n1.开展第{i}项工作。\n2.总结第{i}项工作。\n")
    data = parse_json("乙县教育工作汇编\n\n" + "\n".join(parts))
    assert len(data["plans"]) == 10
    assert data["plans"][9]["title"] == "乙县第10项工作方案"
    assert all(len(p["clauses"]) == 3 for p in data["plans"])


def test_generic_titles_split_plans_without_notice():
    text = (
        "丙市校园安全工作方案\n一、主要任务\n1.排查隐患。\n2.整改问题。\n\n"
        "丙市心理健康教育实施方案\n一、主要任务\n1.配齐教师。\n2.建设平台。\n"
    )
    data = parse_json(text)
    assert [p["title"] for p in data["plans"]] == ["丙市校园安全工作方案", "丙市心理健康教育实施方案"]


def test_mid_line_clauses_and_broken_lines():
    text = (
        "丁市实施方案\n一、主要任务 (一)加快建设。新建学校\n5所。(二)加强管理。规范办学。\n"
        "二、保障措施\n(一)\n加强领导。成立领导小组。\n"
    )
    plan = parse_json(text)["plans"][0]
    c = by_path(plan)
    assert list(c) == ["一、", "一、/(一)", "一、/(二)", "二、", "二、/(一)"]
    assert c["一、/(一)"]["text"] == "加快建设。新建学校\n5所。"
    assert c["一、/(一)"]["heading"] == "加快建设"
    assert c["二、/(一)"]["heading"] == "加强领导"
    assert c["一、"]["heading"] == "主要任务"


def test_label_styles_nest_canonically():
    text = "戊市方案\n一、任务\n(一)甲\n1.乙\n1)丙\n(1)丁\n①戊\n②己\n(2)庚\n2)辛\n2、壬\n(二)癸\n"
    plan = parse_json(text)["plans"][0]
    assert [c["path"] for c in plan["clauses"]] == [
        "一、",
        "一、/(一)",
        "一、/(一)/1.",
        "一、/(一)/1./1)",
        "一、/(一)/1./1)/(1)",
        "一、/(一)/1./1)/(1)/①",
        "一、/(一)/1./1)/(1)/②",
        "一、/(一)/1./1)/(2)",
        "一、/(一)/1./2)",
        "一、/(一)/2、",
        "一、/(二)",
    ]


def test_numbers_that_are_not_clauses():
    text = "己市方案\n一、任务\n1.发展规模。在校生\n1.5万人左右。\n附件:1.任务表\n2.协议书\n3.建设学校\n"
    plan = parse_json(text)["plans"][0]
    assert [c["path"] for c in plan["clauses"]] == ["一、", "一、/1."]


def test_registry_resolution():
    reg = default_registry()
    r = reg.resolve("市發改委")
    assert (r.canonical, r.kind) == ("市发改委", "department")
    assert reg.resolve("西寧市教育局", cities=["西宁市"]).canonical == "市教育局"
    assert reg.resolve("银川市教育局").canonical == "市教育局"  # any "XX市" prefix before a known 市… name
    assert reg.resolve("各县（市）区").canonical == reg.resolve("各县(市)区").canonical == "各县(市)区"
    g = reg.resolve("三縣政府")
    assert g.kind == "group" and len(g.members) == 3
    assert reg.resolve("市卫计委").canonical == "市卫健委"
    assert reg.resolve("市国土资源局").canonical == "市自然资源局"
    u = reg.resolve("市研学中心筹备组")
    assert (u.kind, u.canonical) == ("unknown", "市研学中心筹备组")
    names = reg.names()
    for must in (
        "市教育局",
        "市发改委",
        "市财政局",
        "市人社局",
        "市委编办",
        "市住建局",
        "市自然资源局",
        "市卫健委",
        "市民政局",
        "市公安局",
        "市扶贫办",
        "市规划局",
        "团市委",
        "市妇联",
        "市残联",
        "市总工会",
        "各县区政府",
        "三县政府",
        "各县(市)区",
        "各镇街",
    ):
        assert must in names
    for grp in reg.groups:  # members of groups are registry departments
        for m in grp.members:
            assert reg.resolve(m).kind == "department"


def test_custom_registry_is_used():
    reg = Registry([RegistryEntry("区教育局", ("区教体局",))], [GroupEntry("各学校", ("一小", "二小"))])
    text = "庚区方案\n一、主要任务\n1.推进改革。(责任单位:区教体局、各学校)\n"
    c = by_path(parse_json(text, registry=reg)["plans"][0])["一、/1."]
    assert c["lead"] == ["区教育局"] and c["co"] == ["各学校"]
    assert "unknown_unit" not in [w["code"] for w in c["warnings"]]


def test_json_shape_is_stable():
    text = (
        "辛市实施方案\n成文日期:2020-01-02\n一、主要任务\n1.推进改革。到2020年底前完成。(责任单位:市教育局、市财政局)\n"
    )
    result = parse_document(text)
    data = result_to_json(result)
    json.dumps(data, ensure_ascii=False)
    assert set(data) == {"plans", "warnings"}
    plan = data["plans"][0]
    assert set(plan) == {"title", "doc_number", "issuer", "issued_on", "clauses"}
    clause = plan["clauses"][1]
    assert set(clause) == {
        "label",
        "path",
        "heading",
        "text",
        "lead",
        "co",
        "due",
        "due_text",
        "recurrence",
        "phases",
        "warnings",
        "span",
        "is_task",
        "marks",
    }
    assert clause["path"] == "一、/1." and clause["due"] == "2020-12-31" and clause["is_task"]
    # every unit, date and phase read carries its source span
    assert [(m["kind"], m["text"], m.get("unit")) for m in clause["marks"]] == [
        ("due", "到2020年底前", None),
        ("units", "(责任单位:市教育局、市财政局)", None),
        ("lead", "市教育局", "市教育局"),
        ("co", "市财政局", "市财政局"),
    ]
    for m in clause["marks"]:
        assert text[m["span"][0] : m["span"][1]] == m["text"]
    for w in data["warnings"]:
        assert set(w) == {"code", "message", "span"}
    # the dataclasses carry the same facts
    pc = result.plans[0].clauses[1]
    assert pc.lead == ["市教育局"] and pc.due.isoformat() == "2020-12-31" and pc.parent_path == "一、"
