"""Entry point: ``parse_document(data) -> ParseResult``.

Pipeline: decode (bytes → text) → normalize (strip pinyin/web chrome, fold) →
segment (plans + metadata) → clause tree per plan → units, dates, phases, tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from . import dates as D
from .clauses import Node, build_tree, heading_of, own_text
from .decode import DEFAULT_MAX_BYTES, decode_document
from .defaults import plan_owner, plan_period_end
from .errors import PlanImportError
from .leadrules import decide
from .normalize import NormalizedText, normalize
from .output import Mark, ParsedClause, ParsedPhase, ParsedPlan, ParseResult, Warning
from .parts import document_conventions, split_at_groups, unnumbered_measures
from .prose import find_prose_units
from .registry import Registry, default_registry
from .segment import PlanSegment, segment
from .tables import cell_units
from .textutil import fold
from .unitgroups import Mention, UnitGroup, find_groups

TASK_SECTION_RE = re.compile(
    r"任务|措施|举措|重点工作|工作重点|主要工作|工作内容|实施内容|主要内容|建设内容|步骤|行动|工程|项目|计划安排|分工"
)
NON_TASK_SECTION_RE = re.compile(
    r"指导思想|总体要求|基本原则|目标|保障|组织领导|组织实施|组织机构|实施要求|工作要求|有关要求|实施范围|适用范围|总则|附则|背景|意义|现状|形势"
)
RawWarning = tuple[str, str, int, int]


@dataclass
class _Units:
    lead: list[Mention] = field(default_factory=list)
    co: list[Mention] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.lead or self.co)


@dataclass
class _Info:
    node: Node
    own: _Units = field(default_factory=_Units)
    eff_lead: list[str] = field(default_factory=list)
    eff_co: list[str] = field(default_factory=list)
    inherited: bool = False
    warnings: list[RawWarning] = field(default_factory=list)
    marks: list[tuple[str, int, int, str | None]] = field(default_factory=list)
    covers_children: bool = False  # its units came from a line closing its sub-items


def parse_document(
    data: bytes | str,
    *,
    filename: str | None = None,
    registry: Registry | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ParseResult:
    """Parse uploaded bytes (or text) into plans, clauses and tasks.

    Raises :class:`PlanImportError` (and nothing else) when the input cannot be read.
    """
    decoded = decode_document(data, filename=filename, max_bytes=max_bytes)
    try:
        return parse_text(decoded.text, registry=registry, source_kind=decoded.kind, encoding=decoded.encoding)
    except PlanImportError:
        raise
    except Exception as exc:  # pragma: no cover - defensive: the fuzz tests assert this never happens
        raise PlanImportError("解析文件时发生内部错误,请联系管理员。", "internal_error") from exc


def parse_text(
    text: str, *, registry: Registry | None = None, source_kind: str = "text", encoding: str | None = None
) -> ParseResult:
    registry = registry or default_registry()
    norm = normalize(text)
    if not norm.match.strip():
        raise PlanImportError("文件中没有可识别的正文内容。", "empty")
    segs, doc_warnings = segment(norm)
    result = ParseResult([], [], text, source_kind, encoding)
    for w in doc_warnings:
        result.warnings.append(_warn(norm, w))
    for seg in segs:
        result.plans.append(_parse_plan(norm, seg, registry))
    return result


def _warn(norm: NormalizedText, w: RawWarning) -> Warning:
    code, msg, s, e = w
    return Warning(code, msg, norm.span_to_source(s, e))


def _is_unit_line(match: str, s: int, e: int) -> bool:
    """The line ``match[s:e]`` holds nothing but a unit group, bracketed or not."""
    line = match[s:e]
    body = line.strip(" \t\u3000。;")
    if not body:
        return False
    groups = find_groups(line, s)
    return len(groups) == 1 and groups[0].end - groups[0].start >= len(body)


def _parse_plan(norm: NormalizedText, seg: PlanSegment, registry: Registry) -> ParsedPlan:
    display, match = norm.display, norm.match
    plan = ParsedPlan(
        seg.title, seg.doc_number, seg.issuer, seg.issued_on, span=norm.span_to_source(seg.start, seg.end)
    )
    for w in seg.warnings:
        plan.warnings.append(_warn(norm, w))
    tree = build_tree(display, match, seg.body_start, seg.end, extra_cuts=seg.cuts)
    for w in tree.warnings:
        plan.warnings.append(_warn(norm, w))
    nodes = tree.nodes or unnumbered_measures(display, match, seg.body_start, seg.end)
    if not nodes:
        plan.warnings.append(
            Warning(
                "no_clauses",
                "未找到编号条款(如“一、”“(一)”“1.”),无法拆分任务;该文件可能不是实施方案正文(例如新闻稿),请人工核对。",
                norm.span_to_source(seg.start, seg.end),
            )
        )
    covering: set[int] = set()
    groups = _place_groups(match, seg, nodes, covering)
    nodes, groups = split_at_groups(display, match, nodes, groups)
    infos = [_Info(n, covers_children=id(n) in covering) for n in nodes]
    by_node = {id(i.node): i for i in infos}
    conventions = document_conventions(match, seg.body_start, seg.end, [g for gs in groups for g in gs])

    for k, info in enumerate(infos):
        n = info.node
        if n.style == "row":
            info.own = _row_units(n)
            continue
        for group in groups[k]:
            decision = decide(group, conventions.at(group))
            info.own.lead.extend(decision.lead)
            info.own.co.extend(decision.co)
            info.marks.append(("units", group.start, group.end, None))
            if decision.rule == "assumed":
                info.warnings.append(
                    (
                        "lead_assumed",
                        "单位说明未注明牵头单位,已按惯例把列第一位的单位作为牵头单位,请核对。",
                        group.start,
                        group.end,
                    )
                )
        if not groups[k]:
            lead, co = find_prose_units(match[n.label_end : n.end], n.label_end)
            info.own.lead.extend(lead)
            info.own.co.extend(co)

    # ---- resolve names, inheritance
    cities = seg.cities
    for info in infos:
        lead, co = [], []
        for bucket, role, names in ((lead, "lead", info.own.lead), (co, "co", info.own.co)):
            for u in names:
                res = registry.resolve(u.name, cities=cities)
                if res.kind == "unknown":
                    odd = u.kind == "unknown"  # kept after a keyword, not shaped like a unit
                    why = "不在单位名录中,也不像常见的单位名称" if odd else "不在单位名录中"
                    info.warnings.append(
                        ("unknown_unit", f"单位“{res.canonical}”{why},已按原文保留,请核对。", u.start, u.end)
                    )
                info.marks.append((role, u.start, u.end, res.canonical))
                if res.canonical not in lead and res.canonical not in bucket:
                    bucket.append(res.canonical)
        co = [c for c in co if c not in lead]
        info.eff_lead, info.eff_co = lead, co
    for info in infos:  # document order: parents come first
        if not info.eff_lead and not info.eff_co and info.node.parent is not None:
            parent = by_node.get(id(info.node.parent))
            if parent and (parent.eff_lead or parent.eff_co):
                info.eff_lead, info.eff_co = list(parent.eff_lead), list(parent.eff_co)
                info.inherited = True

    # ---- build clauses
    for info in infos:
        plan.clauses.append(_build_clause(norm, info, seg, by_node))
    _propose_plan_defaults(norm, plan, seg, registry)
    return plan


def _propose_plan_defaults(norm: NormalizedText, plan: ParsedPlan, seg: PlanSegment, registry: Registry) -> None:
    """Work clauses without a lead or a date get the plan's issuer and period end, flagged."""
    owner = plan_owner(seg.issuer, seg.title, norm.match[seg.body_start : seg.end])
    owner_name = registry.resolve(owner, cities=seg.cities).canonical if owner else None
    period_end = plan_period_end(seg.title)
    for clause in plan.clauses:
        if not clause.is_task:
            continue
        at = (clause.span[0], clause.span[0])
        if not clause.lead and owner_name:
            clause.lead = [owner_name]
            clause.co = [c for c in clause.co if c != owner_name]
            clause.warnings = [w for w in clause.warnings if w.code != "task_without_unit"]
            clause.warnings.append(
                Warning(
                    "lead_from_issuer",
                    f"条款未写明牵头单位,暂以方案的牵头或发文单位“{owner_name}”为牵头单位,请核对。",
                    at,
                )
            )
        if clause.due is None and not clause.recurrence and not period_end:
            clause.warnings.append(
                Warning("task_without_due", "该任务没有找到完成时限,请补充,或标为长期、按周期报送。", at)
            )
        elif clause.due is None and not clause.recurrence:
            clause.due = period_end
            clause.warnings.append(
                Warning(
                    "due_from_plan_period",
                    f"条款未写明完成时限,暂以方案期末{period_end.year}年12月31日为完成时限,请核对。",
                    at,
                )
            )


