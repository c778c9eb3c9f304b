"""Corrections a supervisor makes to an import preview before confirming it.

The preview is the importer's JSON (see `import_plan --format json`) with an
`id` on each plan and clause. A correction names a clause by those ids
(`{"plan": 0, "clause": 3, "lead": [...]}`) and gives the fields to replace.
Everything is validated before anything changes, so a bad batch leaves the
preview as it was.

Clause boundaries are corrected with two structural edits:
- `{"plan": 0, "clause": 5, "merge_with_previous": true}` joins clause 5 to the
  clause before it (text, span, units and phases), for an item the importer cut in two;
- `{"plan": 0, "clause": 5, "split_at": 40, "label": "3."}` cuts clause 5 after the
  40th character of its text into two sibling clauses, the second labelled "3.",
  for two items the importer ran together.
Both renumber the clauses after them: send a structural edit on its own and read
the new ids from the answer.

One correction may change many clauses at once: instead of `clause` it names
`clauses` (a list of ids) or `select` (`{"warning": "task_without_unit"}`: every
clause carrying that warning; `{"section": "二、"}`: a clause and everything
under it), with the fields to set on each. A plan-level `{"plan": 0,
"accept_defaults": true}` accepts the lead and due date the importer proposed
(`lead_from_issuer`, `due_from_plan_period`); `"dismiss": ["numbering"]` on a
clause marks those warnings as checked.

After every batch the warnings are recomputed (plans/checklist.py): one that a
correction resolved is gone, never left stale.
"""

import copy
from datetime import date

from core.dates import RANGE_MESSAGE, in_range
from core.errors import DomainError
from org.models import Department
from plans.checklist import accept_defaults, refresh_warnings
from plans.readiness import DUE_KINDS, REPORTING_CADENCES

PHASE_KINDS = {"preparation", "operation", "evaluation"}
# Bulk corrections set these on every selected clause; text and boundaries are edited one clause at a time.
BULK_FIELDS = {"lead", "co", "due", "due_kind", "reporting_cadence", "phase_kind", "is_task", "dismiss"}
TEXT_FIELDS = {"heading": 300, "text": 20000, "due_text": 200, "recurrence": 50}
PLAN_FIELDS = {"title": 300, "doc_number": 100, "issuer": 200}


INVALID = "invalid_correction"


def _date_or_none(value, what: str):
    if value in (None, ""):
        return None
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(f"{what}“{value}”不是有效日期,请按 2026-06-30 的格式填写。", INVALID) from None
    if not in_range(day):
        raise DomainError(f"{what}“{value}”超出范围:{RANGE_MESSAGE}", INVALID)
    return day.isoformat()


def _names(value, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(n, str) and n.strip() for n in value):
        raise DomainError(f"{what}应为单位名称列表。", INVALID)
    limit = Department._meta.get_field("name").max_length
    too_long = [n.strip() for n in value if len(n.strip()) > limit]
    if too_long:
        raise DomainError(f"{what}“{too_long[0][:20]}…”超过 {limit} 字,单位名称不能这么长。", INVALID)
    return [n.strip() for n in value]


