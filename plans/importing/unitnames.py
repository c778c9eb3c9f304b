"""What a unit name looks like: recognising organs by their shape, with no registry.

Chinese organ names are built the same way everywhere: an optional place or level
(省/市/区/县/国家/中央/国务院/各/济南市/崂山区 …), a field (教育、发展改革、工业和信息化 …)
and an organ word at the end (局/委/办/厅/部/署/院/会/政府/中心/站/所/室/科/组/校/社/联/
团/队/行/公司/集团 …).  Short forms keep that shape (发展改革委, 人力资源社会保障部,
市场监管总局, 团区委), and so do a bureau's own offices (组干科, 装备信息中心, 教科院).

:func:`classify` sorts one item of a unit list into

* ``unit``: a named organ (``省教育厅``, ``崂山实验室``, ``中国国家铁路集团有限公司``);
* ``collective``: a named set of units that is one responsible party
  (``各市人民政府``, ``各地区``, ``区政府各部门``, ``三县政府``, ``…工作组成员单位``);
* ``generic``: words that name nobody (``有关部门``, ``相关单位``, ``县各有关单位``); these
  are never units;
* ``None``: not a unit name at all.

The registry later confirms and canonicalises what is found here; an unknown name of
the right shape is kept and flagged.
"""

from __future__ import annotations

import re
from typing import Literal

Kind = Literal["unit", "collective", "generic"]

# Organ words a name ends with, longest first so that 办公室 wins over 室.
ORGAN_SUFFIXES = (
    "委员会",
    "办公厅",
    "办公室",
    "办事处",
    "管委会",
    "领导小组",
    "工作组",
    "有限公司",
    "总公司",
    "分公司",
    "公司",
    "集团",
    "总局",
    "分局",
    "局",
    "工委",
    "党委",
    "党组",
    "管委",
    "委",
    "办",
    "厅",
    "总署",
    "署",
    "部",
    "院",
    "会",
    "人民政府",
    "政府",
    "中心",
    "站",
    "所",
    "室",
    "科",
    "处",
    "股",
    "组",
    "学校",
    "小学",
    "中学",
    "大学",
    "学院",
    "幼儿园",
    "校区",
    "校",
    "社",
    "联",
    "协",
    "团",
    "支队",
    "大队",
    "队",
    "分行",
    "支行",
    "银行",
    "馆",
    "台",
    "实验室",
    "机关",
    "开发区",
    "经开区",
    "高新区",
    "新区",
    "法院",
    "检察院",
)
_SUFFIX_RE = re.compile("(?:" + "|".join(sorted(set(ORGAN_SUFFIXES), key=len, reverse=True)) + ")$")

# A set of units named as one party: 各…, 全…, 三县…, …各部门, …成员单位.
_COLLECTIVE_RE = re.compile(
    r"^(?:各|全)|^[一二三四五六七八九十两]+(?:县|区|市|镇|乡|个)|各(?:部门|单位|地区|地|级)|成员单位$|^(?:省|市|区|县)直(?:各)?(?:部门|单位)$"
)
# What a collective without an organ word ends with: places, levels, kinds of body.
_PLACES_RE = re.compile(
    r"(?:地区|地|区|县|市|省|州|盟|旗|镇|乡|街道|社区|村|部门|单位|企业|学校|高校|院校|园区|机构|级)$"
)
# Words that name nobody in particular.
_GENERIC_RE = re.compile(r"有关|相关|其他|其它|^(?:各级)?(?:部门|单位)$|^(?:省|市|区|县)?直?(?:部门|单位)$")
# What never stands inside an organ name: sentence words and figures.
_NOT_NAME_RE = re.compile(r"[的了是把被将对从向在:。;!?%0-9a-zA-Z]|以下简称|简称|例如|包括|^含|^如|^即")
# Common words that end in an organ character but name no organ.
_ORGAN_LOOKALIKES = re.compile(
    r"(?:格局|布局|大局|全局|开局|变局|结局|部署|签署|内部|外部|全部|局部|东部|西部|南部|北部|中部|干部|总部|俱乐部|"
    r"公办|民办|创办|举办|开办|兴办|好处|长处|难处|到处|之处|用处|机会|社会|体会|领会|"
    r"大会|会议|博览会|运动会|交易会|研讨会|座谈会|年会|峰会|展会|推介会|洽谈会|发布会|晚会|聚会|"
    r"大厅|餐厅|展厅|客厅|平台|网站|场所|厕所|住所|教室|功能室|阅览室|活动室|团队|梯队|互联|关联|物联|"
    r"入股|控股|参股|学科|专科|本科|理科|文科|工科|医科|农科|外科|内科|预科|全科|学院派)$"
)
_TRAILING_NOTE_RE = re.compile(r"\([^()]*\)$")
# Organ names of two characters: 政协, 妇联, 团委 …; any other name needs a field before its organ word.
_TWO_CHAR_SUFFIXES = ("联", "协", "委")
_CJK = re.compile(r"^[\u4e00-\u9fff“”\"'()《》·、]+$")

# A collective's members named without a level of their own: 各乡镇人民政府、街道办事处.
COLLECTIVE_TAIL_RE = re.compile(
    r"^(?:街道|乡镇|镇|乡|社区|村|开发区|园区|直属单位)(?:办事处|人民政府|政府|管委会|办)?$"
)


def squeeze(name: str) -> str:
    """The name without the spaces and line breaks that extraction leaves inside it."""
    return re.sub(r"[\s\u3000]+", "", name)


def classify(name: str) -> Kind | None:
    """``unit`` / ``collective`` / ``generic`` for one item of a unit list, or ``None``."""
    s = squeeze(name)
    if len(s) < 2 or len(s) > 40 or not _CJK.match(s) or "、" in re.sub(r"\([^()]*\)", "", s):
        return None  # 、 only inside a bracket: 各县(市、区)
    if _NOT_NAME_RE.search(s):
        return None
    base = _TRAILING_NOTE_RE.sub("", s)
    if base != s and base:
        # 市教育局(市体育局), 各县(市、区): the name is what stands before the bracket,
        # unless the bracket sits inside it (各县(市)区政府)
        kind = classify(base)
        if kind is not None:
            return kind
    if _GENERIC_RE.search(s):
        return "generic"
    if s == "办公室" or s == "机关党委":
        return "unit"
    collective = bool(_COLLECTIVE_RE.search(s))
    if s in ("各地", "各级"):
        return "collective"
    if s.startswith("全") and len(s) <= 3:
        return None  # 全市, 全省: a scope, not a party
    if s.endswith(("部门", "单位", "机构")) and len(s) >= 4:
        return "collective"  # 教育行政部门, …机制牵头部门: a named set of offices
    if s.endswith(("企业", "单位", "部门", "地区", "县区", "区县", "区市", "县市区", "高校", "学校", "机构")):
        return "collective" if collective else None
    m = _SUFFIX_RE.search(s)
    if m is None:
        return "collective" if collective and _PLACES_RE.search(s) else None
    if m.start() == 0 or _ORGAN_LOOKALIKES.search(s):
        return None  # an organ word alone (局, 中心), or a common word such as 布局
    if len(s) == 2 and not s.endswith(_TWO_CHAR_SUFFIXES):
        return None
    return "collective" if collective else "unit"
