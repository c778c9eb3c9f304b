"""No input makes the parser fail with anything but PlanImportError; big plans parse whole."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plans.importing import PlanImportError, parse_document, result_to_json

from .helpers import CORPUS

PIECES = [
    "一、",
    "二、",
    "(一)",
    "（二）",
    "1.",
    "2．",
    "3、",
    "1)",
    "(1)",
    "①",
    "附件1:",
    "附件:1.",
    "篇一",
    "\n",
    "。",
    ",",
    "(责任单位:",
    "牵头单位:",
    "配合单位:",
    "列第一位的单位为牵头单位,下同)",
    "逗号前为牵头单位",
    "市教育局",
    "各县(市)区",
    "由市财政局牵头",
    "到2020年",
    "2019年月8月",
    "20195月28日",
    "每年的8月10日前",
    "前期筹备阶段:(2019年6月至",
    "阶段",
    " | ",
    "序号 | 工作任务 | 牵头单位 | 完成时限",
    "关于印发《",
    "》的通知",
    "实施方案",
    "關(guān)",
    "十四五末",
    "(",
    ")",
    "|",
]


def _check(data) -> None:
    try:
        result = parse_document(data)
    except PlanImportError as exc:
        assert exc.code != "internal_error", exc.__cause__
        assert exc.message_zh
        return
    result_to_json(result)
    n = len(result.source_text)
    for plan in result.plans:
        for c in plan.clauses:
            assert 0 <= c.span[0] <= c.span[1] <= n
            for w in c.warnings:
                assert 0 <= w.span[0] <= w.span[1] <= n


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_fuzz_bytes(data):
    _check(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=60).map("".join))
def test_fuzz_plan_like_text(text):
    _check(text)
    _check(text.encode("utf-8"))
    try:
        _check(text.encode("gb18030"))
    except UnicodeEncodeError:
        pass


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=500))
def test_fuzz_any_text(text):
    _check(text)


def test_a_150kb_compilation_parses_whole():
    """Speed is measured by bench/bench_import.py; here, that a large input keeps every plan."""
    files = sorted(CORPUS.glob("0*.txt"))
    if not files:
        pytest.skip("shared corpus not beside the project")
    blob = "\n".join(f.read_text("utf-8") for f in files)
    text = (blob + "\n") * (150_000 // len(blob.encode()) + 1)
    data = text.encode()
    assert len(data) >= 150_000
    result = parse_document(data)
    result_to_json(result)
    assert result.plans and sum(len(p.clauses) for p in result.plans) > 300