def _place_groups(match: str, seg: PlanSegment, nodes: list[Node], covering: set[int]) -> list[list[UnitGroup]]:
    """The unit groups of each clause's own text.

    A unit line that stands between two clauses belongs to the one before it, unless
    the document puts its unit lines above the clauses they name (more unit lines
    open a clause than close one).
    """
    groups: list[list[UnitGroup]] = []
    trailing: list[tuple[int, int] | None] = []
    for n in nodes:
        if n.style == "row":
            groups.append([])
            trailing.append(None)
            continue
        groups.append(find_groups(match[n.label_end : n.end], n.label_end))
        last_nl = match.rfind("\n", n.label_end, n.end)
        trailing.append((last_nl + 1, n.end) if last_nl >= 0 and _is_unit_line(match, last_nl + 1, n.end) else None)
    first_start = nodes[0].start if nodes else seg.end
    pre = [
        g
        for g in find_groups(match[seg.body_start : first_start], seg.body_start)
        if _is_unit_line(match, match.rfind("\n", 0, g.start) + 1, g.end)
    ]
    before_votes = 1 if pre else 0
    after_votes = 0
    for k, n in enumerate(nodes):
        if trailing[k] is None:
            continue
        nxt = nodes[k + 1] if k + 1 < len(nodes) else None
        if nxt is not None and nxt.parent is n and nxt.style != "row":
            if len(match[n.label_end : trailing[k][0]].strip()) <= 40:
                before_votes += 1
        elif nxt is None or nxt.depth < n.depth:
            after_votes += 1
    if before_votes > after_votes:
        moved: dict[int, list[UnitGroup]] = {}
        for k in range(len(nodes)):
            if trailing[k] is None or k + 1 >= len(nodes):
                continue
            s0 = trailing[k][0]
            moved.setdefault(k + 1, []).extend(g for g in groups[k] if g.start >= s0)
            groups[k] = [g for g in groups[k] if g.start < s0]
        if pre and nodes:
            moved.setdefault(0, []).extend(pre)
        for k, extra in moved.items():
            groups[k] = extra + groups[k]
    elif before_votes and after_votes:
        for k, n in enumerate(nodes):
            nxt = nodes[k + 1] if k + 1 < len(nodes) else None
            if trailing[k] and nxt is not None and nxt.depth == n.depth:
                n.warnings.append(
                    (
                        "unit_ambiguous",
                        "单位说明单独成行,位于两个条款之间,无法确定属于上一条还是下一条,已归入上一条,请核对。",
                        *trailing[k],
                    )
                )
    _lift_closing_lines(nodes, groups, trailing, covering)
    return groups