def _text(value, field: str, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise DomainError(f"字段 {field} 应为不超过 {limit} 字的文本。", INVALID)
    return value


def _phases(value) -> list[dict]:
    if not isinstance(value, list):
        raise DomainError("阶段应为列表。", INVALID)
    phases = []
    for phase in value:
        if not isinstance(phase, dict) or phase.get("kind") not in PHASE_KINDS:
            raise DomainError("阶段类型应为 筹备(preparation)、运行(operation) 或 评估(evaluation)。", INVALID)
        start = _date_or_none(phase.get("start"), "阶段开始日期")
        end = _date_or_none(phase.get("end"), "阶段结束日期")
        if start and end and start > end:
            raise DomainError("阶段开始日期不能晚于结束日期。", INVALID)
        phases.append(
            {
                "kind": phase["kind"],
                "name": _text(phase.get("name", ""), "name", 100),
                "start": start,
                "end": end,
                "text": _text(phase.get("text", ""), "text", 200),
            }
        )
    return phases


def _correct_clause(clause: dict, fields: dict) -> None:
    for field, value in fields.items():
        if field in ("lead", "co"):
            clause[field] = _names(value, "牵头单位" if field == "lead" else "配合单位")
        elif field == "due":
            clause["due"] = _date_or_none(value, "完成时限")
        elif field == "is_task":
            clause["is_task"] = bool(value)
        elif field == "phases":
            clause["phases"] = _phases(value)
        elif field == "due_kind":
            clause["due_kind"] = _choice(value, DUE_KINDS, "时限类型")
        elif field == "reporting_cadence":
            clause["reporting_cadence"] = _choice(value, REPORTING_CADENCES, "报送周期")
        elif field == "phase_kind":
            kind = _choice(value, {k: k for k in PHASE_KINDS}, "阶段类型")
            clause["phases"] = [{**phase, "kind": kind} for phase in clause.get("phases") or []]
        elif field == "dismiss":
            codes = _codes(value)
            clause["warnings"] = [w for w in clause.get("warnings") or [] if w.get("code") not in codes]
        elif field in TEXT_FIELDS:
            clause[field] = _text(value, field, TEXT_FIELDS[field])
        else:
            raise DomainError(f"不能修改字段 {field}。", INVALID)


def _choice(value, choices: dict, what: str) -> str:
    if value not in choices:
        raise DomainError(
            f"{what}应为:" + "、".join(f"{label}({key})" for key, label in choices.items()) + "。", INVALID
        )
    return value


def _codes(value) -> set[str]:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise DomainError("要标为已核对的提示应为提示代码列表。", INVALID)
    return set(value)


def _parent_path(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _has_children(clauses: list[dict], clause: dict) -> bool:
    return any(c is not clause and c.get("path", "").startswith(clause.get("path", "") + "/") for c in clauses)


def _merge_with_previous(clauses: list[dict], index: int) -> None:
    if index == 0:
        raise DomainError("第一条条款前面没有可以合并的条款。", INVALID)
    clause, previous = clauses[index], clauses[index - 1]
    if _has_children(clauses, clause):
        raise DomainError("该条款有下级条款,不能合并到上一条。", INVALID)
    previous["text"] = (previous.get("text", "") + clause.get("text", ""))[: TEXT_FIELDS["text"]]
    previous["span"] = [previous["span"][0], max(previous["span"][1], clause["span"][1])]
    for role in ("lead", "co"):
        previous[role] = previous.get(role, []) + [n for n in clause.get(role, []) if n not in previous.get(role, [])]
    previous["phases"] = previous.get("phases", []) + clause.get("phases", [])
    previous["warnings"] = previous.get("warnings", []) + clause.get("warnings", [])
    previous["marks"] = previous.get("marks", []) + clause.get("marks", [])
    previous["due"] = max(filter(None, (previous.get("due"), clause.get("due"))), default=None)
    previous["is_task"] = bool(previous.get("is_task") or clause.get("is_task"))
    del clauses[index]


def _split(clauses: list[dict], index: int, at, label) -> None:
    clause = clauses[index]
    text = clause.get("text", "")
    if not isinstance(at, int) or not 0 < at < len(text):
        raise DomainError(f"拆分位置应在 1 到 {max(len(text) - 1, 1)} 之间。", INVALID)
    label = _text(label, "label", 20).strip() if label is not None else ""
    if not label:
        raise DomainError("请填写拆分出的新条款的编号,如 3.。", INVALID)
    parent = _parent_path(clause.get("path", ""))
    path = f"{parent}/{label}" if parent else label
    if any(c.get("path") == path for c in clauses):
        raise DomainError(f"编号 {label} 与同级条款重复。", INVALID)
    start, end = clause["span"]
    cut = min(start + at, end)
    second = {
        **copy.deepcopy(clause),
        "label": label,
        "path": path,
        "heading": "",
        "text": text[at:].lstrip(),
        "lead": [],
        "co": [],
        "due": None,
        "due_text": "",
        "recurrence": None,
        "phases": [],
        "warnings": [],
        "span": [cut, end],
        "marks": [m for m in clause.get("marks", []) if m["span"][0] >= cut],
    }
    clause["text"] = text[:at].rstrip()
    clause["span"] = [start, cut]
    clause["marks"] = [m for m in clause.get("marks", []) if m["span"][0] < cut]
    clauses.insert(index + 1, second)


def _pick(items: list, index, what: str):
    if not isinstance(index, int) or not 0 <= index < len(items):
        raise DomainError(f"{what}编号 {index} 不存在。", INVALID)
    return items[index]


def _selected(clauses: list[dict], fields: dict) -> list[dict]:
    """The clauses a bulk correction names: by id, by a warning they carry, or by section."""
    if "clauses" in fields:
        ids = fields.pop("clauses")
        if not isinstance(ids, list) or not ids:
            raise DomainError("请至少选择一条条款。", INVALID)
        return [_pick(clauses, index, "条款") for index in dict.fromkeys(ids)]
    select = fields.pop("select")
    if not isinstance(select, dict) or len(select) != 1:
        raise DomainError('批量选择应为 {"warning": 代码} 或 {"section": 层级路径} 之一。', INVALID)
    if "warning" in select:
        code = select["warning"]
        chosen = [c for c in clauses if any(w.get("code") == code for w in c.get("warnings") or [])]
    elif "section" in select:
        section = select["section"]
        chosen = [c for c in clauses if c.get("path") == section or c.get("path", "").startswith(f"{section}/")]
    else:
        raise DomainError('批量选择应为 {"warning": 代码} 或 {"section": 层级路径} 之一。', INVALID)
    if not chosen:
        raise DomainError("没有符合所选条件的条款。", INVALID)
    return chosen


def _correct_plan(plan: dict, fields: dict, top_warnings: list[dict]) -> None:
    for field, value in fields.items():
        if field == "issued_on":
            plan["issued_on"] = _date_or_none(value, "发文日期")
        elif field in PLAN_FIELDS:
            plan[field] = _text(value, field, PLAN_FIELDS[field])
        elif field == "accept_defaults":
            if value:
                accept_defaults(plan)
        elif field == "dismiss":
            codes = _codes(value)
            plan["warnings"] = [w for w in plan.get("warnings") or [] if w.get("code") not in codes]
            top_warnings[:] = [w for w in top_warnings if w.get("code") not in codes]
        else:
            raise DomainError(f"不能修改方案字段 {field}。", INVALID)


def apply_corrections(result: dict, corrections: list[dict], *, known_unit=None) -> dict:
    """A corrected copy of the preview; raises DomainError and changes nothing on bad input.

    known_unit(name) tells whether the directory knows a unit now, so that the warnings about
    units it lacked can be recomputed.
    """
    if not isinstance(corrections, list):
        raise DomainError("修改内容应为列表。", INVALID)
    corrected = copy.deepcopy(result)
    for correction in corrections:
        if not isinstance(correction, dict):
            raise DomainError("每项修改应为对象。", INVALID)
        fields = dict(correction)
        plan = _pick(corrected.get("plans", []), fields.pop("plan", None), "方案")
        clauses = plan.get("clauses", [])
        if "clauses" in fields or "select" in fields:
            chosen = _selected(clauses, fields)
            refused = sorted(set(fields) - BULK_FIELDS)
            if refused:
                raise DomainError(f"批量修改不能修改字段 {refused[0]}。", INVALID)
            for clause in chosen:
                _correct_clause(clause, fields)
            continue
        if "clause" not in fields:
            _correct_plan(plan, fields, corrected.setdefault("warnings", []))
            continue
        index = fields.pop("clause")
        clause = _pick(clauses, index, "条款")
        if fields.pop("merge_with_previous", False):
            _merge_with_previous(clauses, index)
        elif "split_at" in fields:
            _split(clauses, index, fields.pop("split_at"), fields.pop("label", None))
        _correct_clause(clause, fields)
    refresh_warnings(corrected, known_unit=known_unit)
    return corrected
