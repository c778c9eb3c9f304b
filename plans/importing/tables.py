"""Task tables: ``序号 | 工作任务 | 牵头单位 | 责任单位 | 完成时限`` and the like.

Tables reach the parser as text lines with ``|`` between cells — that is how the
decoder writes .docx and .pdf tables, and how tables look once pasted from a web page.
Two flattenings are understood:

* one row per line: ``1 | 任务 | 市教育局 | 市财政局 | 2020年底``;
* one cell per line, each ending with ``|`` (what some sites produce), where the
  header tells the number of columns and merged cells show up as a shifted row
  (``牵头学校 | 共建学校 | (empty)``): such a row is right-aligned and the missing
  leading cells are filled from the row above.

A table is a *task table* when a column names units (牵头…, 责任…, 配合…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .unitgroups import Mention, parse_group

ROLE_PATTERNS = [
    ("label", re.compile(r"^(?:序号|编号|序|No\.?|номер)$", re.I)),
    # people (责任领导, 分管领导, 责任人) are text, never units
    ("other", re.compile(r"^(?!.*(?:单位|部门|处室|科室)).*(?:领导|负责人|责任人|联系人)")),
    ("lead", re.compile(r"牵头|主要责任|主责|主办")),
    ("co", re.compile(r"配合|协办|协助|参与|协同|共建(?:学校|单位)|成员单位|联办")),
    ("resp", re.compile(r"责任|负责|主体|承办|实施单位|主办")),
    ("due", re.compile(r"时限|时间|期限|完成|进度|节点|日期|截止")),
    ("task", re.compile(r"任务|内容|措施|事项|工作|举措|项目|目标|要求")),
]
HEADERISH = re.compile(
    r"序号|编号|任务|内容|措施|事项|单位|部门|学校|时限|时间|形式|备注|目标|项目|名称|类别|牵头|配合|责任|期限|要求|举措|领导|负责人"
)


@dataclass
class Cell:
    text: str  # display text
    mtext: str  # folded text
    start: int
    end: int
    # A cell put together from pieces that stand apart in the source (a unit cell broken
    # over lines), joined by ``sep``: so that what is read in it maps back to the source.
    pieces: tuple[Cell, ...] = ()
    sep: str = ""

    def source_offset(self, i: int) -> int:
        """Where index ``i`` of ``mtext`` stands in the source."""
        at = 0
        for piece in self.pieces:
            if i <= at + len(piece.mtext):
                return piece.start + max(0, i - at)
            at += len(piece.mtext) + len(self.sep)
        return self.start + i


@dataclass
class Row:
    cells: list[Cell]
    start: int
    end: int


@dataclass
class Table:
    header: list[str]
    roles: list[str]
    rows: list[Row] = field(default_factory=list)
    start: int = 0
    end: int = 0
    header_end: int = 0

    def col(self, role: str) -> int | None:
        return self.roles.index(role) if role in self.roles else None


def _role(h: str) -> str:
    h = re.sub(r"\s+", "", h)
    for role, rx in ROLE_PATTERNS:
        if rx.search(h):
            return role
    return "other"


def _split_line(mline: str, dline: str, offset: int) -> list[Cell]:
    cells: list[Cell] = []
    pos = 0
    parts = mline.split("|")
    for i, part in enumerate(parts):
        s = pos
        e = pos + len(part)
        pos = e + 1
        if (i == 0 or i == len(parts) - 1) and part == "":
            continue  # "| a | b |": a leading / trailing pipe, not an empty cell
        ls = len(part) - len(part.lstrip())
        rs = len(part.rstrip())
        cells.append(Cell(dline[s + ls : s + rs], part.strip(), offset + s + ls, offset + s + rs))
    return cells


def parse_table(lines: list[tuple[int, str, str]]) -> Table | None:
    """``lines``: (display offset, folded line, display line) of one ``|`` region."""
    lines = [ln for ln in lines if ln[1].strip()]
    if not lines:
        return None
    lines = [ln for ln in lines if not (re.fullmatch(r"[\s|:\-—=+]+", ln[1]) and re.search(r"[-—=]{3}", ln[1]))]
    if not lines:
        return None
    pipe_counts = [ln[1].count("|") for ln in lines]
    cell_per_line = sum(1 for ln in lines if re.fullmatch(r"[^|]*\|\s*", ln[1])) >= 0.8 * len(lines) and len(lines) >= 4
    if cell_per_line:
        cells = []
        for off, m, d in lines:
            k = m.index("|")
            raw = m[:k]
            ls = len(raw) - len(raw.lstrip())
            cells.append(Cell(d[ls : len(raw.rstrip())], raw.strip(), off + ls, off + len(raw.rstrip())))
        ncols = 0
        for c in cells:
            if c.mtext and HEADERISH.search(re.sub(r"\s+", "", c.mtext)) and ncols < 12:
                ncols += 1
            else:
                break
        if ncols < 2:
            return None
        header = [re.sub(r"\s+", "", c.mtext) for c in cells[:ncols]]
        table = Table(header, [_role(h) for h in header], start=lines[0][0], header_end=cells[ncols - 1].end)
        body = cells[ncols:]
        prev: list[Cell] | None = None
        for i in range(0, len(body), ncols):
            chunk = body[i : i + ncols]
            if len(chunk) < ncols:
                chunk = chunk + [Cell("", "", chunk[-1].end, chunk[-1].end)] * (ncols - len(chunk))
            filled = [c for c in chunk if c.mtext]
            if not filled:
                continue
            # merged leading cells: right-align the row and fill from the row above
            k = 0
            while k < ncols and chunk[ncols - 1 - k].mtext == "":
                k += 1
            if k and chunk[0].mtext:
                chunk = [Cell("", "", chunk[0].start, chunk[0].start)] * k + chunk[: ncols - k]
            if prev is not None:
                chunk = [
                    (prev[j] if (not c.mtext and table.roles[j] in ("other", "label")) else c)
                    for j, c in enumerate(chunk)
                ]
            prev = chunk
            table.rows.append(Row(chunk, min(c.start for c in filled), max(c.end for c in filled)))
        table.end = lines[-1][0] + len(lines[-1][2])
    else:
        if max(pipe_counts) < 1:
            return None
        rows = [(_split_line(m, d, off), off, off + len(d)) for off, m, d in lines]
        hi = None
        for i, (cells, _, _) in enumerate(rows[:3]):
            names = [re.sub(r"\s+", "", c.mtext) for c in cells]
            if len(names) >= 2 and sum(1 for n in names if n and HEADERISH.search(n) and len(n) <= 12) >= 2:
                hi = i
                break
        if hi is None:
            return None
        header = [re.sub(r"\s+", "", c.mtext) for c in rows[hi][0]]
        table = Table(header, [_role(h) for h in header], start=lines[0][0], header_end=rows[hi][2])
        prev = None
        for cells, s, e in rows[hi + 1 :]:
            if len(cells) < len(header):
                cells = cells + [Cell("", "", e, e)] * (len(header) - len(cells))
            cells = cells[: len(header)]
            if not any(c.mtext for c in cells):
                continue
            if prev is not None:
                cells = [(prev[j] if (not c.mtext and table.roles[j] == "other") else c) for j, c in enumerate(cells)]
            prev = cells
            table.rows.append(Row(cells, s, e))
        table.end = lines[-1][0] + len(lines[-1][2])
    if not any(r in table.roles for r in ("lead", "resp", "co")):
        return None
    if not table.rows:
        return None
    return table


def cell_units(cell: Cell) -> list[Mention]:
    """The units named in a unit column's cell; names of any shape are kept, generic words dropped."""
    group = parse_group(cell.mtext, 0, trusted=True)
    if group is None:
        return []
    mentions = group.lead + group.resp + group.co
    for m in mentions:
        m.start, m.end = cell.source_offset(m.start), cell.source_offset(m.end - 1) + 1
    return mentions
