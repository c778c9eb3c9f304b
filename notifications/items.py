"""The items a reminder lists, as plain dicts (they are stored in the outbox as JSON).

Each item carries everything an email needs — plan, clause, task, department,
the deadline, working days left or overdue, the link — so that delivery and
`send_reminders --dry-run` never go back to the tasks.
"""

from datetime import date

from django.conf import settings

from notifications.kinds import ItemKind, escalation_note

ESCALATED = "escalated"
URGENCY_LABELS = {
    ESCALATED: "已升级督办",
    "overdue": "已逾期",
    "today": "今日到期",
    "soon": "即将到期(3个工作日内)",
    "upcoming": "提前提醒",
    "todo": "待办",
}
URGENCY_ORDER = list(URGENCY_LABELS)
URGENCY_RANK = {urgency: rank for rank, urgency in enumerate(URGENCY_ORDER)}
SOON = 3


def date_label(day: date | str) -> str:
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return f"{day.year}年{day.month}月{day.day}日"


def task_url(task_id: int) -> str:
    return f"{settings.SITE_URL}/tasks/{task_id}/"


def _urgency(stage, deadline: date, day: date) -> str:
    if stage.overdue:
        return "overdue"
    if stage.days == 0:
        return "today"
    return "soon" if stage.days <= SOON else "upcoming"


def _timing(stage, deadline: date, day: date) -> str:
    if stage.overdue:
        return f"已逾期 {stage.days} 个工作日"
    if stage.days == 0:
        return "今日到期" if deadline == day else "截止前最后一个工作日"
    return f"还剩 {stage.days} 个工作日"


def timing_fields(*, kind: ItemKind, stage, deadline: date | None, day: date) -> dict:
    """The fields of an item that follow from its kind, deadline and stage alone.

    Every assignment with the same deadline shares them, so the sweep makes them once per deadline.
    """
    if kind == ItemKind.ACKNOWLEDGE:
        if stage.overdue:
            status = f"已下达 {stage.days} 个工作日仍未签收"
            return {
                "urgency": "overdue",
                "deadline": None,
                "days_left": None,
                "days_overdue": stage.days,
                "status": status,
            }
        return {
            "urgency": "todo",
            "deadline": None,
            "days_left": None,
            "days_overdue": None,
            "status": "新任务,请登录系统签收",
        }
    status = _timing(stage, deadline, day)
    if kind == ItemKind.REPORT and stage.overdue:
        status = f"进展报告未报送,已逾期 {stage.days} 个工作日"
    return {
        "urgency": _urgency(stage, deadline, day),
        "deadline": deadline.isoformat(),
        "days_left": None if stage.overdue else stage.days,
        "days_overdue": stage.days if stage.overdue else None,
        "status": status,
    }


def task_fields(task) -> dict:
    """The fields of an item about its task and plan, shared by every item about the task."""
    clause = task.clause
    return {
        "task_id": task.pk,
        "plan_id": task.plan_id,
        "plan_title": task.plan.title,
        "plan_doc_number": task.plan.doc_number,
        "clause": (clause.path or clause.label).replace("/", "") if clause else "",
        "task_title": task.title,
        "url": getattr(task, "url", None) or task_url(task.pk),
    }


def who_fields(*, department_id: int, department: str, role: str, role_label: str) -> dict:
    """The fields of an item about the department and its role, shared by its items of the same role."""
    return {"department_id": department_id, "department": department, "role": role, "role_label": role_label}


def compose(kind: ItemKind, what: str, assignment_id: int, timing: dict, who: dict, task: dict) -> dict:
    """One item from its shared parts; the sweep calls this tens of thousands of times, hence positional."""
    return {"kind": kind, "what": what, "escalation": None, "assignment_id": assignment_id, **timing, **who, **task}


def _base(assignment, *, kind, what, deadline: date | None, stage, day: date) -> dict:
    who = who_fields(
        department_id=assignment.department_id,
        department=assignment.department.name,
        role=assignment.role,
        role_label=assignment.get_role_display(),
    )
    timing = timing_fields(kind=kind, stage=stage, deadline=deadline, day=day)
    return compose(kind, what, assignment.pk, timing, who, task_fields(assignment.task))


def due_item(assignment, due: date, stage, day: date) -> dict:
    return _base(assignment, kind=ItemKind.DUE, what=ItemKind.DUE.label, deadline=due, stage=stage, day=day)


def phase_what(*, name: str, kind_label: str) -> str:
    return f"{name or kind_label + '阶段'}结束"


def report_what(*, cadence_label: str) -> str:
    return f"{cadence_label}进展报告"


def acknowledge_item(assignment, stage, day: date) -> dict:
    return _base(
        assignment, kind=ItemKind.ACKNOWLEDGE, what=ItemKind.ACKNOWLEDGE.label, deadline=None, stage=stage, day=day
    )


def sort_key(item: dict):
    return (
        URGENCY_RANK[item["urgency"]],
        item["plan_title"],
        item["deadline"] or "",
        item["task_id"],
        item["department"],
    )


def grouped(items: list[dict]) -> list[dict]:
    """Items by urgency, then by plan, in the order an email shows them."""
    groups: list[dict] = []
    for item in sorted(items, key=sort_key):
        if not groups or groups[-1]["urgency"] != item["urgency"]:
            groups.append({"urgency": item["urgency"], "label": URGENCY_LABELS[item["urgency"]], "plans": []})
        plans = groups[-1]["plans"]
        if not plans or plans[-1]["plan_id"] != item["plan_id"]:
            plans.append(
                {
                    "plan_id": item["plan_id"],
                    "title": item["plan_title"],
                    "doc_number": item["plan_doc_number"],
                    "items": [],
                }
            )
        plans[-1]["items"].append(item)
    return groups


def item_line(item: dict) -> str:
    """One line of plain text: what a reader needs without opening the link."""
    clause = f"〔{item['clause']}〕" if item["clause"] else ""
    deadline = f",{item['what']} {date_label(item['deadline'])}" if item["deadline"] else f",{item['what']}"
    return (
        f"{clause}{item['task_title']} — {item['department']}({item['role_label']}){deadline}:"
        f"{item['status']}{escalation_note(item['escalation'])}"
    )


def daily_subject(*, kind: str, day: date, count: int, escalations: dict | None = None) -> str:
    if kind == "summary":
        return f"【督查日报】{date_label(day)} 督办事项汇总"
    if escalations:
        return (
            f"【升级督办】{date_label(day)} {escalations['assignments']} 项逾期已升级,今日新增 {escalations['new']} 项"
        )
    return f"【督办提醒】{date_label(day)} 您有 {count} 项任务需要关注"
