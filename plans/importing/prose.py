"""Units named in prose, where a clause has no unit group.

``由市教育局牵头`` / ``由市教育局负责制定…`` / ``市教育局牵头,市财政局配合`` /
``由A会同B`` / ``在市教育局统筹下``: the unit list must stand right before (or, after
``由``, right after) the role word and look like unit names.
"""

from __future__ import annotations

import re

from .unitgroups import Mention

# ---------------------------------------------------------------- prose

_UNIT_CORE = (
    r"(?:各|全)?[\u4e00-\u9fff()]{0,14}?"
    r"(?:委员会|办公室|领导小组|工作组|管委会|妇联|残联|总工会|团市委|团区委|团县委|人民政府|政府|局|委|办|厅|中心|支队|大队|公司|研究所|教科所|所|院|部)"
)
UNIT_RE = re.compile(_UNIT_CORE)
_SCOPE = re.compile(
    r"^(?:各|全|市|区|县|省|镇|乡|街道|团|自治区|[\u4e00-\u9fff]{2,6}?(?:市|县|区|州|旗|镇|乡)(?=[\u4e00-\u9fff]))"
)
UNITS_RE = re.compile(rf"{_UNIT_CORE}(?:(?:、|和|与|及|,){_UNIT_CORE})*")
_BAD_UNIT = re.compile(r"^(?:市|区|县|各|全)?(?:政府|委|办|局|部|所|院|中心)$|学校|小学|中学|幼儿园|大学|学院")


def plausible_unit(name: str) -> bool:
    if len(name) < 3 or len(name) > 24:
        return False
    if _BAD_UNIT.search(name):
        return False
    return bool(_SCOPE.match(name))


def _units_in(listing: str, offset: int) -> list[Mention]:
    out = []
    for part in re.finditer(r"[^、,和与及]+", listing):
        name = part.group(0)
        if not plausible_unit(name):
            return []
        out.append(Mention(name, offset + part.start(), offset + part.end(), "unit"))
    return out


_VERB_AFTER = re.compile(
    r"牵头|负责|会同|联合|组织|统筹|对|按照|按|依据|根据|进行|制定|拨付|提供|实施|承担|开展|做好|落实|具体|协调|主办|主导|"
    r"督促|研究|编制|出台|建立|完善|向|在|与|定期|每年|于|将|及时|审核|认定|指导|管理|[。,;:)]|$"
)


def _units_at(text: str, pos: int, offset: int) -> tuple[list[Mention], int] | None:
    """The unit list starting at ``pos`` that is followed by a verb (shortest such list)."""
    limit = min(len(text), pos + 40)
    fallback = None
    ends = []
    j = pos
    while j < limit and text[j] not in "。;\n":
        j += 1
        if text[j - 1] in "局委办厅府心队司所院部组会联" and UNITS_RE.fullmatch(text, pos, j):
            ends.append(j)
    for e in ends:
        units = _units_in(text[pos:e], offset + pos)
        if not units:
            continue
        if _VERB_AFTER.match(text, e):
            return units, e
        if fallback is None:
            fallback = (units, e)
    return fallback


_BOUNDARY = set('。;,:、()\n \t"“”《》')
_LEAD_AFTER = re.compile(r"(?:牵头|负责|主责|统筹|组织实施)")
_CO_AFTER = re.compile(r"(?:配合|协助|参与|协同|协办)")
_PROSE_TRIGGER = re.compile(r"由|牵头|负责|统筹下|领导下|指导下|配合|协助|会同")


def find_prose_units(text: str, offset: int = 0) -> tuple[list[Mention], list[Mention]]:
    """(lead, co) named in prose."""
    lead: list[Mention] = []
    co: list[Mention] = []
    if not _PROSE_TRIGGER.search(text):
        return lead, co
    for m in re.finditer(r"由", text):
        found = _units_at(text, m.end(), offset)
        if not found:
            continue
        units, end = found
        tail = text[end : end + 4]
        if tail.startswith("组成") or tail.startswith("构成"):
            continue
        lead.extend(units)
        cm = re.match(r"会同|联合|协同", tail)
        if cm:
            more = _units_at(text, end + cm.end(), offset)
            if more:
                co.extend(more[0])
    for m in re.finditer(r"在(?P<u>[^在]{2,20}?)(?:统筹|领导|指导|牵头)下", text):
        units = _units_in(m.group("u"), offset + m.start("u"))
        lead.extend(units)
    for rx, bucket in ((_LEAD_AFTER, lead), (_CO_AFTER, co)):
        for m in rx.finditer(text):
            k = m.start()
            j = k
            while j > 0 and text[j - 1] not in _BOUNDARY and k - j < 40:
                j -= 1
            seg = text[j:k]
            if seg.startswith("由"):
                continue  # handled above
            if seg.startswith("会同"):
                seg, j = seg[2:], j + 2
            if not seg or not UNITS_RE.fullmatch(seg):
                continue
            units = _units_in(seg, offset + j)
            # "A、B配合": extend over the 、-joined units before
            while units and j > 1 and text[j - 1] == "、":
                jj = j - 1
                while jj > 0 and text[jj - 1] not in _BOUNDARY and j - jj < 30:
                    jj -= 1
                more = _units_in(text[jj : j - 1], offset + jj)
                if not more:
                    break
                units = more + units
                j = jj
            bucket.extend(units)
    seen = set()
    lead = [u for u in lead if not (u.name in seen or seen.add(u.name))]
    co = [u for u in co if u.name not in seen and not (u.name in seen or seen.add(u.name))]
    return lead, co
