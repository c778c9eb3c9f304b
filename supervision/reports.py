"""督查通报: the supervision report's content, as data and as CSV, and its 明细 (every assignment in scope)."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date

from django.db.models import Case, F, QuerySet, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.downloads import csv_cell
from supervision import tables
from supervision.scorecard import department_scorecards
from supervision.tables import ASSIGNMENTS, OVERDUE, RANKING, Output
from tasks.models import Assignment
from tasks.rules import Light, State
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


def supervision_report_csv_lines(report: dict) -> Iterator[str]:
    """The report as CSV a line at a time: two tables in one sheet, the ranking with its 合计, then the overdue list."""
    out = io.StringIO()
    writer = csv.writer(out)

    def row(cells=()):
        writer.writerow(cells)
        line = out.getvalue()
        out.seek(0)
        out.truncate()
        return line

    plan = report["plan"]
    yield row(["督查通报", csv_cell(plan["title"]) if plan else "全部方案", f"统计日期 {report['as_of']}"])
    yield row()
    yield row(RANKING.heads(Output.CSV))
    total = {"department": "合计", **report["summary"]}
    for cells in tables.cells(RANKING, Output.CSV, [*report["departments"], total]):
        yield row(cells)
    yield row()
    yield row([OVERDUE.name])
    yield row(OVERDUE.heads(Output.CSV))
    for cells in tables.cells(OVERDUE, Output.CSV, report["overdue"]):
        yield row(cells)


# ---------------------------------------------------------------------------
# 明细: every assignment the report covers, with its status on the day (columns: supervision.tables.ASSIGNMENTS)

_ASSIGNMENT_FIELDS = [column.source for column in ASSIGNMENTS.columns]


def report_assignments_query(*, as_of: date | None = None, plan=None, department_ids=None) -> QuerySet:
    """The 明细 as database rows (values_list, in the columns of ASSIGNMENTS but with codes, not labels).

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
    """The 明细 row by row in the columns of ASSIGNMENTS, with Chinese labels; text as stored, dates as dates.

    Read from a server-side cursor a chunk at a time: a province has some 150,000 assignments, which
    must never be held at once, let alone as model instances.
    """
    rows = report_assignments_query(as_of=as_of, plan=plan, department_ids=department_ids)
    labelled = [(i, column.labels) for i, column in enumerate(ASSIGNMENTS.columns) if column.labels is not None]
    for row in rows.iterator(chunk_size=chunk_size):
        row = list(row)
        for i, labels in labelled:
            row[i] = labels[row[i]]
        yield tuple(row)


def report_assignments_csv(rows: Iterable[tuple], *, rows_per_piece: int = 500) -> Iterator[str]:
    """The 明细 as CSV text, a few hundred rows per piece, a header line first; text cells defused."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ASSIGNMENTS.heads(Output.CSV))
    pending = 0
    for row in tables.csv_tuples(ASSIGNMENTS, rows):
        writer.writerow(row)
        pending += 1
        if pending == rows_per_piece:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
            pending = 0
    yield out.getvalue()
