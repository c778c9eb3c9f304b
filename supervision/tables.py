"""The tables of the 督查通报, each declared once: the ranking (also the board's), the overdue list, the 明细.

A table is its columns in order. A column has a key, its Chinese header, how its value is read from a
row, the kind of value (which decides how every output shows it), hints for the pages and the workbook,
and the outputs that show it. The report page, the board, the CSV, the workbook and the Word document take
their headers and cells from here and from nowhere else: a column added to a table appears in every output
its declaration names, and an output that shows fewer columns says so in the column, not in a list of its own.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from django.template import defaultfilters
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from core.downloads import csv_cell
from tasks.models import Assignment
from tasks.rules import LIGHT_LABELS, STATUS_LABELS, Light, Status


class Output(StrEnum):
    HTML = "html"  # the 督查通报 page
    BOARD = "board"  # the 单位看板 page
    CSV = "csv"
    XLSX = "xlsx"
    DOCX = "docx"


EVERY = frozenset(Output)
FILES = frozenset({Output.CSV, Output.XLSX})  # the downloads that carry every figure
PAGE_AND_FILES = FILES | {Output.HTML}


class Kind(StrEnum):
    TEXT = "text"  # words from people or documents: defused in files, escaped on the page
    LABEL = "label"  # one of the service's own Chinese labels
    NUMBER = "number"
    RATE = "rate"  # a percentage, or None when nothing is due
    LIGHT = "light"  # a light's code: green, yellow, red
    DATE = "date"


@dataclass(frozen=True)
class Column:
    key: str
    head: str
    kind: Kind = Kind.NUMBER
    outputs: frozenset = EVERY
    read: Callable | None = None  # the value from a row; by default the row's entry under key
    width: int | None = None  # in the workbook, in characters
    wrap: bool = False  # in the workbook
    link: Callable | None = None  # on the page: the address the cell links to, from the row
    css: str = ""  # on the page, for cells that are neither numbers nor dates
    bar: bool = False  # on the page, a rate drawn with a bar beside it
    labels: Mapping | None = None  # the Chinese label of each code the row holds
    source: str = ""  # for a table read straight from the database: the field the value comes from

    def value(self, row):
        value = self.read(row) if self.read is not None else row.get(self.key)
        return value if self.labels is None else self.labels[value]

    @property
    def html_class(self) -> str:
        if self.bar:
            return "nowrap"
        if self.kind in (Kind.NUMBER, Kind.RATE):
            return "num"
        return "nowrap" if self.kind == Kind.DATE else self.css


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    outputs: frozenset = EVERY  # where the table appears at all
    row_name: str = ""  # on the page, the key whose value names a row (its data-<key> attribute)

    def columns_for(self, output: Output) -> tuple[Column, ...]:
        return self._shown[output]

    def heads(self, output: Output) -> list[str]:
        return [column.head for column in self._shown[output]]

    @cached_property
    def _shown(self) -> dict:
        return {
            output: tuple(c for c in self.columns if output in c.outputs) if output in self.outputs else ()
            for output in Output
        }


# ---------------------------------------------------------------------------
# How a value is shown, by kind: one rule per kind for every file


def rate_text(value) -> str:
    return "" if value is None else f"{value}%"


def day_text(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def light_label(value) -> str:
    return LIGHT_LABELS[Light(value)] if value else ""


def _plain(value):
    return "" if value is None else value


# CSV: numbers and dates as Python writes them (a date as 2026-05-31), text defused.
_CSV = {
    Kind.TEXT: csv_cell,
    Kind.LABEL: _plain,
    Kind.NUMBER: _plain,
    Kind.RATE: rate_text,
    Kind.LIGHT: light_label,
    Kind.DATE: _plain,
}


def _text(value) -> str:
    return "" if value is None else str(value)


# Word: everything is text in a table cell; dates the way a 通报 writes them.
_DOCX = {
    Kind.TEXT: _text,
    Kind.LABEL: _text,
    Kind.NUMBER: _text,
    Kind.RATE: rate_text,
    Kind.LIGHT: light_label,
    Kind.DATE: day_text,
}
_SHOWN = {Output.CSV: _CSV, Output.DOCX: _DOCX}


def cells(table: Table, output: Output, rows: Iterable) -> Iterator[list]:
    """Each row's cells as the CSV or the Word document shows them, in the output's columns."""
    shown = [(column.value, _SHOWN[output][column.kind]) for column in table.columns_for(output)]
    for row in rows:
        yield [show(value(row)) for value, show in shown]


def csv_tuples(table: Table, rows: Iterable[tuple]) -> Iterator[list]:
    """Rows that already hold every column in order, labels included, as the CSV shows them.

    The fast path of cells() for a table of a province's size: only the cells whose kind writes
    differently from the value itself are touched (the csv module writes None as nothing).
    """
    changed = [(i, _CSV[c.kind]) for i, c in enumerate(table.columns) if c.kind in (Kind.TEXT, Kind.RATE, Kind.LIGHT)]
    for row in rows:
        row = list(row)
        for i, show in changed:
            row[i] = show(row[i])
        yield row


@dataclass(frozen=True)
class HtmlTable:
    columns: tuple[Column, ...]
    rows: list[SafeString]


def html(table: Table, rows: Iterable, output: Output = Output.HTML) -> HtmlTable:
    """The table for a page: its page columns, and each row's cells as markup (values escaped).

    Rates and lights are drawn by the same small templates as everywhere else on the site; the
    other cells are written here, since an overdue list of a province runs to tens of thousands
    of rows and a template per cell would take seconds.
    """
    columns = table.columns_for(output)
    cells = [(f'<td class="{c.html_class}">' if c.html_class else "<td>", c, _html_content(c)) for c in columns]
    named = table.row_name
    made = []
    for row in rows:
        tr = f'<tr data-{named}="{conditional_escape(row[named])}">' if named else "<tr>"
        tds = [f"{td}{content(column.value(row), row)}</td>" for td, column, content in cells]
        made.append(mark_safe(tr + "".join(tds) + "</tr>"))  # noqa: S308 - every value is escaped or drawn by a template
    return HtmlTable(columns, made)


def _html_content(column: Column) -> Callable:
    """How the column's value is written inside its cell: content(value, row) → markup."""
    if column.kind in (Kind.RATE, Kind.LIGHT):
        name = column.kind.value
        template = get_template(f"includes/{name}.html")
        if column.bar:
            return lambda value, row: (
                f'<span class="bar"><i style="width: {value or 0}%"></i></span> '
                f'<span class="completion">{template.render({name: value})}</span>'
            )
        return lambda value, row: template.render({name: value})
    if column.kind == Kind.DATE:
        days = {}  # the same few deadlines over and over: each is formatted once

        def day(value, row):
            if value not in days:
                days[value] = conditional_escape(defaultfilters.date(value))
            return days[value]

        return day
    if column.link is not None:

        def linked(value, row):
            href = column.link(row)
            text = conditional_escape(_plain(value))
            return f'<a href="{conditional_escape(href)}">{text}</a>' if href else text

        return linked
    return lambda value, row: conditional_escape(_plain(value))


