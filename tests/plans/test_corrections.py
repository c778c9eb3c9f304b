import pytest

from plans.corrections import CorrectionError, apply_corrections

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
    with pytest.raises(CorrectionError, match=message):
        apply_corrections(PREVIEW, corrections)


def test_a_bad_correction_in_a_batch_changes_nothing():
    with pytest.raises(CorrectionError):
        apply_corrections(PREVIEW, [{"plan": 0, "clause": 0, "lead": ["甲"]}, {"plan": 0, "clause": 0, "due": "x"}])
    assert PREVIEW["plans"][0]["clauses"][0]["lead"] == []
