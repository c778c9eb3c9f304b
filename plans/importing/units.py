"""Finding lead (牵头) and co (配合) units in clause text.

Forms understood (all on *folded* text, offsets relative to the string given):

* unit notes, in brackets or on a line of their own::

    (责任单位:A、B、C,列第一位的单位为牵头单位,下同)   first listed leads; 下同 carries the rule on
    (责任单位:A,B、C。逗号前为牵头单位,下同)           units before the comma lead
    (牵头单位:A;配合单位:B、C)                        explicit roles
    牵头单位:A 责任单位:B                            on a line of its own

* prose: ``由市教育局牵头`` / ``由市教育局负责制定…`` / ``市教育局牵头,市财政局配合`` /
  ``由A会同B`` / ``在市教育局统筹下``.

A unit list without a stated rule is read with the rule in force (set by an earlier
note with 下同), else the first unit leads (and the plan gets one ``lead_assumed``
warning).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

KW = (
    r"(?:牵头单位|牵头部门|牵头处室|牵头科室|牵头领导|责任单位|责任部门|责任处室|责任科室|责任主体|配合单位|配合部门|"
    r"配合处室|配合科室|协办单位|协助单位|"
    r"参与单位|协同单位|主责单位|主办单位|承办单位|实施单位|实施主体|负责单位|负责部门|牵头|配合|责任)"
)
NOTE_KW_RE = re.compile(KW + r"\s*[:]")
CONV_FIRST_RE = re.compile(
    r"(?:列|排|排列)?(?:在)?(?:第一|首)(?:位|个|家)?的?(?:单位|部门)?(?:为|是|系)(?:牵头|主责)(?:单位|部门)?"
)
CONV_SEP_RE = re.compile(
    r"(?P<sep>逗号|分号|顿号|冒号)(?:之)?前(?:的)?(?:单位|部门)?(?:为|是)(?:牵头|主责)(?:单位|部门)?"
)
CARRY_RE = re.compile(r"下同")
SEP_CHARS = {"逗号": ",", "分号": ";", "顿号": "、", "冒号": ":"}
ITEM_SPLIT_RE = re.compile(r"[、,;/]|\s+")
TRAIL_RE = re.compile(
    r"(?:等(?:单位|部门|相关单位|相关部门|有关单位|有关部门)?"
    r"|(?:按|按照)?(?:属地|职责|职能|管理权限|职责分工)?(?:分工)?(?:分别)?(?:负责|落实|实施)?"
    r"|按职责分工负责|分别负责|负责)$"
)

ROLE_OF_KW = {
    "牵头": "lead",
    "主责": "lead",
    "配合": "co",
    "协办": "co",
    "协助": "co",
    "参与": "co",
    "协同": "co",
}


def kw_role(kw: str) -> str:
    for k, role in ROLE_OF_KW.items():
        if kw.startswith(k):
            return role
    return "resp"


@dataclass
class UnitName:
    name: str  # folded text as written
    start: int
    end: int


@dataclass
class UnitNote:
    start: int
    end: int
    lead: list[UnitName] = field(default_factory=list)
    co: list[UnitName] = field(default_factory=list)
    resp: list[UnitName] = field(default_factory=list)
    resp_text: str = ""
    resp_offset: int = 0
    convention: tuple[str, str] | None = None  # ("first", "") | ("sep", ",")
    carry: bool = False


def split_units(text: str, offset: int = 0) -> list[UnitName]:
    out: list[UnitName] = []
    pos = 0
    for m in list(ITEM_SPLIT_RE.finditer(text)) + [None]:
        e = m.start() if m else len(text)
        item = text[pos:e]
        s = pos
        pos = m.end() if m else len(text)
        stripped = item.strip(" \t。.:")
        stripped = TRAIL_RE.sub("", stripped).strip()
        if stripped.count("(") != stripped.count(")"):
            if stripped.startswith("("):
                stripped = stripped[1:]
            if stripped.endswith(")") and stripped.count("(") < stripped.count(")"):
                stripped = stripped[:-1]
        if not stripped:
            continue
        if len(stripped) < 2 or len(stripped) > 30 or not re.search(r"[\u4e00-\u9fff]", stripped):
            continue
        k = item.find(stripped[:2])
        k = max(k, 0)
        out.append(UnitName(stripped, offset + s + k, offset + s + k + len(stripped)))
    return out


def _close_paren(text: str, open_pos: int) -> int:
    depth = 0
    for i in range(open_pos, min(len(text), open_pos + 600)):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        elif ch == "\n":
            return i
    return min(len(text), open_pos + 600)


def find_notes(text: str, offset: int = 0) -> list[UnitNote]:
    """Unit notes in ``text`` (folded)."""
    notes: list[UnitNote] = []
    pos = 0
    while True:
        m = NOTE_KW_RE.search(text, pos)
        if not m:
            break
        # bracketed?
        k = m.start() - 1
        while k >= 0 and text[k] in " \t":
            k -= 1
        if k >= 0 and text[k] == "(":
            start = k
            close = _close_paren(text, k)
            end = close + 1 if close < len(text) and text[close] == ")" else close
            inner_s, inner_e = m.start(), close
        else:
            # a bare note: only at the start of a line (or after a sentence end)
            before = text[max(0, m.start() - 1) : m.start()]
            line_start = text.rfind("\n", 0, m.start()) + 1
            if text[line_start : m.start()].strip() and before not in ("。", ";", " ", "\t", ",", ")"):
                pos = m.end()
                continue
            start = m.start()
            nl = text.find("\n", m.start())
            end = len(text) if nl < 0 else nl
            inner_s, inner_e = m.start(), end
        note = UnitNote(offset + start, offset + end)
        inner = text[inner_s:inner_e]
        kws = list(NOTE_KW_RE.finditer(inner))
        for i, km in enumerate(kws):
            part_s = km.end()
            part_e = kws[i + 1].start() if i + 1 < len(kws) else len(inner)
            part = inner[part_s:part_e]
            conv_at = len(part)
            c1 = CONV_FIRST_RE.search(part)
            c2 = CONV_SEP_RE.search(part)
            if c2:
                note.convention = ("sep", SEP_CHARS[c2.group("sep")])
                conv_at = min(conv_at, c2.start())
            if c1:
                note.convention = note.convention or ("first", "")
                conv_at = min(conv_at, c1.start())
            if CARRY_RE.search(part):
                note.carry = True
                conv_at = min(conv_at, CARRY_RE.search(part).start())
            listing = part[:conv_at]
            listing = re.sub(r"[,;。\s]+$", "", listing)
            role = kw_role(km.group(0))
            base = offset + inner_s + part_s
            names = split_units(listing, base)
            if role == "lead":
                note.lead.extend(names)
            elif role == "co":
                note.co.extend(names)
            else:
                note.resp.extend(names)
                note.resp_text = listing
                note.resp_offset = base
        if note.lead or note.co or note.resp:
            notes.append(note)
        pos = max(m.end(), end if end > m.start() else m.end())
    return notes


def apply_convention(note: UnitNote, convention: tuple[str, str] | None) -> tuple[list[UnitName], list[UnitName]]:
    """(lead, co) of a note, reading its 责任单位 list with ``convention``."""
    lead = list(note.lead)
    co = list(note.co)
    if note.resp:
        if lead:
            co = [u for u in note.resp if u.name not in {x.name for x in lead}] + co
        elif convention and convention[0] == "sep" and convention[1] in note.resp_text:
            cut = note.resp_offset + note.resp_text.index(convention[1])
            lead = [u for u in note.resp if u.start < cut]
            co = [u for u in note.resp if u.start >= cut] + co
        else:
            lead = note.resp[:1]
            co = note.resp[1:] + co
    return lead, co


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


def _units_in(listing: str, offset: int) -> list[UnitName]:
    out = []
    for part in re.finditer(r"[^、,和与及]+", listing):
        name = part.group(0)
        if not plausible_unit(name):
            return []
        out.append(UnitName(name, offset + part.start(), offset + part.end()))
    return out


_VERB_AFTER = re.compile(
    r"牵头|负责|会同|联合|组织|统筹|对|按照|按|依据|根据|进行|制定|拨付|提供|实施|承担|开展|做好|落实|具体|协调|主办|主导|"
    r"督促|研究|编制|出台|建立|完善|向|在|与|定期|每年|于|将|及时|审核|认定|指导|管理|[。,;:)]|$"
)


def _units_at(text: str, pos: int, offset: int) -> tuple[list[UnitName], int] | None:
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


def find_prose_units(text: str, offset: int = 0) -> tuple[list[UnitName], list[UnitName]]:
    """(lead, co) named in prose."""
    lead: list[UnitName] = []
    co: list[UnitName] = []
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
