"""Unit names recognised by their shape, with an empty registry (plans.importing.unitnames)."""

from __future__ import annotations

import pytest

from plans.importing.unitnames import classify


@pytest.mark.parametrize(
    "name",
    [
        "省教育厅",  # level + field + organ word
        "济南市工业和信息化局",  # place + field with 和 inside
        "发展改革委",  # short form without level
        "人力资源社会保障部",
        "市场监管总局",
        "省委教育工委",
        "团区委",
        "中央网信办",
        "国务院办公厅",
        "人民银行",
        "银保监会",
        "组干科",  # a bureau's own offices
        "体卫艺德育科",
        "装备信息中心",
        "教科院",
        "办公室",
        "崂山实验室",
        "中国国家铁路集团有限公司",
        "谯城经开区管委会",
        "人行某某中心支行",
        "妇联",
        "某某区实验小学",
    ],
)
def test_organ_shaped_names_are_units(name):
    assert classify(name) == "unit"


@pytest.mark.parametrize(
    "name",
    [
        "各市人民政府",
        "各县区政府",
        "各地区",
        "各地",
        "各部门",
        "各区市",
        "区政府各部门",
        "三县政府",
        "各基础电信企业",
        "各级各类学校",
        "省推进某某专项工作组成员单位",
        "教育行政部门",
        "省“某某”协调推进机制牵头部门",
    ],
)
def test_named_sets_of_units_are_one_collective(name):
    assert classify(name) == "collective"


@pytest.mark.parametrize(
    "name", ["有关部门", "各有关部门", "相关部门", "各有关单位", "县各有关单位", "区政府有关部门", "部门"]
)
def test_generic_words_name_nobody(name):
    assert classify(name) == "generic"


@pytest.mark.parametrize(
    "name",
    [
        "时间敏感网络",  # an explanation in brackets
        "互联网协议第6版",  # figures never stand in a name
        "布局",  # common words that end in an organ character
        "平台",
        "社会",
        "部署",
        "理科",
        "公办",
        "局",  # an organ word alone
        "中心",
        "学校",
        "以下简称省教育厅",
        "推进某某工作",
    ],
)
def test_other_words_are_not_units(name):
    assert classify(name) is None


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("各县(市、区)人民政府", "collective"),  # a 、 inside brackets stays inside the name
        ("各县(市、区)", "collective"),
        ("市教育局(市体育局)", "unit"),  # one office under two names
        ("市教育局、市财政局", None),  # two names are never one
        ("全市", None),  # a scope, not a party
    ],
)
def test_brackets_inside_a_name(name, kind):
    assert classify(name) == kind
