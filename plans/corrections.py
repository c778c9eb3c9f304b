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
"""

import copy
from datetime import date

from core.dates import RANGE_MESSAGE, in_range
from core.errors import DomainError
from org.models import Department

PHASE_KINDS = {"preparation", "operation", "evaluation"}
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
        elif field in TEXT_FIELDS:
            clause[field] = _text(value, field, TEXT_FIELDS[field])
        else:
            raise DomainError(f"不能修改字段 {field}。", INVALID)


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


def apply_corrections(result: dict, corrections: list[dict]) -> dict:
    """A corrected copy of the preview; raises DomainError and changes nothing on bad input."""
    if not isinstance(corrections, list):
        raise DomainError("修改内容应为列表。", INVALID)
    corrected = copy.deepcopy(result)
    for correction in corrections:
        if not isinstance(correction, dict):
            raise DomainError("每项修改应为对象。", INVALID)
        fields = dict(correction)
        plan = _pick(corrected.get("plans", []), fields.pop("plan", None), "方案")
        if "clause" not in fields:
            for field, value in fields.items():
                if field == "issued_on":
                    plan["issued_on"] = _date_or_none(value, "发文日期")
                elif field in PLAN_FIELDS:
                    plan[field] = _text(value, field, PLAN_FIELDS[field])
                else:
                    raise DomainError(f"不能修改方案字段 {field}。", INVALID)
            continue
        clauses = plan.get("clauses", [])
        index = fields.pop("clause")
        clause = _pick(clauses, index, "条款")
        if fields.pop("merge_with_previous", False):
            _merge_with_previous(clauses, index)
        elif "split_at" in fields:
            _split(clauses, index, fields.pop("split_at"), fields.pop("label", None))
        _correct_clause(clause, fields)
    return corrected
