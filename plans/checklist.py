"""The preview's warnings as a checklist: each on its clause, each gone once it is dealt with.

A warning is dealt with when a correction resolves what it says (a lead was given to a
task without one, the unit it names was replaced or is now in the directory, the date
the importer proposed was changed or accepted), or when the supervisor marks it checked.
`refresh_warnings` drops resolved warnings after every batch of corrections, so the
page's counts are recomputed from what is left and never go stale.

The importer proposes defaults for work clauses that name no lead or no date
(plans/importing/defaults.py) and writes them into the clause with a warning;
`record_proposals` keeps what it proposed beside the clause, so that a changed value
resolves the warning and `accept_defaults` can accept every proposal of a plan at once.
"""

from collections import Counter
from typing import NamedTuple

from plans.readiness import clause_anchor, clause_title, due_kind, has_follow_up

PROPOSED_LEAD = "lead_from_issuer"
PROPOSED_DUE = "due_from_plan_period"
DEFAULT_CODES = (PROPOSED_LEAD, PROPOSED_DUE)
TASK_ONLY_CODES = {"task_without_unit", "task_without_due", PROPOSED_LEAD, PROPOSED_DUE}

# What a reader sees for each warning code (the counts at the top of the preview).
WARNING_LABELS = {
    "task_without_unit": "没有牵头单位",
    "task_without_due": "没有完成时限",
    PROPOSED_LEAD: "牵头单位取自发文单位",
    PROPOSED_DUE: "时限取自方案期末",
    "unknown_unit": "名录中没有的单位",
    "unit_ambiguous": "单位归属不明",
    "lead_assumed": "按惯例推定牵头单位",
    "date_typo": "日期疑似笔误",
    "date_year_missing": "日期缺少年份",
    "date_year_assumed": "日期年份系推定",
    "numbering": "编号不连续",
    "phase_kind_guess": "阶段类型系推定",
    "no_clauses": "没有识别出条款",
    "pdf_no_text": "PDF 没有文字层",
}

# Recurrence words of the importer (`yearly:MM-DD`, `semester` …) as reporting cadences.
_CADENCE_OF_RECURRENCE = {
    "yearly": "yearly",
    "semester": "semester",
    "quarterly": "quarterly",
    "monthly": "monthly",
    "weekly": "weekly",
}


def warning_label(code: str) -> str:
    return WARNING_LABELS.get(code, "其他提示")


def record_proposals(preview: dict) -> None:
    """Keep the lead and due date the importer proposed, and read a bare recurrence as a cadence.

    A clause with a recurring deadline and no date (每学期报送) is work followed by its
    reports: it is marked 按周期报送 with the matching cadence, which the supervisor sees
    and may change.
    """
    for plan in preview.get("plans", []):
        for clause in plan.get("clauses", []):
            codes = {w.get("code") for w in clause.get("warnings") or []}
            proposed = {}
            if PROPOSED_LEAD in codes:
                proposed["lead"] = list(clause.get("lead") or [])
            if PROPOSED_DUE in codes:
                proposed["due"] = clause.get("due")
            if proposed:
                clause["proposed"] = proposed
            recurrence = (clause.get("recurrence") or "").split(":")[0]
            if clause.get("is_task") and not clause.get("due") and recurrence in _CADENCE_OF_RECURRENCE:
                clause.setdefault("due_kind", "periodic")
                clause.setdefault("reporting_cadence", _CADENCE_OF_RECURRENCE[recurrence])


def accept_defaults(plan: dict) -> int:
    """Accept every proposed lead and due date of one plan: their warnings are checked. How many."""
    accepted = 0
    for clause in plan.get("clauses", []):
        kept = [w for w in clause.get("warnings") or [] if w.get("code") not in DEFAULT_CODES]
        accepted += len(clause.get("warnings") or []) - len(kept)
        clause["warnings"] = kept
    return accepted


