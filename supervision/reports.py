"""督查通报: the supervision report's content, as data and as CSV, and its 明细 (every assignment in scope)."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date

from django.db.models import Case, F, QuerySet, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.downloads import csv_cell
from supervision.scorecard import department_scorecards
from tasks.models import Assignment
from tasks.rules import LIGHT_LABELS, STATUS_LABELS, Light, State, Status
from tasks.selectors import Counts, assignments_as_of, overdue_assignments

_SUMMED = (
    "total", "completed_on_time", "completed_late", "completed_undated", "in_progress", "not_started", "overdue",
    "at_risk", "undated",
)  # fmt: skip


_OVERDUE_KEYS, _OVERDUE_FIELDS = zip(
    *(
        ("assignment_id", "pk"),
        ("task_id", "task_id"),
        ("task", "task__title"),
        ("plan_id", "task__plan_id"),
        ("plan", "task__plan__title"),
        ("department_id", "department_id"),
        ("department", "department__name"),
        ("role", "role"),
        ("due_date", "effective_due"),
        ("days_overdue", "days_overdue"),
        ("progress", "progress_as_of"),
    ),
    strict=True,
)


def supervision_report(*, as_of: date | None = None, plan=None, department_ids=None, since: date | None = None) -> dict:
    """Summary, ranked department rows and the overdue list, as of the day."""
    as_of = as_of or timezone.localdate()
    cards = department_scorecards(as_of=as_of, plan=plan, since=since, department_ids=department_ids)
    totals = Counts(
        **{name: sum(getattr(card.counts["all"], name) for card in cards) for name in (*_SUMMED, "overdue_days")}
    )
    lights = [card.counts["all"].light for card in cards]
    # Plain values, not model instances: the overdue list of a province runs to tens of thousands of rows.
    overdue = overdue_assignments(as_of=as_of, plan=plan, department_ids=department_ids).values_list(*_OVERDUE_FIELDS)
    overdue = [dict(zip(_OVERDUE_KEYS, row, strict=True)) for row in overdue]
    return {
        "as_of": as_of,
        "plan": None if plan is None else {"id": plan.pk, "title": plan.title, "doc_number": plan.doc_number},
        "summary": {
            "departments": len(cards),
            **{name: getattr(totals, name) for name in _SUMMED},
            "completed": totals.completed,
            "completion_rate": totals.completion_rate,
            "on_time_rate": totals.on_time_rate,
            "light": totals.light.value,
            "departments_by_light": {light.value: lights.count(light) for light in Light},
        },
        "departments": [card.as_dict() for card in cards],
        "overdue": overdue,
    }


def _rate(value) -> str:
    return "" if value is None else f"{value}%"


def supervision_report_csv_lines(report: dict) -> Iterator[str]:
    """The report as CSV a line at a time: two tables in one sheet, the ranking, then the overdue list."""
    out = io.StringIO()
    writer = csv.writer(out)

    def row(*cells):
        writer.writerow([csv_cell(c) for c in cells])
        line = out.getvalue()
        out.seek(0)
        out.truncate()
        return line

    plan = report["plan"]
    yield row("督查通报", plan["title"] if plan else "全部方案", f"统计日期 {report['as_of']}")
    yield row()
    yield row(
        "排名", "单位", "得分", "任务数", "按时完成", "逾期完成", "进行中", "未开始", "已逾期", "有风险",
        "完成率", "按时完成率", "红黄绿灯", "逾期天数", "延期次数", "提醒次数", "催办次数",
        "按时报告", "逾期报告", "缺报",
    )  # fmt: skip
    for d in report["departments"]:
        yield row(
            d["rank"], d["department"], d["score"], d["total"], d["completed_on_time"], d["completed_late"],
            d["in_progress"], d["not_started"], d["overdue"], d["at_risk"], _rate(d["completion_rate"]),
            _rate(d["on_time_rate"]), LIGHT_LABELS[Light(d["light"])], d["overdue_days"], d["extensions"],
            d["reminders"], d["chases"], d["reports_on_time"], d["reports_late"], d["reports_missing"],
        )  # fmt: skip
    s = report["summary"]
    yield row(
        "", "合计", "", s["total"], s["completed_on_time"], s["completed_late"], s["in_progress"], s["not_started"],
        s["overdue"], s["at_risk"], _rate(s["completion_rate"]), _rate(s["on_time_rate"]),
        LIGHT_LABELS[Light(s["light"])],
    )  # fmt: skip
    yield row()
    yield row("逾期任务")
    yield row("单位", "角色", "任务", "方案", "完成时限", "逾期天数", "进度(%)", "状态")
    for item in report["overdue"]:
        yield row(
            item["department"], "牵头" if item["role"] == "lead" else "配合", item["task"], item["plan"],
            item["due_date"], item["days_overdue"], item["progress"], STATUS_LABELS[Status.OVERDUE],
        )  # fmt: skip


# ---------------------------------------------------------------------------
# 明细: every assignment the report covers, with its status on the day

ROLE_LABELS = {Assignment.Role.LEAD: "牵头", Assignment.Role.CO: "配合"}

ASSIGNMENT_HEAD = (
    "单位", "角色", "任务", "方案", "文号", "完成时限", "状态", "红黄绿灯", "进度(%)", "应达进度(%)", "逾期天数",
    "完成日期", "签收日期", "任务编号",
)  # fmt: skip
_ASSIGNMENT_FIELDS = (
    "department__name", "role", "task__title", "task__plan__title", "task__plan__doc_number", "effective_due",
    "status", "light", "progress_as_of", "expected_progress", "days_overdue", "completed_by_then",
    "acknowledged_by_then", "task_id",
)  # fmt: skip


def report_assignments_query(*, as_of: date | None = None, plan=None, department_ids=None) -> QuerySet:
    """The 明细 as database rows (values_list, in ASSIGNMENT_HEAD order but with status codes, not labels).

    The same scope as the report (plan, departments, assignments made by the day); status, light,
    progress and overdue days are computed by the database as of the day, and completion or 签收 after
    the day is left out. Ordered by department, then plan and task.
    """
    as_of = as_of or timezone.localdate()
    queryset = Assignment.objects.all()
    if plan is not None:
        queryset = queryset.filter(task__plan=plan)
    if department_ids is not None:
        queryset = queryset.filter(department_id__in=department_ids)
    return (
        assignments_as_of(as_of, queryset)
        .annotate(
            completed_by_then=Case(When(state=State.COMPLETED, completed_on__lte=as_of, then=F("completed_on"))),
            acknowledged_by_then=Case(When(acknowledged_at__date__lte=as_of, then=TruncDate("acknowledged_at"))),
        )
        .order_by("department__name", "department_id", "task__plan_id", "task_id")
        .values_list(*_ASSIGNMENT_FIELDS)
    )


def report_assignments(
    *, as_of: date | None = None, plan=None, department_ids=None, chunk_size: int = 5000
) -> Iterator[tuple]:
    """The 明细 row by row in ASSIGNMENT_HEAD order, with Chinese labels; text as stored, dates as dates.

    Read from a server-side cursor a chunk at a time: a province has some 150,000 assignments, which
    must never be held at once, let alone as model instances.
    """
    rows = report_assignments_query(as_of=as_of, plan=plan, department_ids=department_ids)
    for dept, role, task, plan_title, doc, due, status, light, *rest in rows.iterator(chunk_size=chunk_size):
        yield (dept, ROLE_LABELS[role], task, plan_title, doc, due, STATUS_LABELS[status], LIGHT_LABELS[light], *rest)


def report_assignments_csv(rows: Iterable[tuple], *, rows_per_piece: int = 500) -> Iterator[str]:
    """The 明细 as CSV text, a few hundred rows per piece, a header line first; text cells defused."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ASSIGNMENT_HEAD)
    cell = csv_cell
    pending = 0
    for dept, role, task, plan_title, doc, *rest in rows:
        writer.writerow((cell(dept), role, cell(task), cell(plan_title), cell(doc), *rest))
        pending += 1
        if pending == rows_per_piece:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
            pending = 0
    yield out.getvalue()