# ---------------------------------------------------------------------------
# The ranking: one row per department (supervision.scorecard's card as a dict); the 合计 row is the
# report's summary read through the same columns.


def _department_page(row) -> str | None:
    return reverse("supervision:department", args=[row["department_id"]]) if row.get("department_id") else None


RANKING = Table(
    "单位排名",
    row_name="department",
    columns=(
        Column("rank", "排名"),
        Column("department", "单位", Kind.TEXT, width=24, link=_department_page, css="name"),
        Column("score", "得分"),
        Column("total", "任务数"),
        Column("completed_on_time", "按时完成", outputs=PAGE_AND_FILES),
        Column("completed_late", "逾期完成", outputs=PAGE_AND_FILES),
        # The board and the Word 通报 are read at a glance: one 已完成 column instead of the two above, and
        # none of the columns that only a spreadsheet's reader sorts by.
        Column("completed", "已完成", outputs=frozenset({Output.BOARD, Output.DOCX})),
        Column("in_progress", "进行中", outputs=PAGE_AND_FILES),
        Column("not_started", "未开始", outputs=PAGE_AND_FILES),
        Column("overdue", "已逾期"),
        Column("at_risk", "有风险", outputs=FILES | {Output.BOARD}),
        Column("completion_rate", "完成率", Kind.RATE, bar=True),
        Column("on_time_rate", "按时完成率", Kind.RATE),
        Column("light", "红黄绿灯", Kind.LIGHT),
        Column("overdue_days", "逾期天数", outputs=FILES),
        Column("extensions", "延期次数", outputs=PAGE_AND_FILES),
        Column("reminders", "提醒次数", outputs=FILES),
        Column("chases", "催办次数", outputs=PAGE_AND_FILES),
        Column("reports_on_time", "按时报告", outputs=FILES),
        Column("reports_late", "逾期报告", outputs=FILES),
        Column("reports_missing", "缺报", outputs=FILES),
    ),
)


