"""When an import may be confirmed: every task has someone answerable and a way to be followed.

A clause that is a task needs

* a lead unit (牵头单位), and
* a due date, or an explicit marking as 长期 (``ongoing``) or 按周期报送 (``periodic``)
  together with a reporting cadence other than ``none``: a task without a date is
  followed by its reports, so it must say how often they come.

`import_missing` is the one definition: the confirm service refuses with its list,
the preview page and the API show the same list. Pure functions over the preview JSON.
"""

from typing import NamedTuple

# How a task is followed when it has no single deadline (the preview's `due_kind`), and how often
# its reports come (`reporting_cadence`). tasks.models.ReportingCadence has the same values: plans
# sits below tasks, so the lists live here and the tasks layer reads the same strings.
DUE_KINDS = {"dated": "有完成时限", "ongoing": "长期", "periodic": "按周期报送"}
REPORTING_CADENCES = {
    "none": "无需定期报告",
    "weekly": "每周",
    "monthly": "每月",
    "quarterly": "每季度",
    "semester": "每学期",
    "yearly": "每年",
}
OPEN_ENDED = ("ongoing", "periodic")


class Missing(NamedTuple):
    """One thing a task clause lacks before confirm."""

    plan: int
    clause: int
    label: str
    heading: str
    code: str  # no_lead | no_due | no_cadence
    message: str

    @property
    def anchor(self) -> str:
        return clause_anchor(self.plan, self.clause)

    def as_dict(self) -> dict:
        return {**self._asdict(), "anchor": self.anchor}


def clause_anchor(plan_index: int, clause_index: int) -> str:
    """The id of a clause's card in the preview page."""
    return f"clause-{plan_index}-{clause_index}"


def clause_title(clause: dict) -> str:
    """A clause as a reader names it: its label and heading (or the start of its text)."""
    heading = clause.get("heading") or (clause.get("text") or "")[:30]
    return f"{clause.get('label') or ''}{heading}".strip() or "(无标题条款)"


def due_kind(clause: dict) -> str:
    return clause.get("due_kind") or "dated"


def has_follow_up(clause: dict) -> bool:
    """A due date, or 长期 / 按周期报送 with a real reporting cadence."""
    if clause.get("due"):
        return True
    return due_kind(clause) in OPEN_ENDED and (clause.get("reporting_cadence") or "none") != "none"


def clause_missing(clause: dict) -> list[tuple[str, str]]:
    """(code, message) of what one clause lacks; nothing for a clause that is not a task."""
    if not clause.get("is_task"):
        return []
    missing = []
    if not clause.get("lead"):
        missing.append(("no_lead", "没有牵头单位"))
    if not has_follow_up(clause):
        if due_kind(clause) in OPEN_ENDED:
            missing.append(("no_cadence", f"标为{DUE_KINDS[due_kind(clause)]},但没有选择报送周期"))
        else:
            missing.append(("no_due", "没有完成时限(请填写日期,或标为长期、按周期报送并选择报送周期)"))
    return missing


def import_missing(preview: dict) -> list[Missing]:
    """Everything that keeps the preview from being confirmed, in document order."""
    out = []
    for plan_index, plan in enumerate(preview.get("plans", [])):
        for clause_index, clause in enumerate(plan.get("clauses", [])):
            for code, message in clause_missing(clause):
                out.append(
                    Missing(
                        plan_index, clause_index, clause.get("label") or "", clause.get("heading") or "", code, message
                    )
                )
    return out


def missing_summary(missing: list[Missing]) -> str:
    """The refusal's sentence: how many tasks lack what, naming the first few."""
    tasks = {(m.plan, m.clause) for m in missing}
    named = "、".join(dict.fromkeys(f"{m.label}{m.heading[:12]}" for m in missing[:3]))
    more = " 等" if len(tasks) > 3 else ""
    return f"还有 {len(tasks)} 项任务缺少牵头单位或完成时限({named}{more}),补齐后才能确认导入。"
