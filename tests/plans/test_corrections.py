import copy

import pytest

from core.errors import DomainError
from plans.corrections import apply_corrections

PREVIEW = {
    "plans": [
        {
            "title": "某方案",
            "doc_number": "",
            "issuer": "",
            "issued_on": None,
            "clauses": [
                {
                    "label": "1.",
                    "path": "1.",
                    "heading": "建设",
                    "text": "建设学校",
                    "lead": [],
                    "co": [],
                    "due": None,
                    "due_text": "",
                    "recurrence": None,
                    "phases": [],
                    "warnings": [],
                    "span": [0, 4],
                    "is_task": True,
                },
            ],
        }
    ],
    "warnings": [],
}


def test_corrections_replace_units_dates_and_phases_without_touching_the_original():
    corrected = apply_corrections(
        PREVIEW,
        [
            {"plan": 0, "clause": 0, "lead": ["市教育局"], "co": ["市财政局 "], "due": "2026-12-31"},
            {
                "plan": 0,
                "clause": 0,
                "phases": [{"kind": "preparation", "name": "筹备阶段", "start": "2026-01-01", "end": "2026-03-31"}],
            },
            {"plan": 0, "title": "改正后的标题", "issued_on": "2026-01-05"},
        ],
    )
    clause = corrected["plans"][0]["clauses"][0]
    assert (clause["lead"], clause["co"], clause["due"]) == (["市教育局"], ["市财政局"], "2026-12-31")
    assert clause["phases"][0]["end"] == "2026-03-31"
    assert corrected["plans"][0]["title"] == "改正后的标题"
    assert PREVIEW["plans"][0]["clauses"][0]["lead"] == []


@pytest.mark.parametrize(
    ("corrections", "message"),
    [
        ([{"plan": 0, "clause": 0, "due": "2026-02-30"}], "不是有效日期"),
        ([{"plan": 0, "clause": 5, "lead": ["甲"]}], "条款编号 5 不存在"),
        ([{"plan": 1, "clause": 0}], "方案编号 1 不存在"),
        ([{"plan": 0, "clause": 0, "lead": "市教育局"}], "单位名称列表"),
        ([{"plan": 0, "clause": 0, "span": [1, 2]}], "不能修改字段 span"),
        ([{"plan": 0, "clause": 0, "phases": [{"kind": "later"}]}], "阶段类型"),
        (
            [{"plan": 0, "clause": 0, "phases": [{"kind": "operation", "start": "2026-05-01", "end": "2026-04-01"}]}],
            "开始日期不能晚于",
        ),
        ("not a list", "应为列表"),
    ],
)
def test_bad_corrections_are_refused_in_chinese(corrections, message):
    with pytest.raises(DomainError, match=message):
        apply_corrections(PREVIEW, corrections)


def test_a_bad_correction_in_a_batch_changes_nothing():
    with pytest.raises(DomainError):
        apply_corrections(PREVIEW, [{"plan": 0, "clause": 0, "lead": ["甲"]}, {"plan": 0, "clause": 0, "due": "x"}])
    assert PREVIEW["plans"][0]["clauses"][0]["lead"] == []


TWO = {
    "plans": [
        {
            "title": "某方案",
            "clauses": [
                {
                    "label": "一、",
                    "path": "一、",
                    "heading": "任务",
                    "text": "任务",
                    "lead": [],
                    "co": [],
                    "due": None,
                    "phases": [],
                    "warnings": [],
                    "span": [0, 3],
                    "is_task": False,
                },
                {
                    "label": "1.",
                    "path": "一、/1.",
                    "heading": "建设学校",
                    "text": "建设学校,完善设施。",
                    "lead": ["市教育局"],
                    "co": [],
                    "due": "2026-06-30",
                    "phases": [],
                    "warnings": [],
                    "span": [3, 14],
                    "is_task": True,
                },
                {
                    "label": "",
                    "path": "一、/1.(续)",
                    "heading": "",
                    "text": "改造操场。",
                    "lead": [],
                    "co": ["市财政局"],
                    "due": "2026-12-31",
                    "phases": [],
                    "warnings": [],
                    "span": [14, 20],
                    "is_task": True,
                },
            ],
        }
    ]
}


