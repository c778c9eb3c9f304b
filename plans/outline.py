"""The outline of a preview: every clause without its text, marks and phases.

The preview JSON of a long plan runs to megabytes, most of it clause texts and marks.
Counting warnings, listing what is missing and cutting the preview into pages need
none of that, so the outline is kept beside the preview (PlanImport.outline, written
with it) and a preview page reads the outline plus only its own clauses in full.
The outline has the preview's shape, so plans.checklist, plans.readiness and
plans.preview_pages read it as they read the preview.
"""

OUTLINE_CLAUSE_KEYS = (
    "id",
    "label",
    "path",
    "heading",
    "is_task",
    "lead",
    "due",
    "due_kind",
    "reporting_cadence",
    "recurrence",
    "proposed",
    "warnings",
    "span",
)
HEADING_CHARS = 60


def preview_outline(preview: dict) -> dict:
    plans = []
    for plan in preview.get("plans", []):
        clauses = []
        for clause in plan.get("clauses", []):
            kept = {key: clause[key] for key in OUTLINE_CLAUSE_KEYS if key in clause}
            kept["heading"] = (clause.get("heading") or (clause.get("text") or ""))[:HEADING_CHARS]
            clauses.append(kept)
        plans.append({**{k: v for k, v in plan.items() if k != "clauses"}, "clauses": clauses})
    return {**{k: v for k, v in preview.items() if k != "plans"}, "plans": plans}


def with_clauses(outline: dict, plan_index: int, start: int, clauses: list[dict]) -> None:
    """Put full clauses (read for one page) in place of their outlines, in place."""
    outline["plans"][plan_index]["clauses"][start : start + len(clauses)] = clauses
