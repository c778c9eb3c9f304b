"""Department registry: turning unit names as written into canonical names.

The parser knows no database; the Django side builds a :class:`Registry` from its
models (or uses :func:`default_registry`, which is also what the database is seeded
from).

Matching key of a name: ``org.naming.normalize_name``, the key the database stores too
(traditional→simplified, full→half width, spaces removed, every bracket form written ``()``
so that ``各县(市)区`` = ``各县（市）区``, ``人民政府`` = ``政府``, a leading ``中共`` ignored).
When the name is not found as written, a city/district prefix is stripped (``西宁市教育局``
→ ``市教育局``; the parser passes the city found in the title or issuer, and any ``XX市``
prefix followed by a known ``市…`` name is accepted).  Unknown units are never dropped: they
come back with ``kind='unknown'`` and their plain spelling as written (``org.naming.plain_name``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from org.naming import normalize_name, plain_name


@dataclass(frozen=True)
class RegistryEntry:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupEntry:
    name: str
    members: tuple[str, ...]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resolution:
    raw: str
    canonical: str
    kind: str  # "department" | "group" | "unknown"
    members: tuple[str, ...] = ()


_CITY_PREFIX = re.compile(r"^([\u4e00-\u9fff]{2,4}?)(市|区|县|州|盟)(?=[\u4e00-\u9fff(])")


class Registry:
    def __init__(self, departments: Iterable[RegistryEntry] = (), groups: Iterable[GroupEntry] = ()) -> None:
        self.departments = tuple(departments)
        self.groups = tuple(groups)
        self._index: dict[str, tuple[str, str, tuple[str, ...]]] = {}
        for dep in self.departments:
            for name in (dep.name, *dep.aliases):
                self._index.setdefault(normalize_name(name), (dep.name, "department", ()))
        for grp in self.groups:
            for name in (grp.name, *grp.aliases):
                self._index.setdefault(normalize_name(name), (grp.name, "group", tuple(grp.members)))

    def __contains__(self, raw: str) -> bool:
        return self.resolve(raw).kind != "unknown"

    def _lookup(self, key: str) -> tuple[str, str, tuple[str, ...]] | None:
        hit = self._index.get(key)
        if hit:
            return hit
        # "市教育局(市体育局)"-style double names and a trailing 等
        stripped = re.sub(r"等$", "", key)
        if stripped != key:
            return self._index.get(stripped)
        return None

    def resolve(self, raw: str, *, cities: Sequence[str] = ()) -> Resolution:
        """Resolve one unit name.  ``cities``: place names from the document (``银川``,
        ``西宁市``, ``连云区``) whose prefix may be stripped."""
        key = normalize_name(raw)
        shown = plain_name(raw)
        if not key:
            return Resolution(raw, shown, "unknown")
        hit = self._lookup(key)
        if hit is None:
            for city in cities:
                c = normalize_name(city)
                if not c:
                    continue
                for variant in {c, c.rstrip("市区县")}:
                    if variant and key.startswith(variant) and len(key) > len(variant):
                        rest = key[len(variant) :]
                        hit = self._lookup(rest) if rest[0] in "市区县" else None
                        if hit is None and rest[0] not in "市区县":
                            for lvl in "市区县":
                                hit = self._lookup(lvl + rest)
                                if hit:
                                    break
                        if hit:
                            break
                if hit:
                    break
        if hit is None:
            m = _CITY_PREFIX.match(key)
            if m:
                hit = self._lookup(m.group(2) + key[m.end() :])
        if hit is None:
            return Resolution(raw, shown, "unknown")
        canonical, kind, members = hit
        return Resolution(raw, canonical, kind, members)

    def names(self) -> list[str]:
        return [d.name for d in self.departments] + [g.name for g in self.groups]


# ---------------------------------------------------------------- default registry


def _d(name: str, *aliases: str) -> RegistryEntry:
    return RegistryEntry(name, tuple(aliases))


_DEPARTMENTS: tuple[RegistryEntry, ...] = (
    _d("市政府", "市人民政府", "市政府办公室", "市政府办公厅", "市人民政府办公厅", "市人民政府办公室"),
    _d("市委办公室", "市委办", "中共市委办公室"),
    _d("市委组织部", "组织部"),
    _d("市委宣传部", "宣传部"),
    _d("市委编办", "市编办", "市机构编制委员会办公室", "市委机构编制委员会办公室", "编办"),
    _d("市委网信办", "市网信办"),
    _d("市委教育工委", "市委教育工作委员会", "市委教育工作领导小组", "市委教育工作领导小组办公室"),
    _d("市文明办", "市精神文明建设指导委员会办公室"),
    _d("市教育局", "市教委", "市教育委员会", "市教育体育局", "市教体局", "教育局", "教育行政部门", "市教育行政部门"),
    _d("市教育督导室", "市政府教育督导室", "市人民政府教育督导室", "市教育督导办", "市政府教育督导委员会办公室"),
    _d("市教科所", "市教育科学研究所", "市教研室", "市教育科学研究院", "市教科院"),
    _d("市发改委", "市发展改革委", "市发展和改革委员会", "市发展和改革局", "市发改局"),
    _d("市工信局", "市经信委", "市经济和信息化委员会", "市工业和信息化局", "市经信局", "市工业和信息化委员会"),
    _d("市科技局", "市科学技术局"),
    _d("市财政局", "财政局"),
    _d("市人社局", "市人力资源和社会保障局", "市人力资源社会保障局", "人社局"),
    _d("市自然资源局", "市国土资源局", "市国土局", "市自然资源和规划局"),
    _d("市规划局", "市城乡规划局", "市城市规划局"),
    _d("市规建局", "市城乡规划和建设局", "市规划建设局"),
    _d("市住建局", "市住房和城乡建设局", "市住房城乡建设局", "市建设局", "市住建委"),
    _d("市代建局", "市政府投资项目代建管理局"),
    _d("市卫健委", "市卫生健康委", "市卫生健康委员会", "市卫计委", "市卫生和计划生育委员会", "市卫生局", "市卫健局"),
    _d("市民政局"),
    _d("市公安局"),
    _d("市司法局"),
    _d("市审计局"),
    _d("市国资委", "市人民政府国有资产监督管理委员会", "市国有资产监督管理委员会"),
    _d("市税务局", "国家税务总局市税务局", "市地税局", "市国税局"),
    _d("市市场监管局", "市市场监督管理局"),
    _d("市文旅局", "市文化和旅游局", "市文化旅游广电局", "市文广局", "市文化局"),
    _d("市体育局"),
    _d("市交通局", "市交通运输局"),
    _d("市生态环境局", "市环保局", "市环境保护局"),
    _d("市农业农村局", "市农牧局", "市农业局"),
    _d("市农牧和扶贫开发局", "市农牧扶贫开发局"),
    _d("市扶贫办", "市扶贫开发办公室", "市扶贫开发局", "市乡村振兴局"),
    _d("市水务局", "市水利局"),
    _d("市应急管理局", "市应急局", "市安监局"),
    _d("市消防支队", "市消防救援支队", "市公安消防支队"),
    _d("市城管局", "市城市管理局", "市城市管理综合执法局"),
    _d("市统计局"),
    _d("市医保局", "市医疗保障局"),
    _d("市退役军人事务局", "市退役军人局"),
    _d("市大数据局", "市大数据局筹建办", "市大数据管理局", "市大数据服务管理局", "市大数据中心"),
    _d("市机关事务管理局", "市机关事务局"),
    _d("市信访局"),
    _d("市外事办", "市政府外事办公室", "市外办"),
    _d("市侨办", "市侨务办公室"),
    _d("市广电局", "市广播电视局"),
    _d("市总工会", "市工会"),
    _d("团市委", "共青团市委", "市团委", "共青团西宁市委", "共青团银川市委"),
    _d("市妇联", "市妇女联合会"),
    _d("市残联", "市残疾人联合会"),
    _d("市科协", "市科学技术协会"),
    _d("市关工委", "市关心下一代工作委员会"),
    _d("市红十字会"),
    _d("市人民银行", "人行市中心支行", "人民银行市中心支行"),
    _d("市气象局"),
    _d("市邮政管理局"),
    _d("市供电公司", "国网市供电公司"),
    # county-level governments named as members of the collective groups below
    _d("城东区政府"),
    _d("城中区政府"),
    _d("城西区政府"),
    _d("城北区政府"),
    _d("大通县政府", "大通回族土族自治县政府"),
    _d("湟中县政府", "湟中区政府"),
    _d("湟源县政府"),
    _d("兴庆区政府"),
    _d("金凤区政府"),
    _d("西夏区政府"),
    _d("永宁县政府"),
    _d("贺兰县政府"),
    _d("灵武市政府"),
)

_GROUPS: tuple[GroupEntry, ...] = (
    GroupEntry(
        "各县区政府",
        ("城东区政府", "城中区政府", "城西区政府", "城北区政府", "大通县政府", "湟中县政府", "湟源县政府"),
        (
            "各县区人民政府",
            "各县、区政府",
            "各县、区人民政府",
            "各县区",
            "县区政府",
            "各区县政府",
            "各区县人民政府",
            "各区县",
        ),
    ),
    GroupEntry(
        "三县政府",
        ("大通县政府", "湟中县政府", "湟源县政府"),
        ("三县人民政府", "三县"),
    ),
    GroupEntry(
        "各县(市)区",
        ("兴庆区政府", "金凤区政府", "西夏区政府", "永宁县政府", "贺兰县政府", "灵武市政府"),
        (
            "各县(市)区政府",
            "各县(市)区人民政府",
            "县(市)区政府",
            "县(市)区",
            "各县(市、区)",
            "各县(市、区)政府",
            "各县市区",
            "各县市区政府",
            "各县(市)区党委和人民政府",
        ),
    ),
    GroupEntry(
        "各镇街",
        (),
        (
            "各镇(街道)",
            "各镇街道",
            "各乡镇(街道)",
            "各乡镇街道",
            "各乡镇",
            "各街道",
            "各镇",
            "各乡镇政府",
            "各镇政府",
            "各街道办事处",
        ),
    ),
    GroupEntry(
        "各县区教育局",
        (),
        (
            "各县(市)区教育局",
            "各县区教育行政部门",
            "各县(市)区教育行政部门",
            "县级教育行政部门",
            "各县区教育部门",
            "各县(区)教育局",
        ),
    ),
    GroupEntry(
        "各有关部门", (), ("有关部门", "各相关部门", "相关部门", "市直有关部门", "各有关单位", "有关单位", "市直各部门")
    ),
    GroupEntry(
        "各学校", (), ("各中小学校", "各级各类学校", "各中小学", "市直属各学校", "各义务教育学校", "各有关学校")
    ),
)


def default_registry() -> Registry:
    """A city education system's departments and collective groups.

    Group members: ``各县区政府``/``三县政府`` follow Xining's four districts and three
    counties, ``各县(市)区`` Yinchuan's three districts, two counties and one
    county-level city; ``各镇街``, ``各有关部门`` … are collective and list no members.
    """
    return Registry(_DEPARTMENTS, _GROUPS)