# ---------------------------------------------------------------------------
# The overdue list: one row per overdue assignment (supervision.reports' plain dicts)

ROLE_LABELS = {Assignment.Role.LEAD: "牵头", Assignment.Role.CO: "配合"}


def _task_page(row) -> str:
    return reverse("tasks:detail", args=[row["task_id"]])


OVERDUE = Table(
    "逾期任务",
    outputs=EVERY - {Output.BOARD},
    columns=(
        Column("department", "单位", Kind.TEXT, width=20, css="name"),
        Column("role", "角色", Kind.LABEL, labels=ROLE_LABELS),
        Column("task", "任务", Kind.TEXT, width=40, wrap=True, link=_task_page),
        Column("plan", "方案", Kind.TEXT, width=30),
        Column("due_date", "完成时限", Kind.DATE, width=16),
        Column("days_overdue", "逾期天数"),
        Column("progress", "进度(%)"),
        # Every row of this list is overdue; the CSV, one sheet holding two tables, names it all the same.
        Column("status", "状态", Kind.LABEL, frozenset({Output.CSV}), read=lambda row: STATUS_LABELS[Status.OVERDUE]),
    ),
)


# ---------------------------------------------------------------------------
# 明细: one row per assignment in scope, read from the database as tuples in column order
# (supervision.reports.report_assignments); codes are turned into labels there.

ASSIGNMENTS = Table(
    "明细",
    outputs=FILES,
    columns=(
        Column("department", "单位", Kind.TEXT, width=22, source="department__name"),
        Column("role", "角色", Kind.LABEL, labels=ROLE_LABELS, source="role"),
        Column("task", "任务", Kind.TEXT, width=40, source="task__title"),
        Column("plan", "方案", Kind.TEXT, width=30, source="task__plan__title"),
        Column("doc_number", "文号", Kind.TEXT, width=18, source="task__plan__doc_number"),
        Column("due_date", "完成时限", Kind.DATE, width=12, source="effective_due"),
        Column("status", "状态", Kind.LABEL, labels=STATUS_LABELS, source="status"),
        Column("light", "红黄绿灯", Kind.LABEL, labels=LIGHT_LABELS, source="light"),
        Column("progress", "进度(%)", Kind.NUMBER, source="progress_as_of"),
        Column("expected_progress", "应达进度(%)", Kind.NUMBER, source="expected_progress"),
        Column("days_overdue", "逾期天数", Kind.NUMBER, source="days_overdue"),
        Column("completed_on", "完成日期", Kind.DATE, width=12, source="completed_by_then"),
        Column("acknowledged_on", "签收日期", Kind.DATE, width=12, source="acknowledged_by_then"),
        Column("task_id", "任务编号", Kind.NUMBER, source="task_id"),
    ),
)
