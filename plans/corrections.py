"""Corrections a supervisor makes to an import preview before confirming it.

The preview is the importer's JSON (see `import_plan --format json`) with an
`id` on each plan and clause. A correction names a clause by those ids
(`{"plan": 0, "clause": 3, "lead": [...]}`) and gives the fields to replace.
Everything is validated before anything changes, so a bad batch leaves the
preview as it was.
"""

import copy
from datetime import date

from plans.importing.errors import PlanImportError

PHASE_KINDS = {"preparation", "operation", "evaluation"}
TEXT_FIELDS = {"heading": 300, "text": 20000, "due_text": 200, "recurrence": 50}
PLAN_FIELDS = {"title": 300, "doc_number": 100, "issuer": 200}


class CorrectionError(PlanImportError):
    def __init__(self, message_zh: str):
        super().__init__(message_zh, code="invalid_correction")


def _date_or_none(value, what: str):
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise CorrectionError(f"{what}“{value}”不是有效日期,请按 2026-06-30 的格式填写。") from None


def _names(value, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(n, str) and n.strip() for n in value):
        raise CorrectionError(f"{what}应为单位名称列表。")
    return [n.strip() for n in value]


def _text(value, field: str, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise CorrectionError(f"字段 {field} 应为不超过 {limit} 字的文本。")
    return value


def _phases(value) -> list[dict]:
    if not isinstance(value, list):
        raise CorrectionError("阶段应为列表。")
    phases = []
    for phase in value:
        if not isinstance(phase, dict) or phase.get("kind") not in PHASE_KINDS:
            raise CorrectionError("阶段类型应为 筹备(preparation)、运行(operation) 或 评估(evaluation)。")
        start = _date_or_none(phase.get("start"), "阶段开始日期")
        end = _date_or_none(phase.get("end"), "阶段结束日期")
        if start and end and start > end:
            raise CorrectionError("阶段开始日期不能晚于结束日期。")
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
            raise CorrectionError(f"不能修改字段 {field}。")


def _pick(items: list, index, what: str):
    if not isinstance(index, int) or not 0 <= index < len(items):
        raise CorrectionError(f"{what}编号 {index} 不存在。")
    return items[index]


def apply_corrections(result: dict, corrections: list[dict]) -> dict:
    """A corrected copy of the preview; raises CorrectionError and changes nothing on bad input."""
    if not isinstance(corrections, list):
        raise CorrectionError("修改内容应为列表。")
    corrected = copy.deepcopy(result)
    for correction in corrections:
        if not isinstance(correction, dict):
            raise CorrectionError("每项修改应为对象。")
        fields = dict(correction)
        plan = _pick(corrected.get("plans", []), fields.pop("plan", None), "方案")
        if "clause" not in fields:
            for field, value in fields.items():
                if field == "issued_on":
                    plan["issued_on"] = _date_or_none(value, "发文日期")
                elif field in PLAN_FIELDS:
                    plan[field] = _text(value, field, PLAN_FIELDS[field])
                else:
                    raise CorrectionError(f"不能修改方案字段 {field}。")
            continue
        clause = _pick(plan.get("clauses", []), fields.pop("clause"), "条款")
        _correct_clause(clause, fields)
    return corrected
