"""Measures inside a clause, one per unit group, and the document's lead rule.

Plans often put several measures in one numbered paragraph, each closed by its own
unit group::

    1.推动政务服务数字化转型。…体系(A、B牵头,C配合)。加强整合共享成果应用。…(D牵头)。

Each group then closes a task of its own (:func:`split_at_groups`):

* the clause keeps the text up to its first group, heading included;
* every later group closes a part: a child clause labelled ``1-2``, ``1-3`` … from the
  end of the previous group to the end of its own;
* when the clause's first line is a heading alone and the groups stand in the
  paragraphs below it, every paragraph with its group is a part and the clause
  keeps its heading;
* text after the last group stays with the part before it, unless it is a paragraph of
  its own that names units in prose (``由A会同B…``): then it is a last part.

One group after several paragraphs closes them all: a clause with one group is not
split.  Only groups that close a sentence or a line split a clause.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .clauses import Node, heading_of
from .prose import find_prose_units
from .unitgroups import CONV_FIRST_RE, CONV_SEP_RE, UnitGroup, convention_of, find_groups

_TRIM = " \t\n\u3000。;,.、"


def _closes(match: str, g: UnitGroup, limit: int) -> bool:
    j = g.end
    while j < limit and match[j] in " \t\u3000":
        j += 1
    return j >= limit or match[j] in "。;\n" or match[j - 1] in "。;"


def _part_label(parent: Node, k: int) -> str:
    core = parent.label.strip().rstrip(".、．﹒") or str(parent.number)
    return f"{core}-{k}"


def _skip(match: str, pos: int, limit: int) -> int:
    while pos < limit and match[pos] in _TRIM:
        pos += 1
    return pos


def split_at_groups(
    display: str, match: str, nodes: list[Node], groups: list[list[UnitGroup]]
) -> tuple[list[Node], list[list[UnitGroup]]]:
    """Nodes with the parts of each multi-group clause inserted after it, and their groups."""
    out_nodes: list[Node] = []
    out_groups: list[list[UnitGroup]] = []
    for node, gs in zip(nodes, groups, strict=True):
        out_nodes.append(node)
        closing = [g for g in gs if _closes(match, g, node.end)]
        if len(closing) < 2 or node.style == "row":
            out_groups.append(gs)
            continue
        first_nl = match.find("\n", node.label_end, node.end)
        first_line = match[node.label_end : first_nl].strip() if first_nl >= 0 else ""
        heading_alone = (
            0 <= first_nl < closing[0].start
            and 0 < len(first_line) <= 40
            and not re.search(r"[。;!?]", first_line.rstrip("。"))
        )
        bounds: list[tuple[int, int, list[UnitGroup]]] = []
        pos = first_nl + 1 if heading_alone else node.label_end
        for g in closing:
            seg = [x for x in gs if pos <= x.start and x.end <= g.end]
            stop = g.end + 1 if match[g.end : g.end + 1] in ("。", ";") else g.end  # the full stop after it
            bounds.append((pos, min(stop, node.end), seg))
            pos = min(stop, node.end)
        tail_start = _skip(match, pos, node.end)
        tail_own_paragraph = "\n" in match[pos:tail_start]
        if tail_start < node.end and tail_own_paragraph and any(find_prose_units(match[tail_start : node.end])):
            bounds.append((pos, node.end, []))  # a paragraph of its own that names its units in prose
        elif tail_start < node.end:
            s0, _, seg = bounds[-1]
            bounds[-1] = (s0, node.end, seg)
        if heading_alone:  # the clause keeps its heading, every paragraph is a part
            node.end, own, parts, first = first_nl, [], bounds, 1
        else:  # the clause keeps its first measure
            node.end, own, parts, first = bounds[0][1], bounds[0][2], bounds[1:], 2
        out_groups.append(own)
        for i, (s, e, seg) in enumerate(parts):
            s = _skip(match, s, e)
            while e > s and match[e - 1] in " \t\n\u3000":
                e -= 1
            part = Node(_part_label(node, first + i), "part", first + i, s, s, node)
            part.end = e
            part.heading = heading_of(display[s:e])
            node.children.insert(i, part)  # parts come from the clause's own text, before its sub-items
            out_nodes.append(part)
            out_groups.append(seg)
    return out_nodes, out_groups


def unnumbered_measures(display: str, match: str, start: int, end: int) -> list[Node]:
    """A plan without numbered clauses whose paragraphs close with unit groups: each such
    paragraph is a measure of its own, numbered in order (``1``, ``2`` …)."""
    closing = [g for g in find_groups(match[start:end], start) if _closes(match, g, end)]
    nodes: list[Node] = []
    pos = start
    for g in closing:
        # the first measure starts on the line of its group: the lines above are the preamble
        s = _skip(match, max(pos, match.rfind("\n", pos, g.start) + 1) if not nodes else pos, g.end)
        node = Node(str(len(nodes) + 1), "part", len(nodes) + 1, s, s)
        node.end = g.end
        node.heading = heading_of(display[s : g.end])
        nodes.append(node)
        pos = g.end
    return nodes if len(nodes) >= 2 else []


@dataclass
class Conventions:
    """The document's lead rule in force at each place of the plan."""

    starts: list[int]
    rules: list[tuple[str, str] | None]

    def at(self, group: UnitGroup) -> tuple[str, str] | None:
        k = bisect.bisect_right(self.starts, group.start) - 1
        return self.rules[k] if k >= 0 else None


def document_conventions(match: str, start: int, end: int, groups: list[UnitGroup]) -> Conventions:
    """Lead rules that carry on: stated in a group with 下同, or outside every group."""
    events: list[tuple[int, tuple[str, str]]] = []
    ordered = sorted(groups, key=lambda g: g.start)
    starts = [g.start for g in ordered]
    for rx in (CONV_FIRST_RE, CONV_SEP_RE):
        for m in rx.finditer(match, start, end):
            k = bisect.bisect_right(starts, m.start()) - 1
            if k >= 0 and m.start() < ordered[k].end:  # stated inside a group
                if ordered[k].carry:
                    events.append((ordered[k].start, convention_of(m)))
            else:
                events.append((m.start(), convention_of(m)))
    events.sort()
    return Conventions([e[0] for e in events], [e[1] for e in events])