def _lift_closing_lines(
    nodes: list[Node], groups: list[list[UnitGroup]], trailing: list, covering: set[int]
) -> None:
    """A unit line after the last sub-item of a clause, whose sub-items name no unit of
    their own, covers them all: it belongs to the clause, the sub-items inherit it and are
    the tasks (the clause, recorded in ``covering``, is their heading)."""
    index = {id(n): k for k, n in enumerate(nodes)}
    for k, n in enumerate(nodes):
        parent = n.parent
        if trailing[k] is None or parent is None or parent.children[-1] is not n or id(parent) not in index:
            continue
        siblings = [index[id(c)] for c in parent.children if id(c) in index and c is not n]
        closing = [g for g in groups[k] if g.start >= trailing[k][0]]
        if not siblings or not closing or any(groups[j] for j in siblings) or len(closing) != len(groups[k]):
            continue
        p = index[id(parent)]
        groups[p] = groups[p] + closing
        groups[k] = []
        covering.add(id(parent))


def _row_units(n: Node) -> _Units:
    table = n.row["table"]
    row = n.row["row"]
    units = _Units()
    lead_c, resp_c, co_c = table.col("lead"), table.col("resp"), table.col("co")
    if lead_c is not None:
        units.lead.extend(cell_units(row.cells[lead_c]))
    if resp_c is not None:
        names = cell_units(row.cells[resp_c])
        if units.lead or lead_c is not None:
            units.co.extend(names)
        elif co_c is not None:
            units.lead.extend(names)  # 责任单位 beside 配合单位: the responsible units lead
        else:
            units.lead.extend(names[:1])
            units.co.extend(names[1:])
    if co_c is not None:
        units.co.extend(cell_units(row.cells[co_c]))
    return units