def test_merge_joins_an_item_cut_in_two():
    corrected = apply_corrections(TWO, [{"plan": 0, "clause": 2, "merge_with_previous": True}])
    clauses = corrected["plans"][0]["clauses"]
    assert len(clauses) == 2
    merged = clauses[1]
    assert merged["text"] == "建设学校,完善设施。改造操场。"
    assert (merged["span"], merged["lead"], merged["co"], merged["due"]) == (
        [3, 20],
        ["市教育局"],
        ["市财政局"],
        "2026-12-31",
    )


def test_merge_refuses_the_first_clause_and_clauses_with_children():
    with pytest.raises(DomainError, match="前面没有"):
        apply_corrections(TWO, [{"plan": 0, "clause": 0, "merge_with_previous": True}])
    with_child = copy.deepcopy(TWO)
    with_child["plans"][0]["clauses"][2]["path"] = "一、/1./(1)"
    with pytest.raises(DomainError, match="有下级条款"):
        apply_corrections(with_child, [{"plan": 0, "clause": 1, "merge_with_previous": True}])


def test_split_makes_two_sibling_clauses():
    corrected = apply_corrections(TWO, [{"plan": 0, "clause": 1, "split_at": 5, "label": "2."}])
    clauses = corrected["plans"][0]["clauses"]
    first, second = clauses[1], clauses[2]
    assert (first["text"], first["span"], first["lead"]) == ("建设学校,", [3, 8], ["市教育局"])
    assert (second["label"], second["path"], second["text"], second["span"]) == ("2.", "一、/2.", "完善设施。", [8, 14])
    assert second["lead"] == [] and len(clauses) == 4


@pytest.mark.parametrize(
    ("correction", "message"),
    [
        ({"split_at": 0, "label": "2."}, "拆分位置"),
        ({"split_at": 99, "label": "2."}, "拆分位置"),
        ({"split_at": 3}, "新条款的编号"),
        ({"split_at": 3, "label": "1."}, "重复"),
    ],
)
def test_bad_splits_are_refused(correction, message):
    with pytest.raises(DomainError, match=message):
        apply_corrections(TWO, [{"plan": 0, "clause": 1, **correction}])


def test_marks_follow_the_text_when_clauses_are_split_and_merged():
    marked = copy.deepcopy(TWO)
    first = marked["plans"][0]["clauses"][1]
    first["marks"] = [
        {"kind": "lead", "span": [3, 7], "text": "建设学校", "unit": "市教育局"},
        {"kind": "due", "span": [9, 13], "text": "完善设施", "unit": None},
    ]
    split = apply_corrections(marked, [{"plan": 0, "clause": 1, "split_at": 5, "label": "2."}])
    a, b = split["plans"][0]["clauses"][1:3]
    assert [m["kind"] for m in a["marks"]] == ["lead"] and [m["kind"] for m in b["marks"]] == ["due"]
    merged = apply_corrections(split, [{"plan": 0, "clause": 2, "merge_with_previous": True}])
    assert [m["kind"] for m in merged["plans"][0]["clauses"][1]["marks"]] == ["lead", "due"]


@pytest.mark.parametrize(
    ("correction", "message"),
    [
        ({"lead": ["市" * 101]}, "超过 100 字"),
        ({"due": "0001-01-01"}, "2000-01-01 到 2099-12-31"),
        ({"due": "2100-01-01"}, "2000-01-01 到 2099-12-31"),
    ],
)
def test_names_and_dates_beyond_what_the_database_takes_are_refused_in_chinese(correction, message):
    with pytest.raises(DomainError, match=message):
        apply_corrections(PREVIEW, [{"plan": 0, "clause": 0, **correction}])
