"""Unit groups: the spans of a plan that say who does the work.

A unit group is a run of text made of unit names (see :mod:`unitnames`) joined by
``、，,；;/及和与`` and role words, with or without a ``keyword:`` prefix::

    （A、B、C负责）                      （A、B等相关部门按职责分工负责）
    （A牵头，B、C配合）                  （A、B牵头，各地区按职责分工负责）
    （A会同有关部门负责）                （各省级人民政府负责）
    （责任单位：A、B，各市人民政府）      （牵头单位：A；参加单位：B、C）
    (责任科室:A、B)                      责任单位:A、B、C。      (a line of its own)

Where a group may stand (:func:`find_groups`):

* any bracketed segment: with a keyword or role word anywhere, or, for a bare list of
  names, where it closes a sentence (``…。（A、B）`` or ``…（A、B）。``);
* a ``keyword:`` segment that starts a line or follows a sentence end, to the line end;
* a line, or the last sentence of a line, made only of unit names and role words (a
  bare list of names on a line is a roster, such as 学校A与学校B, not a unit note).

Inside a group (:func:`parse_group`) each comma- or semicolon-separated part takes the
role of the word that closes it (牵头/主责/主办 lead; 配合/协办/协助/参与/参加/协同 co;
负责/分工负责/落实 responsible) or else of the keyword before it (牵头单位: lead,
配合单位/参加单位: co, 责任单位: responsible).  ``A会同B`` makes A lead and B co.
``等``, ``按职责分工``, ``有关部门``, ``相关部门``, ``各有关单位`` are dropped: they
name nobody.  Who then leads is decided by :mod:`leadrules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .unitnames import COLLECTIVE_TAIL_RE, classify, squeeze

Role = str  # "lead" | "co" | "resp"

_ROLE_STEMS = r"牵头|主责|主办|承办|责任|负责|实施|配合|协办|协助|参与|参加|协同|联办"
# 责任单位: / 牵头部门为: / 【牵头单位】 / [配合单位]:
KEYWORD_RE = re.compile(
    rf"(?:[【\[〔]\s*(?P<bkw>(?:{_ROLE_STEMS})(?:单位|部门|处室|科室|主体|机构|科|处|分工)?)\s*[】\]〕]\s*:?"
    rf"|(?P<kw>(?:{_ROLE_STEMS})(?:单位|部门|处室|科室|主体|机构|科|处|分工)?)\s*(?:为)?\s*[:])"
)
# Parts of a group that are not units: a deadline, a contact.
_OTHER_KEY_RE = re.compile(
    r"(?:完成|办结|截止)?(?:时限|时间|期限|节点)\s*[:]|(?:牵头|分管|责任|包保|联系)?(?:领导|责任人|负责人|人)\s*[:]"
)
CONV_FIRST_RE = re.compile(
    r"(?:列|排|排列|名列)?(?:在)?(?:第一|首)(?:位|个|家|名)?的?(?:单位|部门|处室|科室)?(?:为|是|系)(?:牵头|主责)(?:单位|部门|处室|科室)?"
)
CONV_SEP_RE = re.compile(
    r"(?P<sep>逗号|分号|顿号|冒号)(?:之)?前(?:的)?(?:单位|部门)?(?:为|是)(?:牵头|主责)(?:单位|部门)?"
)
CARRY_RE = re.compile(r"下同")
SEP_CHARS = {"逗号": ",", "分号": ";", "顿号": "、", "冒号": ":"}


def convention_of(m: re.Match) -> tuple[str, str]:
    """The lead rule a CONV_FIRST_RE or CONV_SEP_RE match states: ("first", "") or ("sep", ",")."""
    return ("sep", SEP_CHARS[m.group("sep")]) if m.re is CONV_SEP_RE else ("first", "")

_LEAD_WORDS = ("牵头负责", "总牵头", "牵头", "主责", "主办", "负总责")
_CO_WORDS = ("配合", "协办", "协助", "参与", "参加", "协同", "联办", "支持")
_RESP_WORDS = ("负责", "落实", "实施", "承办")
# The words that close a part, with what may stand before them (等…, 按职责分工 …).
_TAIL_RE = re.compile(
    r"(?:等(?:相关|有关)?(?:部门|单位|机构)?)?(?:(?:按|按照|根据)(?:各自)?(?:职责|职能|属地|管理权限)(?:分工)?)?"
    r"(?:分工|分别|分头|共同|具体|负责)?"
    r"(?P<role>" + "|".join(_LEAD_WORDS + _CO_WORDS + _RESP_WORDS) + r")$"
)
_TRAIL_NOISE_RE = re.compile(
    r"(?:等(?:相关|有关)?(?:部门|单位|机构)?|(?:按|按照)(?:各自)?(?:职责|职能|属地)(?:分工)?)$"
)
# A role written after one name: 市教育局(牵头)、市财政局.
_INLINE_ROLE_RE = re.compile(r"^(?P<name>.+?)\((?P<role>牵头|主责|主办|配合|协办|协助|负责)(?:单位|部门)?\)$")
# What a form writes in an empty unit field.
_NOBODY = frozenset({"无", "暂无", "-", "—", "——", "/", "空"})
_ANY_ROLE_RE = re.compile("|".join(_LEAD_WORDS + _CO_WORDS + _RESP_WORDS + ("会同", "联合", ":")))
_JOIN_SPLIT_RE = re.compile(r"以及|及|和|与")


OPENERS = {"(": ")", "【": "】", "[": "]", "〔": "〕"}
_CLOSERS = frozenset(OPENERS.values())


def _depths(text: str) -> list[int]:
    """How deep inside brackets each character stands (a bracket itself counts as outside)."""
    out, depth = [], 0
    for ch in text:
        if ch in _CLOSERS:
            depth = max(0, depth - 1)
        out.append(depth)
        if ch in OPENERS:
            depth += 1
    return out


def _outside_brackets(pattern: str, text: str) -> list[tuple[str, int]]:
    """(match, start) of ``pattern`` in ``text``, with , ; 。 inside brackets kept in a match."""
    masked = "".join("\x00" if d and ch in ",;。" else ch for ch, d in zip(text, _depths(text), strict=True))
    return [(text[m.start() : m.end()], m.start()) for m in re.finditer(pattern, masked)]


def _role_of_word(word: str) -> Role:
    if word in _LEAD_WORDS:
        return "lead"
    if word in _CO_WORDS:
        return "co"
    return "resp"


def _role_of_keyword(kw: str) -> Role:
    """牵头单位 → lead, 参加单位 → co, 责任单位 → responsible: the role of the word it starts with."""
    return next((_role_of_word(w) for w in _LEAD_WORDS + _CO_WORDS if kw.startswith(w)), "resp")


@dataclass
class Mention:
    """A unit as written in a group: its squeezed text and where it stands."""

    name: str
    start: int
    end: int
    kind: str  # unit | collective | unknown


@dataclass
class UnitGroup:
    start: int
    end: int
    lead: list[Mention] = field(default_factory=list)
    co: list[Mention] = field(default_factory=list)
    resp: list[Mention] = field(default_factory=list)
    keyword: bool = False
    roles_given: bool = False
    convention: tuple[str, str] | None = None  # ("first", "") | ("sep", ",")
    carry: bool = False
    resp_text: str = ""  # the responsible list as written, for a ``sep`` convention
    resp_offset: int = 0

    @property
    def mentions(self) -> list[Mention]:
        return self.lead + self.co + self.resp


def _items(text: str, offset: int) -> list[tuple[str, int, int]]:
    """Items of a list separated by 、,/ outside brackets (各县(市、区)政府 is one item)."""
    out = []
    pos = 0
    cuts = [i for i, (ch, d) in enumerate(zip(text, _depths(text), strict=True)) if not d and ch in "、,;/"]
    for e in cuts + [len(text)]:
        raw = text[pos:e]
        lead_ws = len(raw) - len(raw.lstrip())
        item = raw.strip()
        if item:
            out.append((item, offset + pos + lead_ws, offset + pos + lead_ws + len(item)))
        pos = e + 1
    return out


def _split_joined(item: str, s: int) -> list[tuple[str, int, int]] | None:
    """``交通运输部及各地区`` → both names, cutting only at joiners that have a name on
    each side (``工业和信息化部`` stays whole); ``None`` when no such cut exists."""
    cuts = list(_JOIN_SPLIT_RE.finditer(item))
    if not cuts:
        return None

    def split(pos: int) -> list[tuple[str, int, int]] | None:
        rest = item[pos:].strip()
        if classify(_strip_noise(rest)):
            whole = [(rest, s + pos, s + len(item))]
        else:
            whole = None
        for m in cuts:
            if m.start() <= pos:
                continue
            left = item[pos : m.start()].strip()
            if left and classify(_strip_noise(left)):
                tail = split(m.end())
                if tail is not None:
                    return [(left, s + pos, s + m.start())] + tail
        return whole

    pieces = split(0)
    return pieces if pieces is not None and len(pieces) > 1 else None


def _split_spaced(item: str, s: int, trusted: bool) -> list[tuple[str, int, int]] | None:
    """``市教育局 市财政局`` → two names; a name broken by a line or a space stays one.

    In a table's unit column every piece of three characters or more is taken as a name.
    """
    if not re.search(r"\s", item):
        return None
    pieces = [(m.group(), s + m.start(), s + m.end()) for m in re.finditer(r"\S+", item)]
    if len(pieces) > 1 and all(
        classify(p) in ("unit", "collective") or (trusted and len(p) >= 3) for p, _, _ in pieces
    ):
        return pieces
    return None


def _strip_noise(item: str) -> str:
    item = item.strip(" \t\n\"'“”。.:")
    item = re.sub(r"^(?:由|请|要求)", "", item)
    prev = None
    while prev != item:
        prev = item
        item = _TRAIL_NOISE_RE.sub("", item).strip()
    return item


@dataclass
class _Part:
    role: Role
    items: list[tuple[str, int, int]]
    keyed: bool = False  # after a keyword, where names of any shape are units
    sentence: int = 0  # how many full stops stand before it in the group


def _parse_part(text: str, offset: int, role: Role) -> tuple[list[_Part], bool]:
    """The named items of one comma-separated part, with their role; (parts, role word seen)."""
    body = text.rstrip(" \t\n。.")
    given = False
    tail = _TAIL_RE.search(body)
    if tail:
        role = _role_of_word(tail.group("role"))
        given = True
        body = body[: tail.start()]
    # A会同B: A leads, B works with it.
    for with_m in re.finditer(r"会同|联合", body):
        left, right = body[: with_m.start()], body[with_m.end() :]
        left_items, right_items = _items(left, offset), _items(right, offset + with_m.end())
        if left_items and right_items and all(classify(_strip_noise(x)) for x, _, _ in left_items + right_items):
            return [_Part("lead", left_items), _Part("co", right_items)], True
    return [_Part(role, _items(body, offset))], given


def parse_group(
    text: str, offset: int = 0, *, need_keyword_or_role: bool = False, trusted: bool = False
) -> UnitGroup | None:
    """Read ``text`` as a unit group; see :func:`_parse_flat`.  Line breaks that extraction
    put inside the group (``(责\n任科室:A、B)``) are read through."""
    if "\n" not in text:
        return _parse_flat(text, offset, need_keyword_or_role=need_keyword_or_role, trusted=trusted)
    keep = [i for i, ch in enumerate(text) if ch != "\n"]
    flat = "".join(text[i] for i in keep)
    group = _parse_flat(flat, 0, need_keyword_or_role=need_keyword_or_role, trusted=trusted)
    if group is None:
        return None

    def at(i: int) -> int:
        return offset + (keep[i] if i < len(keep) else len(text))

    def at_end(i: int) -> int:
        return offset + (keep[i - 1] + 1 if i > 0 else 0)

    for m in group.mentions:
        m.start, m.end = at(m.start), at_end(m.end)
    group.start, group.end = offset, offset + len(text)
    _note_responsible_list(group, text, offset)
    return group


def _note_responsible_list(group: UnitGroup, text: str, offset: int) -> None:
    """Keep the responsible list as written, for a ``逗号前为牵头单位`` rule to cut."""
    if group.resp:
        group.resp_text = text[group.resp[0].start - offset : group.resp[-1].end - offset]
        group.resp_offset = group.resp[0].start


def _parse_flat(
    text: str, offset: int = 0, *, need_keyword_or_role: bool = False, trusted: bool = False
) -> UnitGroup | None:
    """Read ``text`` (folded, without its brackets) as a unit group, or ``None``.

    Every item must be a unit name, a collective or a generic word, and at least one must
    name somebody.  After a ``keyword:`` prefix, or in a unit column of a table
    (``trusted``), names of unknown shape are kept too.
    """
    if not text.strip() or len(text) > 400:
        return None
    if need_keyword_or_role and not _ANY_ROLE_RE.search(text):
        return None
    group = UnitGroup(offset, offset + len(text))
    # conventions stated inside the group are not units
    spans = []
    for rx in (CONV_FIRST_RE, CONV_SEP_RE, CARRY_RE):
        for m in rx.finditer(text):
            spans.append(m.span())
            if rx is CARRY_RE:
                group.carry = True
            elif rx is CONV_SEP_RE or group.convention is None:  # a comma rule wins over first-listed
                group.convention = convention_of(m)
    masked = list(text)
    for s, e in spans:
        for i in range(s, e):
            masked[i] = ";"
    text_m = "".join(masked)
    # cut at keywords; text before the first keyword is read as responsible
    pieces: list[tuple[Role, int, int, bool]] = []  # role, start, end, after a keyword
    kws = list(KEYWORD_RE.finditer(text_m))
    others = list(_OTHER_KEY_RE.finditer(text_m))
    marks = sorted(
        [(m.start(), m.end(), _role_of_keyword(m.group("kw") or m.group("bkw"))) for m in kws]
        + [(m.start(), m.end(), "skip") for m in others]
    )
    pos, role, keyed = 0, "resp", False
    for s, e, r in marks:
        if s > pos:
            pieces.append((role, pos, s, keyed))
        pos, role, keyed = e, r, r != "skip"
    pieces.append((role, pos, len(text_m), keyed))
    group.keyword = bool(kws)
    parts: list[_Part] = []
    full_stops = [i for i, ch in enumerate(_bracketed_blank(text_m)) if ch == "。"]
    for role, s, e, keyed in pieces:
        if role == "skip":
            continue
        for chunk, at in _outside_brackets(r"[^,;。]+", text_m[s:e]):
            if not chunk.strip():
                continue
            got, given = _parse_part(chunk, offset + s + at, role)
            group.roles_given |= given
            sentence = sum(1 for i in full_stops if i < s + at)
            for part in got:
                part.keyed = keyed
                part.sentence = sentence
            parts.extend(got)
    total = _Tally()
    buckets = {"lead": group.lead, "co": group.co, "resp": group.resp}
    by_sentence: dict[int, list[_Part]] = {}
    for part in parts:
        by_sentence.setdefault(part.sentence, []).append(part)
    for sentence, sentence_parts in sorted(by_sentence.items()):
        read = _read_parts(sentence_parts, trusted)
        if read is None:
            if sentence == 0 or not total.named:
                return None
            continue  # a remark after the note (具体任务…不再分工), not units
        placed, tally = read
        for role, mention in placed:
            buckets[role].append(mention)
        total.add(tally)
    group.roles_given |= total.marked
    if need_keyword_or_role and not (group.keyword or group.roles_given):
        return None
    if total.named == 0:
        # (各有关部门分工负责): a unit note that names nobody still closes its measure
        return group if total.generic and (group.keyword or group.roles_given) else None
    if total.unknown > max(1, total.named // 2) and not (trusted or group.keyword):
        return None
    _note_responsible_list(group, text, offset)
    return group


@dataclass
class _Tally:
    """What the items of a group turned out to be."""

    named: int = 0
    unknown: int = 0  # named, but not shaped like a unit
    generic: int = 0  # 有关部门 and the like
    marked: bool = False  # a role written after a name: 市教育局(牵头)

    def add(self, other: _Tally) -> None:
        self.named += other.named
        self.unknown += other.unknown
        self.generic += other.generic
        self.marked |= other.marked


def _read_parts(parts: list[_Part], trusted: bool) -> tuple[list[tuple[Role, Mention]], _Tally] | None:
    """The mentions of one sentence of a group with their roles, or ``None`` when an item
    is no name."""
    placed: list[tuple[Role, Mention]] = []
    total = _Tally()
    for index, part in enumerate(parts):
        read = _read_part(part, trusted)
        if read is None:
            if index > 0 and total.named and not part.keyed and _REMARK_PART_RE.search(_part_text(part)):
                continue  # (A、B按职责分工负责,年内持续推进): a remark on time or progress
            return None
        mentions, inline, tally = read
        placed.extend(inline)
        placed.extend((part.role, m) for m in mentions)
        total.add(tally)
    return placed, total


_REMARK_PART_RE = re.compile(r"\d|年|月|底|前|持续|长期|推进|完成|落实|实施")


def _part_text(part: _Part) -> str:
    return "".join(item for item, _, _ in part.items)


def _read_part(part: _Part, trusted: bool) -> tuple[list[Mention], list[tuple[Role, Mention]], _Tally] | None:
    """The names of one part: (mentions, mentions with a role of their own, tally)."""
    mentions: list[Mention] = []
    inline: list[tuple[Role, Mention]] = []
    tally = _Tally()
    for item, s, e in part.items:
        pieces = _split_joined(item, s) or _split_spaced(item, s, trusted) or [(item, s, e)]
        for raw, ps, pe in pieces:
            name = squeeze(_strip_noise(raw))
            item_role = None
            marked = _INLINE_ROLE_RE.match(name)
            if marked:
                name, item_role = marked.group("name"), _role_of_word(marked.group("role"))
            if not name or name in _NOBODY:
                continue
            kind = classify(name)
            if kind == "generic":
                tally.generic += 1
                continue
            if kind is None:
                if not (part.keyed or trusted) or not _plausible_unknown(name):
                    return None
                kind = "unknown"
                tally.unknown += 1
            if mentions and mentions[-1].kind == "collective" and COLLECTIVE_TAIL_RE.match(name):
                mentions[-1].name = f"{mentions[-1].name}、{name}"
                mentions[-1].end = pe
                continue
            k = max(raw.find(name[:1]), 0)
            mention = Mention(name, ps + k, ps + k + len(name), kind)
            if item_role:
                inline.append((item_role, mention))
                tally.marked = True
            else:
                mentions.append(mention)
            tally.named += 1
    return mentions, inline, tally


def _bracketed_blank(text: str) -> str:
    """``text`` with what stands inside brackets blanked, offsets kept."""
    return "".join(" " if d else ch for ch, d in zip(text, _depths(text), strict=True))


_REMARK_RE = re.compile(r"不|要|应|须|均|做|涉及|进行|按照|根据|由于|如果|以上|以下|其中|具体")


def _plausible_unknown(name: str) -> bool:
    """A name of unknown shape after a keyword: short, Chinese, and no words of a remark."""
    return 2 <= len(name) <= 30 and bool(re.fullmatch(r"[\u4e00-\u9fff“”()]+", name)) and not _REMARK_RE.search(name)


# ---------------------------------------------------------------- where groups stand

_SENTENCE_END = "。;!?"


def _close(text: str, open_pos: int) -> int | None:
    """Index of the bracket closing ``text[open_pos]``, within one paragraph."""
    depth = 0
    opener = text[open_pos]
    closer = OPENERS[opener]
    limit = min(len(text), open_pos + 400)
    for i in range(open_pos, limit):
        ch = text[i]
        if ch == opener:
            depth += 1
        elif ch == closer:
            depth -= 1
            if depth == 0:
                return i
        elif ch == "\n" and text[i + 1 : i + 2] == "\n":
            return None
    return None


def _closes_sentence(text: str, start: int, end: int) -> bool:
    j = end
    while j < len(text) and text[j] in " \t\u3000":
        j += 1
    if j >= len(text) or text[j] in _SENTENCE_END + "\n(" or text[j].isdigit():
        return True
    k = start - 1
    while k >= 0 and text[k] in " \t\u3000":
        k -= 1
    return k < 0 or text[k] in _SENTENCE_END + "\n"


def bracket_group(text: str, open_pos: int, offset: int = 0) -> UnitGroup | None:
    """The unit group in the brackets opening at ``text[open_pos]``, if they hold one."""
    close = _close(text, open_pos)
    if close is None:
        return None
    inner = text[open_pos + 1 : close]
    group = parse_group(inner, offset + open_pos + 1)
    if group is None:
        return None
    if not (group.keyword or group.roles_given):
        if not _closes_sentence(text, open_pos, close + 1):
            return None
        if classify(text[max(0, open_pos - 3) : open_pos]) == "unit":
            return None  # an abbreviation: 省工业和信息化厅（省工信厅）
    group.start, group.end = offset + open_pos, offset + close + 1
    return group


def find_groups(text: str, offset: int = 0) -> list[UnitGroup]:
    """Every unit group in ``text`` (folded), in order, without overlaps."""
    found: list[UnitGroup] = []
    i, n, line_start = 0, len(text), 0
    while i < n:
        ch = text[i]
        g = None
        if i == line_start:
            g = line_group(text, i, offset)
        if g is None and ch == "\n":
            i = line_start = i + 1
            continue
        if g is None and ch in OPENERS:
            g = bracket_group(text, i, offset)
        if g is None and ch in _SENTENCE_END and i + 1 < n:
            g = _sentence_group(text, i + 1, offset)
        if g is None:
            i += 1
            continue
        found.append(g)
        i = g.end - offset
    return _merge_adjacent(found, text, offset)


def _merge_adjacent(groups: list[UnitGroup], text: str, offset: int) -> list[UnitGroup]:
    """``牵头单位:A`` and ``配合单位:B`` on lines of their own are one note."""
    out: list[UnitGroup] = []
    for g in groups:
        prev = out[-1] if out else None
        if prev is not None and not text[prev.end - offset : g.start - offset].strip(" \t\n\u3000,;。、"):
            if (prev.keyword and g.keyword) or (prev.roles_given and g.roles_given):
                prev.end = g.end
                prev.lead += g.lead
                prev.co += g.co
                if g.resp and not prev.resp:
                    prev.resp_text, prev.resp_offset = g.resp_text, g.resp_offset
                prev.resp += g.resp
                prev.convention = prev.convention or g.convention
                prev.carry = prev.carry or g.carry
                continue
        out.append(g)
    return out


def _line_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl


def _rest_of_line(text: str, pos: int) -> tuple[int, int, str]:
    """(start, end, text) of the line from ``pos``, without its leading and trailing blanks."""
    j = pos
    while j < len(text) and text[j] in " \t\u3000":
        j += 1
    end = _line_end(text, j)
    return j, end, text[j:end].rstrip()


def _spanning(text: str, start: int, offset: int) -> UnitGroup | None:
    """``text`` read as a group that spans all of it."""
    g = parse_group(text, offset + start, need_keyword_or_role=True)
    if g is not None:
        g.start, g.end = offset + start, offset + start + len(text)
    return g


def line_group(text: str, pos: int, offset: int) -> UnitGroup | None:
    """A whole line that is a unit group (``责任单位:A、B。``, ``A牵头,B配合``)."""
    j, end, line = _rest_of_line(text, pos)
    if not line or (line[0] in OPENERS and not KEYWORD_RE.match(line)):
        return None
    if len(line) > 300 or (re.search(r"[。!?].", line) and not KEYWORD_RE.match(line)):
        return None  # prose: sentences go on after a full stop
    # a list broken after a separator goes on on the next line (PDF text)
    while line[-1] in "、,;" and end < len(text):
        nxt_end = _line_end(text, end + 1)
        nxt = text[end + 1 : nxt_end].rstrip()
        if not nxt.strip() or len(line) + len(nxt) > 300:
            break
        line = text[j:nxt_end].rstrip()
        end = nxt_end
    # a bare list of names on a line is a roster (学校A与学校B), not a unit note
    return _spanning(line, j, offset)


def _sentence_group(text: str, pos: int, offset: int) -> UnitGroup | None:
    """The last sentence of a line, when it is a unit group (``…工作。责任单位:A、B``)."""
    j, _, sentence = _rest_of_line(text, pos)
    if not sentence or sentence[0] in OPENERS:
        return None
    body = sentence.rstrip("。.")
    if len(body) > 200 or any(ch in body for ch in "。!?"):
        return None
    if not (KEYWORD_RE.search(body) or _TAIL_RE.search(body)):
        return None
    return _spanning(sentence, j, offset)
