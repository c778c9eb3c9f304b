"""One test per rule of the table in plans.importing.dates."""

from __future__ import annotations

from datetime import date

import pytest

from plans.importing.dates import find_phase, resolve_due
from plans.importing.textutil import fold

from .helpers import by_path, parse_json

ISSUED = date(2019, 5, 28)


@pytest.mark.parametrize(
    ("text", "due", "due_text"),
    [
        ("到2020年,全市学前三年毛入园率达到90%", "2020-12-31", "到2020年"),
        ("至2022年,建成10所示范校", "2022-12-31", "至2022年"),
        ("2020年底前完成改造", "2020-12-31", "2020年底前"),
        ("2021年末实现全覆盖", "2021-12-31", "2021年末"),
        ("2022年前建成", "2022-12-31", "2022年前"),
        ("2022年7月前出台办法", "2022-07-31", "2022年7月前"),
        ("2019年9月全面启动", "2019-09-30", "2019年9月"),
        ("2023年2月底前完成", "2023-02-28", "2023年2月底前"),
        ("2021年3月15日前报送", "2021-03-15", "2021年3月15日前"),
        ("2020年上半年完成", "2020-06-30", "2020年上半年"),
        ("2020年下半年启动", "2020-12-31", "2020年下半年"),
        ("2021年第三季度完成", "2021-09-30", "2021年第三季度"),
        ("2021年6月上旬", "2021-06-10", "2021年6月上旬"),
        ("2019年7月至8月开展", "2019-08-31", "2019年7月至8月"),
        ("2019年6月至2020年8月", "2020-08-31", "2019年6月至2020年8月"),
        ('"十四五"末覆盖全市', "2025-12-31", '"十四五"末'),
        ("“十三五”末覆蓋全市", "2020-12-31", "“十三五”末"),
        ("十五五期间建成", "2030-12-31", "十五五期间"),
        ("到2019年实现持证上岗,到2020年全面达标", "2020-12-31", "到2020年"),
    ],
)
def test_due_rules(text, due, due_text):
    info = resolve_due(fold(text), ISSUED)
    assert info.due is not None and info.due.isoformat() == due
    assert info.due_text == due_text
    assert info.warnings == []


@pytest.mark.parametrize(
    "text",
    ["2019年起,职业院校专业教师原则上公开招聘", "自2020年开始实施", "从2021年起全面推行", "2016年城西区开展试点"],
)
def test_starts_and_bare_years_are_not_dues(text):
    assert resolve_due(fold(text), ISSUED).due is None


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("于每年的8月10日前上报共建方案", "yearly:08-10"),
        ("每年3月底前报送总结", "yearly:03-31"),
        ("每学期召开一次研讨会", "semester"),
        ("每季度前往闽宁镇上示范课", "quarterly"),
        ("每月通报进度", "monthly"),
        ("每周开展一次活动", "weekly"),
        ("每年调整一次专业", "yearly"),
        ("每个学年末总结经验", "yearly"),
    ],
)
def test_recurrence_rules(text, rule):
    assert resolve_due(fold(text), ISSUED).recurrence == rule


def test_recurring_due_is_first_occurrence_after_issue():
    info = resolve_due(fold("于每年的8月10日前上报"), date(2017, 8, 7))
    assert info.due == date(2017, 8, 10) and info.due_text == "每年的8月10日前"
    info = resolve_due(fold("于每年的8月10日前上报"), date(2017, 9, 1))
    assert info.due == date(2018, 8, 10)
    assert resolve_due(fold("于每年的8月10日前上报"), None).due is None


def test_money_per_year_is_not_a_recurrence():
    assert resolve_due(fold("按照每所学校每年50万元拨付资金"), ISSUED).recurrence is None


def test_date_without_year_uses_issue_year_with_warning():
    info = resolve_due(fold("8月20日前将名单报区教育局备案"), date(2017, 8, 7))
    assert info.due == date(2017, 8, 20)
    assert [w[0] for w in info.warnings] == ["date_year_assumed"]


@pytest.mark.parametrize("text", ["2019年月8月", "2019年13月完成", "20195月28日", "2019年8年", "2021年2月30日前"])
def test_typos_are_flagged_not_guessed(text):
    info = resolve_due(fold(text), ISSUED)
    assert info.due is None
    assert [w[0] for w in info.warnings] == ["date_typo"]