def _unit_of(clause: dict, warning: dict) -> str | None:
    """The unit a unit warning is about: the mark the importer made at the same place."""
    span = warning.get("span")
    for mark in clause.get("marks") or []:
        if mark.get("span") == span and mark.get("unit"):
            return mark["unit"]
    return None


def warning_resolved(clause: dict, warning: dict, *, known_unit=None) -> bool:
    """Whether what a warning says no longer holds for the clause as it stands."""
    code = warning.get("code")
    proposed = clause.get("proposed") or {}
    if code in TASK_ONLY_CODES and not clause.get("is_task"):
        return True
    if code == "task_without_unit":
        return bool(clause.get("lead"))
    if code == "task_without_due":
        return has_follow_up(clause)
    if code == PROPOSED_LEAD:
        return "lead" in proposed and list(clause.get("lead") or []) != proposed["lead"]
    if code == PROPOSED_DUE:
        return "due" in proposed and (clause.get("due") != proposed["due"] or due_kind(clause) != "dated")
    if code == "unknown_unit":
        unit = _unit_of(clause, warning)
        if unit is None:
            return False
        named = unit in (clause.get("lead") or []) or unit in (clause.get("co") or [])
        return not named or bool(known_unit and known_unit(unit))
    return False


def refresh_warnings(preview: dict, *, known_unit=None) -> None:
    """Drop every clause warning that no longer holds (in place)."""
    for plan in preview.get("plans", []):
        for clause in plan.get("clauses", []):
            warnings = clause.get("warnings") or []
            if warnings:
                clause["warnings"] = [w for w in warnings if not warning_resolved(clause, w, known_unit=known_unit)]


class Item(NamedTuple):
    """One warning of the checklist, with the clause it sits on (clause None: the plan or document)."""

    plan: int | None
    clause: int | None
    clause_title: str
    code: str
    label: str
    message: str
    span: tuple[int, int]

    @property
    def anchor(self) -> str:
        if self.plan is None or self.clause is None:
            return f"plan-{self.plan or 0}"
        return clause_anchor(self.plan, self.clause)

    def as_dict(self) -> dict:
        return {**self._asdict(), "span": list(self.span), "anchor": self.anchor}


def _clause_at(preview: dict, position: int) -> tuple[int, int] | None:
    """The innermost clause whose source span holds a position."""
    best, best_size = None, None
    for plan_index, plan in enumerate(preview.get("plans", [])):
        for clause_index, clause in enumerate(plan.get("clauses", [])):
            start, end = clause.get("span") or (0, 0)
            if start <= position < max(end, start + 1) and (best_size is None or end - start < best_size):
                best, best_size = (plan_index, clause_index), end - start
    return best


def checklist(preview: dict) -> list[Item]:
    """Every warning of the preview, each named by its clause, in document order."""

    plans = preview.get("plans", [])
    items = []

    def add(where, warning):
        plan_index, clause_index = where if where else (None, None)
        title = clause_title(plans[plan_index]["clauses"][clause_index]) if where else "全文"
        span = tuple((warning.get("span") or [0, 0])[:2])
        code = warning.get("code") or ""
        items.append(Item(plan_index, clause_index, title, code, warning_label(code), warning.get("message", ""), span))

    for plan_index, plan in enumerate(plans):
        for clause_index, clause in enumerate(plan.get("clauses", [])):
            for warning in clause.get("warnings") or []:
                add((plan_index, clause_index), warning)
    for warning in list(preview.get("warnings") or []) + [w for p in plans for w in p.get("warnings") or []]:
        span = warning.get("span") or [0, 0]
        add(_clause_at(preview, span[0]) if span[1] > span[0] else None, warning)
    items.sort(key=lambda i: (i.plan if i.plan is not None else -1, i.clause if i.clause is not None else -1))
    return items


def checklist_counts(items: list[Item]) -> list[tuple[str, str, int]]:
    """(code, label, count) of the checklist, most frequent first."""
    counts = Counter(item.code for item in items)
    return [(code, warning_label(code), n) for code, n in counts.most_common()]
