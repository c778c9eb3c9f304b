"""Task tables that lost their cell borders on the way: no ``|``, only lines and spaces.

Web pages and PDFs hand over a task table in two shapes besides ``|`` cells:

* **one cell per line**: the header cells on lines of their own (``序号`` / ``重点工作任务``
  / ``主要责任单位`` / ``协同配合单位``), then each row as its number on a line and its
  cells on the lines below, blank lines between;
* **one row per line**: the header on one line with spaces between the cells
  (``序号 重点工作任务 主要责任单位 协同配合单位``), each row starting with its number
  (``1 地区生产总值增长6.5%左右。 区发改委 区政府各部门,…``); a unit cell that holds
  two units may break onto lines of its own (``区财政局`` / ``区税务局``).

A header is a run of short header words that names a unit column (牵头…, 责任…,
配合…) and a task column.  A row is everything from its number to the next number or
section line (``一、…``, which stays a heading of the clause tree).  The first cell that
is not a unit list is the task; the unit lists after it fill the unit columns from the
last one back, and any more of them belong to the first unit column (a cell that broke
over several lines).  A column of people (分管领导) is kept as text, never as units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .tables import HEADERISH, Cell, Row, Table, _role
from .unitgroups import parse_group

_ROW_NO = re.compile(r"(?P<n>\d{1,4})(?=\s|$)")
_SECTION = re.compile(r"[一二三四五六七八九十]{1,3}\s*[、.]")
_HEADER_WORD_MAX = 12


@dataclass
class TextTable:
    table: Table
    events: list[tuple[str, object]]  # ("row", Row) or ("line", (start, end)) in order
    end: int


def _header_word(word: str) -> bool:
    w = re.sub(r"\s+", "", word)
    return 0 < len(w) <= _HEADER_WORD_MAX and bool(HEADERISH.search(w))


def _lines(match: str, pos: int, end: int) -> list[tuple[int, int]]:
    out = []
    while pos < end:
        nl = match.find("\n", pos, end)
        le = end if nl < 0 else nl
        out.append((pos, le))
        pos = le + 1
    return out


def _stripped(match: str, s: int, e: int) -> tuple[int, int]:
    while s < e and match[s] in " \t\u3000":
        s += 1
    while e > s and match[e - 1] in " \t\u3000":
        e -= 1
    return s, e


def _is_unit_table(header: list[str]) -> bool:
    roles = [_role(h) for h in header]
    return len(header) >= 3 and "task" in roles and any(r in roles for r in ("lead", "resp", "co"))


def find_text_table(display: str, match: str, pos: int, end: int) -> TextTable | None:
    """A borderless task table whose header starts on the line at ``pos``, or ``None``."""
    lines = _lines(match, pos, end)
    if not lines:
        return None
    s, e = _stripped(match, *lines[0])
    if s >= e or "|" in match[s:e]:
        return None
    words = [(m.start() + s, m.end() + s) for m in re.finditer(r"\S+", match[s:e])]
    header_cells: list[tuple[int, int]]
    if len(words) >= 3 and all(_header_word(match[a:b]) for a, b in words):
        header_cells, body_from, per_line = words, 1, False
    else:
        header_cells, k = [], 0
        while k < len(lines):
            a, b = _stripped(match, *lines[k])
            if a < b:
                if not _header_word(match[a:b]) or " " in match[a:b].strip():
                    break
                header_cells.append((a, b))
            k += 1
        body_from, per_line = k, True
    header = [re.sub(r"\s+", "", match[a:b]) for a, b in header_cells]
    if not _is_unit_table(header):
        return None
    table = Table(header, [_role(h) for h in header], start=header_cells[0][0], header_end=header_cells[-1][1])
    events: list[tuple[str, object]] = []
    row_lines: list[tuple[int, int]] = []
    table_end = header_cells[-1][1]

    def close_row() -> None:
        if row_lines:
            row = _row(display, match, table, row_lines, per_line)
            if row is not None:
                table.rows.append(row)
                events.append(("row", row))
            row_lines.clear()

    for ls, le in lines[body_from:]:
        a, b = _stripped(match, ls, le)
        if a >= b:
            continue
        text = match[a:b]
        if _SECTION.match(text) and len(text) <= 60:
            close_row()
            events.append(("line", (ls, le)))
            table_end = le
            continue
        if _ROW_NO.match(text) and (not per_line or _ROW_NO.fullmatch(text)):
            close_row()
        elif not row_lines:
            break  # prose after the table
        row_lines.append((a, b))
        table_end = le
    close_row()
    if not table.rows:
        return None
    table.end = table_end
    return TextTable(table, events, table_end)


def _is_units(text: str) -> bool:
    g = parse_group(text)
    return g is not None and not g.roles_given and not g.keyword


def _row(display: str, match: str, table: Table, row_lines: list[tuple[int, int]], per_line: bool) -> Row | None:
    first_s, first_e = row_lines[0]
    m = _ROW_NO.match(match, first_s)
    number = Cell(display[m.start() : m.end()], m.group(), m.start(), m.end())
    pieces: list[tuple[int, int]] = []
    if per_line:
        pieces = list(row_lines[1:])
    else:
        rest = [(m.end(), first_e)] + list(row_lines[1:])
        for a, b in rest:
            pieces.extend((x.start() + a, x.end() + a) for x in re.finditer(r"\S+", match[a:b]))
    cells = [Cell(display[a:b], match[a:b], a, b) for a, b in pieces]
    roles = table.roles
    label_col = table.col("label")
    task_col = table.col("task")
    if task_col is None:
        return None
    unit_cols = [j for j, r in enumerate(roles) if r in ("lead", "resp", "co")]
    other_cols = [j for j, r in enumerate(roles) if j > task_col and r not in ("lead", "resp", "co")]
    # the task runs until the first unit list; a people column sits between task and units
    k = 0
    task_parts: list[Cell] = []
    while k < len(cells) and not _is_units(cells[k].mtext):
        task_parts.append(cells[k])
        k += 1
    out: list[Cell] = [Cell("", "", first_s, first_s) for _ in roles]
    if label_col is not None:
        out[label_col] = number
    if not task_parts:
        return None
    if per_line and other_cols and len(task_parts) > 1:
        for j, c in zip(other_cols, task_parts[1:], strict=False):
            out[j] = c
        task_parts = task_parts[:1]
    out[task_col] = _join(task_parts)
    units = cells[k:]
    if unit_cols and units:
        tail = units[-(len(unit_cols) - 1) :] if len(unit_cols) > 1 and len(units) > 1 else []
        head = units[: len(units) - len(tail)]
        assigned = [head] + [[c] for c in tail]
        for j, group in zip(unit_cols, assigned, strict=False):
            out[j] = _join(group, "、")
    start = first_s
    end = max(c.end for c in cells) if cells else first_e
    return Row(out, start, end)


def _join(cells: list[Cell], sep: str = "") -> Cell:
    if len(cells) == 1:
        return cells[0]
    text = sep.join(c.text for c in cells)
    mtext = sep.join(c.mtext for c in cells)
    return Cell(text, mtext, cells[0].start, cells[-1].end, tuple(cells), sep)
