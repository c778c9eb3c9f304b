"""The clause tree of one plan.

Numbering styles, outermost first (their canonical rank)::

    第一章/第一部分  ›  一、  ›  (一)/（一）  ›  1. / 1． / 1、  ›  1) / 1）  ›  (1)/（1）  ›  ①

Nesting follows the document: a style seen again closes everything opened after it
(it is a sibling); a new style opens a child level, except that a style of a
*higher* canonical rank first closes deeper levels.  A number is accepted as a clause
only when it fits: the next sibling (a skip of one or two numbers or a repeat is
accepted with a warning), the first item (1/一/①) of a new level, or the next number
of a style numbered continuously across sections (``(二)`` › ``5.`` after ``4.``).
Everything else that merely looks like a number (``2.连云区…`` in an attachment list,
``1.5万人``) stays text.

A boxed sidebar (``专栏3 工业大数据能力提升工程`` and the paragraphs below it) ends the
clause before it and belongs to no clause.  Clauses may start mid-line after a sentence end
(``…落实。(二)完善…``), after a unit group (``…负责)(十四)…``) or after a unit line
(``责任单位:A、B 2.``), but only as the expected next sibling or first child.  Text runs on over line breaks until the
next clause.  ``附件1`` on a line of its own opens an attachment root.  Task tables
(see :mod:`tables`) become one clause per row under the clause they stand in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .tables import Table, parse_table
from .texttables import TextTable, find_text_table
from .textutil import cn_to_int
from .unitgroups import bracket_group, line_group

STYLE_RANK = {"chap": 0, "attach": 0, "cn": 1, "pcn": 2, "num": 3, "paren1": 4, "pnum": 5, "circ": 6, "row": 9}
_CN = "一二三四五六七八九十"
MARKERS = [
    ("chap", re.compile(rf"第(?P<n>[{_CN}百零〇]{{1,4}}|\d{{1,3}})(?:章|部分)(?=\s|[\u4e00-\u9fff])")),
    ("pcn", re.compile(rf"\(\s*(?P<n>[{_CN}]{{1,3}})\s*\)\s*、?")),
    ("pnum", re.compile(r"\(\s*(?P<n>\d{1,3})\s*\)\s*、?")),
    ("cn", re.compile(rf"(?P<n>[{_CN}]{{1,3}})\s*[、.](?![\d{_CN}]\s*[、.])")),
    ("num", re.compile(r"(?P<n>\d{1,3})\s*(?:\.(?![\d.])|、)")),
    ("paren1", re.compile(r"(?P<n>\d{1,3})\)")),
    ("circ", re.compile(r"(?P<n>[①-⑳])")),
]
ATTACH_RE = re.compile(r"\s*附\s*件\s*(?P<n>\d{1,2}|[一二三四五六七八九十]{1,2})?\s*[:]?\s*$")
FURNITURE_RE = re.compile(
    r"(?:抄\s*送|抄\s*报|分\s*送)\s*[:]|\(此件[^)]{0,8}\)\s*$|[^\n。]{2,40}?(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印\s*发\s*$"
)
SIDEBAR_RE = re.compile(r"专栏\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})?\s*[:.、]?\s*\S")
MID_RE = re.compile(r"(?:[。;!?)]|\s)\s*(?=[(\d一二三四五六七八九十①-⑳⑴-⒛第])")
HEAD_STOP_RE = re.compile(r"[。;!?]")


def _closes_unit_group(mtext: str, close: int) -> bool:
    """The ``)`` at ``close`` ends a unit group: the next clause may follow it directly.

    The group may have started on the line before (a name broken by extraction).
    """
    depth = 0
    for i in range(close, max(0, close - 400) - 1, -1):
        if mtext[i] == ")":
            depth += 1
        elif mtext[i] == "(":
            depth -= 1
            if depth == 0:
                return bracket_group(mtext, i) is not None
    return False


def _after_unit_line(mtext: str, line_start: int, pos: int) -> bool:
    """``mtext[line_start:pos]`` ends a unit line, perhaps begun on the line before."""
    if line_group(mtext[line_start:pos], 0, 0) is not None:
        return True
    prev = mtext.rfind("\n", 0, max(line_start - 1, 0)) + 1
    if line_start == 0 or not mtext[prev : line_start - 1].rstrip().endswith(("、", ",")):
        return False
    g = line_group(mtext[prev:pos], 0, 0)
    return g is not None and g.end >= len(mtext[prev:pos].rstrip())


def marker_at(mtext: str, pos: int) -> tuple[str, int, int] | None:
    """(style, number, end) of a numbering marker starting exactly at ``pos``."""
    ch = mtext[pos : pos + 1]
    if not ch:
        return None
    if "⑴" <= ch <= "⒇":  # one glyph for (1) … (20)
        return "pnum", ord(ch) - ord("⑴") + 1, pos + 1
    if "⒈" <= ch <= "⒛":  # one glyph for 1. … 20.
        return "num", ord(ch) - ord("⒈") + 1, pos + 1
    for style, rx in MARKERS:
        if style == "chap" and ch != "第":
            continue
        if style in ("pcn", "pnum") and ch != "(":
            continue
        if style == "circ" and not ("①" <= ch <= "⑳"):
            continue
        m = rx.match(mtext, pos)
        if not m:
            continue
        raw = m.group("n")
        if style == "circ":
            n = ord(raw) - ord("①") + 1
        else:
            n = cn_to_int(raw) if not raw.isdigit() else int(raw)
        if not n or n > 200:
            continue
        end = m.end()
        # a marker must be followed by content on the line, or end the line
        if style in ("num", "paren1") and mtext[end : end + 1] in (
            "%",
            "万",
            "亿",
            "元",
            "年",
            "月",
            "日",
            "个",
            "所",
            "名",
        ):
            continue
        return style, n, end
    return None


@dataclass
class Node:
    label: str
    style: str
    number: int
    start: int  # display offset of the label
    label_end: int
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    end: int = 0
    heading: str = ""
    row: dict | None = None
    warnings: list[tuple[str, str, int, int]] = field(default_factory=list)

    @property
    def depth(self) -> int:
        d, p = 0, self.parent
        while p is not None:
            d, p = d + 1, p.parent
        return d

    def path(self) -> str:
        parts = []
        node: Node | None = self
        while node is not None:
            parts.append(node.label)
            node = node.parent
        return "/".join(reversed(parts))

    def ancestors(self):
        p = self.parent
        while p is not None:
            yield p
            p = p.parent


@dataclass
class ClauseTree:
    nodes: list[Node]  # document order
    tables: list[Table]
    warnings: list[tuple[str, str, int, int]] = field(default_factory=list)


class _Builder:
    def __init__(self, display: str, match: str) -> None:
        self.display = display
        self.match = match
        self.nodes: list[Node] = []
        self.stack: list[Node] = []
        self.last_of_style: dict[str, int] = {}
        self.warnings: list[tuple[str, str, int, int]] = []
        self.cuts: list[int] = []
        self.tables: list[Table] = []
        self.attach_list = 0  # last number of an "附件:1.… 2.…" list being read

    # -- acceptance
    def _accept(self, style: str, n: int, mid: bool) -> tuple[bool, Node | None, str | None]:
        """(ok, sibling-or-None, warning)."""
        sib = next((x for x in reversed(self.stack) if x.style == style), None)
        if sib is not None:
            if n == sib.number + 1:
                return True, sib, None
            if mid:
                return False, None, None
            if n in (sib.number + 2, sib.number + 3):
                return True, sib, f"编号不连续:“{sib.label.strip()}”之后是第{n}项"
            if n == sib.number:
                return True, sib, f"编号重复:第{n}项出现两次"
            if n == 1:
                return True, sib, None
            return False, None, None
        if n == 1:
            return True, None, None
        if self.last_of_style.get(style) == n - 1:
            return True, None, None
        if not mid and self.last_of_style.get(style) == n - 2:
            return True, None, f"编号不连续:第{n - 1}项未找到"
        if not mid and style not in self.last_of_style and n == 2 and style in ("cn", "chap"):
            return True, None, f"编号从第{n}项开始,可能缺少第1项"
        return False, None, None

    def _push(self, style: str, n: int, start: int, end: int, sib: Node | None, warn: str | None) -> Node:
        label = self.display[start:end].strip()
        if sib is not None:
            while self.stack and self.stack[-1] is not sib:
                self.stack.pop()
            self.stack.pop()
        else:
            rank = STYLE_RANK[style]
            while self.stack and STYLE_RANK[self.stack[-1].style] > rank and self.stack[-1].style != "attach":
                self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        node = Node(label, style, n, start, end, parent)
        if parent is not None:
            parent.children.append(node)
        if warn:
            node.warnings.append(("numbering", warn, start, end))
        self.stack.append(node)
        self.nodes.append(node)
        self.cuts.append(start)
        self.last_of_style[style] = n
        return node

    def line(self, ls: int, le: int) -> None:
        m = self.match
        i = ls
        while i < le and m[i] in " \t\u3000":
            i += 1
        if i >= le:
            return
        if self.attach_list:
            mk = marker_at(m, i)
            if mk and mk[0] == "num" and mk[1] == self.attach_list + 1 and le - i <= 60 and "。" not in m[i:le]:
                self.attach_list += 1
                return
            self.attach_list = 0
        if FURNITURE_RE.match(m, i, le):
            self.cuts.append(i)  # 抄送 / 印发 lines close the document; they are no clause's text
            return
        if m[i] == "专" and SIDEBAR_RE.match(m, i, le):
            self.cuts.append(i)  # a boxed sidebar (专栏) illustrates the clause before it; it is no task
            return
        am = ATTACH_RE.match(m, i, le) if m[i] == "附" else None
        if m[i] == "附" and am is None and m.startswith("附件", i):
            self.cuts.append(i)  # an attachment list ends the clause before it
            lm = re.match(r"附件\s*[:]?\s*(\d{1,2})\s*[.、]", m[i:le])
            self.attach_list = int(lm.group(1)) if lm else 0
            return
        if am and am.end() == le:
            n = cn_to_int(am.group("n") or "") or 1
            self.stack.clear()
            self.last_of_style.clear()
            node = Node(self.display[i:le].strip().rstrip(":："), "attach", n, i, le, None)
            self.nodes.append(node)
            self.cuts.append(i)
            self.stack.append(node)
            return
        mk = marker_at(m, i)
        if mk:
            style, n, end = mk
            ok, sib, warn = self._accept(style, n, mid=False)
            if ok:
                self._push(style, n, i, end, sib, warn)
                i = end
        # mid-line clause starts
        if le - i < 6:
            return
        for mm in MID_RE.finditer(m, i, le):
            p = mm.end()
            mk = marker_at(m, p)
            if not mk:
                continue
            style, n, end = mk
            if (
                m[mm.start()] in " \t"
                and (not self.stack or p - self.stack[-1].label_end > 30)
                and not _after_unit_line(m, ls, mm.start())
            ):
                continue  # a number inside a sentence, unless it follows a unit line (PDF text)
            if m[mm.start()] == ")" and not _closes_unit_group(m, mm.start()):
                continue
            sib = next((x for x in reversed(self.stack) if x.style == style), None)
            if sib is not None and n == sib.number + 1:
                self._push(style, n, p, end, sib, None)
            elif sib is None and n == 1 and self.stack and STYLE_RANK[style] > STYLE_RANK[self.stack[-1].style]:
                self._push(style, n, p, end, None, None)

    def table(self, region: list[tuple[int, str, str]]) -> bool:
        table = parse_table(region)
        if table is None:
            return False
        self.tables.append(table)
        self.cuts.append(table.start)
        for idx, row in enumerate(table.rows, 1):
            self._row(table, row, idx)
        return True

    def text_table(self, found: TextTable) -> None:
        """A borderless table: its rows, with its section lines kept as headings."""
        self.tables.append(found.table)
        self.cuts.append(found.table.start)
        idx = 0
        for kind, item in found.events:
            if kind == "line":
                self.line(*item)
                self.cuts.append(item[1])
            else:
                idx += 1
                self._row(found.table, item, idx)

    def _row(self, table: Table, row, idx: int) -> None:
        parent = self.stack[-1] if self.stack else None
        label_col = table.col("label")
        label = (
            row.cells[label_col].text.strip()
            if label_col is not None and row.cells[label_col].text.strip()
            else str(idx)
        )
        node = Node(label, "row", idx, row.start, row.start, parent)
        node.end = row.end
        node.row = {"table": table, "row": row}
        if parent is not None:
            parent.children.append(node)
        self.nodes.append(node)


def _may_head_a_table(match: str, pos: int, le: int) -> bool:
    line = match[pos:le].strip()
    return 0 < len(line) <= 80 and bool(re.match(r"(?:序号|编号|序)(?:\s|$)", line))


def build_tree(display: str, match: str, start: int, end: int, extra_cuts: list[int] | tuple = ()) -> ClauseTree:
    """Clause tree of ``display[start:end]`` (``match`` is its folded twin).

    ``extra_cuts``: offsets where clause text must stop (signature blocks).
    """
    b = _Builder(display, match)
    b.cuts.extend(c for c in extra_cuts if start <= c < end)
    pos = start
    region: list[tuple[int, str, str]] = []
    while pos < end:
        nl = match.find("\n", pos, end)
        le = end if nl < 0 else nl
        if "|" in match[pos:le]:
            region.append((pos, match[pos:le], display[pos:le]))
        elif region and not match[pos:le].strip():
            pass  # blank lines inside a table region
        else:
            if region:
                if not b.table(region):
                    for rs, rm, _ in region:
                        b.line(rs, rs + len(rm))
                region = []
            found = find_text_table(display, match, pos, end) if _may_head_a_table(match, pos, le) else None
            if found is not None:
                b.text_table(found)
                pos = found.end + 1
                continue
            b.line(pos, le)
        pos = le + 1
    if region and not b.table(region):
        for rs, rm, _ in region:
            b.line(rs, rs + len(rm))
    # own-text ends
    cuts = sorted(set(b.cuts + [end]))
    import bisect

    for node in b.nodes:
        if node.style == "row":
            continue
        k = bisect.bisect_right(cuts, node.start)
        e = cuts[k] if k < len(cuts) else end
        while e > node.label_end and display[e - 1] in " \t\n\u3000":
            e -= 1
        node.end = max(e, node.label_end)
        node.heading = heading_of(display[node.label_end : node.end])
    nodes = [x for x in b.nodes if not (x.style == "attach" and not x.children and x.end <= x.label_end)]
    return ClauseTree(nodes, b.tables, b.warnings)


def heading_of(own: str) -> str:
    """The clause's short title: its first sentence when short, or a title-only first line."""
    text = own.strip()
    if not text:
        return ""
    first = text.split("\n", 1)[0].strip()
    m = HEAD_STOP_RE.search(first)
    if m:
        head = first[: m.start()].strip()
        if 0 < len(head) <= 30 and "," not in head.replace("，", ","):
            return head
        return ""
    colon = re.search(r"[:：]", first)
    if colon and 0 < colon.start() <= 20 and colon.end() < len(first):
        return first[: colon.start()].strip()
    if len(first) <= 50 and "\n" in text and "," not in first.replace("，", ","):
        return first
    if len(first) <= 30 and "," not in first.replace("，", ","):
        return first
    return ""


def own_text(display: str, node: Node) -> str:
    if node.style == "row":
        return ""
    raw = display[node.label_end : node.end]
    return "\n".join(line.strip() for line in raw.split("\n") if line.strip())
