"""督查通报: the supervision report's content, as data and as CSV."""

import csv
import io
from collections.abc import Iterator
from datetime import date

from django.utils import timezone

from tasks.rules import LIGHT_LABELS, STATUS_LABELS, Light, Status, department_light
from tasks.scorecard import department_scorecards
from tasks.selectors import Counts, overdue_assignments, without_jit

_SUMMED = ("total", "completed_on_time", "completed_late", "in_progress", "not_started", "overdue", "at_risk")


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
    with without_jit():
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
            "light": department_light(overdue=totals.overdue, at_risk=totals.at_risk).value,
            "departments_by_light": {light.value: lights.count(light) for light in Light},
        },
        "departments": [card.as_dict() for card in cards],
        "overdue": overdue,
    }


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading apostrophe."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _rate(value) -> str:
    return "" if value is None else f"{value}%"


def supervision_report_csv(report: dict) -> str:
    """Two tables in one sheet: the ranking, then the overdue list."""
    return "".join(supervision_report_csv_lines(report))


def supervision_report_csv_lines(report: dict) -> Iterator[str]:
    """supervision_report_csv a line at a time, for a streaming response."""
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