def _section_kind(node: Node) -> str | None:
    """'task' / 'non_task' / None from the nearest ancestor heading that says."""
    for anc in node.ancestors():
        h = fold(anc.heading)
        if not h:
            continue
        if NON_TASK_SECTION_RE.search(h):
            return "non_task"
        if TASK_SECTION_RE.search(h):
            return "task"
    return None


def _build_clause(norm: NormalizedText, info: _Info, seg: PlanSegment, by_node: dict) -> ParsedClause:
    n = info.node
    display, match = norm.display, norm.match
    warnings = list(n.warnings) + info.warnings
    phases: list[ParsedPhase] = []
    phases_raw: list[D.PhaseHit] = []
    if n.style == "row":
        table = n.row["table"]
        row = n.row["row"]
        task_c, due_c = table.col("task"), table.col("due")
        parts = []
        for h, c in zip(table.header, row.cells, strict=False):
            if c.text.strip():
                parts.append(f"{h}:{c.text.strip()}")
        text = "\n".join(parts)
        heading = heading_of(row.cells[task_c].text) if task_c is not None else ""
        if due_c is not None and row.cells[due_c].mtext:
            c = row.cells[due_c]
            due_info = D.resolve_due(c.mtext, seg.issued_on)
            off = c.start
        elif task_c is not None:
            c = row.cells[task_c]
            due_info = D.resolve_due(c.mtext, seg.issued_on)
            off = c.start
        else:
            due_info, off = D.DueInfo(), 0
        due_text = match[off + due_info.due_span[0] : off + due_info.due_span[1]] if due_info.due_span else ""
        due_text = display[off + due_info.due_span[0] : off + due_info.due_span[1]] if due_info.due_span else ""
        for code, msg, s, e in due_info.warnings:
            warnings.append((code, msg, off + s, off + e))
        is_task = True
        span = norm.span_to_source(row.start, row.end)
        if not (info.eff_lead or info.eff_co):
            warnings.append(("task_without_unit", "表格行没有填写牵头或责任单位。", row.start, row.end))
        clause = ParsedClause(
            n.label,
            n.path(),
            heading,
            text,
            info.eff_lead,
            info.eff_co,
            due_info.due,
            due_text,
            due_info.recurrence,
            phases,
            [],
            span,
            is_task,
            n.depth,
            n.parent.path() if n.parent else None,
            info.inherited,
        )
        clause.warnings = _dedupe([_warn(norm, w) for w in warnings])
        if due_info.due_span:
            info.marks.append(("due", off + due_info.due_span[0], off + due_info.due_span[1], None))
        clause.marks = _marks(norm, info.marks)
        return clause

    own_m = match[n.label_end : n.end]
    due_info = D.resolve_due(own_m, seg.issued_on)
    off = n.label_end
    for code, msg, s, e in due_info.warnings:
        # typo warnings inside phase lines are reported by the phase
        warnings.append((code, msg, off + s, off + e))
    # phases: one per line (the clause's own first line included)
    pos = n.label_end
    while pos < n.end:
        nl = match.find("\n", pos, n.end)
        le = n.end if nl < 0 else nl
        line = match[pos:le]
        if "阶段" in line:
            lead_ws = len(line) - len(line.lstrip())
            ph = (
                D.find_phase(line.strip(), pos + lead_ws)
                if pos != n.label_end
                else D.find_phase(line.strip(), pos + lead_ws)
            )
            if ph is not None:
                phases_raw.append(ph)
                s, e = ph.span
                phases.append(
                    ParsedPhase(
                        ph.kind, display[ph.name_span[0] : ph.name_span[1]], ph.start, ph.end, display[s:e].strip()
                    )
                )
                for w in ph.warnings:
                    if not any(x[0] == w[0] and x[2] == w[2] for x in warnings):
                        warnings.append(w)
        pos = le + 1
    due, due_text = (
        due_info.due,
        (display[off + due_info.due_span[0] : off + due_info.due_span[1]] if due_info.due_span else ""),
    )
    ends = [p for p in phases_raw if p.end]
    if ends:
        last = max(ends, key=lambda p: p.end)
        due = last.end
        due_text = display[last.date_span[0] : last.date_span[1]] if last.date_span else last.name
    if due is None and due_info.recurrence and not due_info.due_span:
        due_text = ""
    # typo'd dates inside phase texts were reported twice (clause + phase): keep one
    has_units = bool(info.eff_lead or info.eff_co)
    own_units = bool(info.own)
    leaf = not n.children
    section = _section_kind(n)
    # A leaf that sets out a phased schedule (实施步骤 with 筹备/实施/总结 phases) is work to follow too.
    scheduled = bool(phases) and section != "non_task"
    is_task = (own_units and not info.covers_children) or (
        leaf and n.style != "attach" and ((has_units and info.inherited) or section == "task" or scheduled)
    )
    if is_task and not has_units:
        warnings.append(("task_without_unit", "该任务条款没有找到牵头或责任单位,请补充。", n.start, n.label_end))
    s, e = norm.span_to_source(n.start, n.end)
    clause = ParsedClause(
        n.label,
        n.path(),
        n.heading,
        own_text(display, n),
        info.eff_lead,
        info.eff_co,
        due,
        due_text,
        due_info.recurrence,
        phases,
        [],
        (s, e),
        is_task,
        n.depth,
        n.parent.path() if n.parent else None,
        info.inherited,
    )
    clause.warnings = _dedupe([_warn(norm, w) for w in warnings])
    marks = list(info.marks)
    if ends and last.date_span:
        marks.append(("due", last.date_span[0], last.date_span[1], None))
    elif due_info.due_span:
        marks.append(("due", off + due_info.due_span[0], off + due_info.due_span[1], None))
    for ph in phases_raw:
        marks.append(("phase", ph.name_span[0], ph.name_span[1], None))
        if ph.date_span:
            marks.append(("date", ph.date_span[0], ph.date_span[1], None))
    clause.marks = _marks(norm, marks)
    return clause


def _marks(norm: NormalizedText, raw: list[tuple[str, int, int, str | None]]) -> list[Mark]:
    """Marks in source offsets, in document order, each span once per kind."""
    out, seen = [], set()
    for kind, s, e, unit in sorted(raw, key=lambda m: (m[1], -m[2])):
        if e <= s or (kind, s, e) in seen:
            continue
        seen.add((kind, s, e))
        span = norm.span_to_source(s, e)
        out.append(Mark(kind, span, norm.source[span[0] : span[1]], unit))
    return out


def _dedupe(ws: list[Warning]) -> list[Warning]:
    seen = set()
    out = []
    for w in ws:
        key = (w.code, w.span)
        if key in seen:
            continue
        seen.add(key)
        out.append(w)
    return out


def preview(result: ParseResult) -> dict:
    """A compact summary (counts per plan) for import previews and benchmarks."""
    return {
        "plans": [
            {
                "title": p.title,
                "clauses": len(p.clauses),
                "tasks": len(p.tasks),
                "warnings": len(p.warnings) + sum(len(c.warnings) for c in p.clauses),
            }
            for p in result.plans
        ],
        "warnings": len(result.warnings),
    }


__all__ = ["parse_document", "parse_text", "preview", "date"]