@pytest.mark.parametrize(
    ("line", "kind", "name", "start", "end"),
    [
        ("前期筹备阶段:(2019年6月至2019年8月)。制定方案。", "preparation", "前期筹备阶段", "2019-06-01", "2019-08-31"),
        ("操作运行阶段(2019年9月):完成组建并运行。", "operation", "操作运行阶段", "2019-09-01", "2019-09-30"),
        ("考核评估阶段(2020年8月):进行考核。", "evaluation", "考核评估阶段", "2020-08-01", "2020-08-31"),
        ("1)制定方案阶段2019年6月)。以上学校制定方案。", "preparation", "制定方案阶段", "2019-06-01", "2019-06-30"),
        ("2)联合推进阶段2019年7月至11月)。开展合作。", "operation", "联合推进阶段", "2019-07-01", "2019-11-30"),
        ("3)总结推广阶段2019年12月)。总结经验。", "evaluation", "总结推广阶段", "2019-12-01", "2019-12-31"),
        ("跟踪评价阶段(2019年9月):跟踪评价。", "evaluation", "跟踪评价阶段", "2019-09-01", "2019-09-30"),
        ("(一)动员部署阶段(2021年3月):召开动员会。", "preparation", "动员部署阶段", "2021-03-01", "2021-03-31"),
        ("集中攻坚阶段:2021年4月—2021年10月。", "operation", "集中攻坚阶段", "2021-04-01", "2021-10-31"),
        ("验收总结阶段(2021年11月—12月)", "evaluation", "验收总结阶段", "2021-11-01", "2021-12-31"),
        ("准备阶段(2020年1月至2月)", "preparation", "准备阶段", "2020-01-01", "2020-02-29"),
        ("全面落实阶段(2020年3月至2022年6月)", "operation", "全面落实阶段", "2020-03-01", "2022-06-30"),
    ],
)
def test_phases(line, kind, name, start, end):
    ph = find_phase(fold(line))
    assert ph is not None
    assert (ph.kind, ph.name, ph.start.isoformat(), ph.end.isoformat()) == (kind, name, start, end)


def test_phase_with_typo_keeps_start_only():
    ph = find_phase(fold("前期筹备阶段:(2019年6月至2019年月8月)。"))
    assert ph.start == date(2019, 6, 1) and ph.end is None
    assert [w[0] for w in ph.warnings] == ["date_typo"]


def test_phase_words_inside_prose_are_not_phases():
    assert find_phase(fold("基本普及高中阶段教育")) is None
    assert find_phase(fold("义务教育阶段残疾儿童入学率达到95%")) is None


def test_unknown_phase_name_is_operation_with_warning():
    ph = find_phase(fold("巡回指导阶段(2020年5月):开展指导。"))
    assert ph.kind == "operation"
    assert [w[0] for w in ph.warnings] == ["phase_kind_guess"]


def test_phases_in_a_plan_give_due_and_keep_words():
    text = (
        "某市校际合作实施方案\n一、工作任务\n(一)组建合作体\n1.实施步骤\n"
        "前期筹备阶段:(2019年6月至2019年8月)。制定方案。\n"
        "操作运行阶段(2019年9月):完成组建。\n"
        "考核评估阶段(2020年8月):由市教育局进行考核。\n"
    )
    c = by_path(parse_json(text)["plans"][0])["一、/(一)/1."]
    assert [p["kind"] for p in c["phases"]] == ["preparation", "operation", "evaluation"]
    assert c["phases"][1]["text"] == "操作运行阶段(2019年9月):完成组建。"
    assert c["due"] == "2020-08-31" and c["due_text"] == "2020年8月"
    assert c["lead"] == ["市教育局"] and c["is_task"]


def test_issue_date_forms():
    base = "某市实施方案\n\n一、主要任务\n1.推进改革。(责任单位:市教育局)\n"
    assert parse_json("成文日期:2019-05-28\n" + base)["plans"][0]["issued_on"] == "2019-05-28"
    assert parse_json("發文日期 | 2017-08-07 |\n" + base)["plans"][0]["issued_on"] == "2017-08-07"
    signed = "关于印发某市实施方案的通知\n某市人民政府办公室\n二〇一七年七月三十一日\n\n" + base
    plan = parse_json(signed)["plans"][0]
    assert plan["issued_on"] == "2017-07-31" and plan["issuer"] == "某市人民政府办公室"
    typo = parse_json("关于印发某市实施方案的通知\n某市人民政府办公室\n20195月28日\n\n" + base)
    assert typo["plans"][0]["issued_on"] == "2019-05-28"
    assert [w["code"] for w in typo["warnings"]] == ["date_typo"]
