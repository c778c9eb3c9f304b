"""督查通报 as files: XLSX (XlsxWriter, constant memory) and DOCX (python-docx), from supervision.reports data.

Every text cell goes through core.downloads.csv_cell, so that a department or task
name beginning with = + - @ is shown as text and never run as a spreadsheet formula.
XlsxWriter is also told never to turn text into a formula, a link or a number; the
apostrophe stays all the same, since a text cell that begins with = becomes a formula
as soon as someone edits it in Excel and presses Enter.
"""

import io
import tempfile
from collections.abc import Callable, Iterable
from datetime import date
from typing import IO

from docx import Document
from docx.shared import Pt
from xlsxwriter import Workbook

from core.downloads import csv_cell
from supervision.reports import ASSIGNMENT_HEAD
from tasks.rules import LIGHT_LABELS, Light

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

RANKING_HEAD = (
    "排名", "单位", "得分", "任务数", "按时完成", "逾期完成", "进行中", "未开始", "已逾期", "有风险",
    "完成率", "按时完成率", "红黄绿灯", "逾期天数", "延期次数", "提醒次数", "催办次数",
)  # fmt: skip
OVERDUE_HEAD = ("单位", "角色", "任务", "方案", "完成时限", "逾期天数", "进度(%)")

# constant_memory: each row goes to disk once the next one starts, so memory stays flat however many
# rows (rows must then be written top to bottom, and text is stored in the cell, not in a shared table).
_BOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "default_date_format": "yyyy-mm-dd",  # for every date cell written without a format of its own
}
_TITLE = {"bold": True, "font_size": 14}
_HEAD = {"bold": True, "pattern": 1, "bg_color": "#F3F4F6"}
_LAST_ROW = 1_048_575  # Excel's last row, counted from 0; XlsxWriter drops cells below it without a word


def _day(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _rate(value) -> str:
    return "" if value is None else f"{value}%"


def _title(report: dict) -> str:
    plan = report["plan"]
    return f"督查通报:{plan['title'] if plan else '全部方案'}"


def ranking_rows(report: dict) -> list[list]:
    rows = []
    for d in report["departments"]:
        rows.append(
            [
                d["rank"], d["department"], d["score"], d["total"], d["completed_on_time"], d["completed_late"],
                d["in_progress"], d["not_started"], d["overdue"], d["at_risk"], _rate(d["completion_rate"]),
                _rate(d["on_time_rate"]), LIGHT_LABELS[Light(d["light"])], d["overdue_days"], d["extensions"],
                d["reminders"], d["chases"],
            ]
        )  # fmt: skip
    return rows


def overdue_rows(report: dict) -> list[list]:
    return [
        [
            item["department"], "牵头" if item["role"] == "lead" else "配合", item["task"], item["plan"],
            _day(item["due_date"]), item["days_overdue"], item["progress"],
        ]
        for item in report["overdue"]
    ]  # fmt: skip


def _safe(value):
    """Numbers stay numbers; text is defused against formula injection."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return csv_cell(value)


def _workbook_file(write: Callable[[Workbook], None]) -> IO[bytes]:
    """The workbook that write() fills, saved in an anonymous temporary file (gone once closed), ready to read.

    A file rather than bytes in memory: a province's 明细 runs to several megabytes compressed.
    """
    out = tempfile.TemporaryFile()
    try:
        book = Workbook(out, _BOOK_OPTIONS)
        try:
            write(book)
        finally:
            # Even after an error: each sheet's rows wait in a named temporary file that only close() removes.
            book.close()
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def xlsx(report: dict) -> IO[bytes]:
    """The report as a workbook (ranking, overdue list), written row by row into a temporary file."""

    def write(book: Workbook) -> None:
        head = book.add_format(_HEAD)
        sheet = book.add_worksheet("单位排名")
        sheet.set_column(1, 1, 24)
        sheet.write_string(0, 0, _safe(_title(report)), book.add_format(_TITLE))
        sheet.write_string(1, 0, _safe(f"统计日期 {_day(report['as_of'])}"))
        sheet.write_row(3, 0, [_safe(name) for name in RANKING_HEAD], head)
        for number, row in enumerate(ranking_rows(report), 4):
            sheet.write_row(number, 0, [_safe(v) for v in row])
        overdue = book.add_worksheet("逾期任务")
        for column, width in ((0, 20), (2, 40), (3, 30), (4, 16)):
            overdue.set_column(column, column, width)
        overdue.write_row(0, 0, [_safe(name) for name in OVERDUE_HEAD], head)
        wrap = book.add_format({"text_wrap": True})
        for number, row in enumerate(overdue_rows(report), 1):
            dept, role, task, *rest = [_safe(v) for v in row]
            overdue.write_row(number, 0, (dept, role))
            overdue.write(number, 2, task, wrap)
            overdue.write_row(number, 3, rest)

    return _workbook_file(write)


def report_assignments_xlsx(rows: Iterable[tuple], *, as_of: date, plan=None) -> IO[bytes]:
    """The 明细 (supervision.reports.report_assignments rows) as a workbook in a temporary file.

    Dates are real date cells, so that Excel sorts and filters them. Each cell is written by the call for
    its column's type: a province runs to some two million cells, and write_row's look at every value's
    type costs a tenth of the time.
    """

    def write(book: Workbook) -> None:
        sheet = book.add_worksheet("明细")
        for column, width in ((0, 22), (2, 40), (3, 30), (4, 18), (5, 12), (11, 12), (12, 12)):
            sheet.set_column(column, column, width)
        sheet.freeze_panes(1, 0)
        sheet.write_row(0, 0, ASSIGNMENT_HEAD, book.add_format(_HEAD))
        text, number, day = sheet.write_string, sheet.write_number, sheet.write_datetime
        cell = csv_cell
        count = 0
        for r, row in enumerate(rows, 1):
            if r > _LAST_ROW:
                raise ValueError(f"明细 over Excel's {_LAST_ROW} rows")
            dept, role, task, plan_title, doc, due, status, light, progress, expected, late, done, signed, task_id = row
            # Empty text and None are not written: the cell stays blank.
            text(r, 0, cell(dept))
            text(r, 1, role)
            text(r, 2, cell(task))
            text(r, 3, cell(plan_title))
            if doc:
                text(r, 4, cell(doc))
            if due is not None:
                day(r, 5, due)
            text(r, 6, status)
            text(r, 7, light)
            if progress is not None:
                number(r, 8, progress)
            if expected is not None:
                number(r, 9, expected)
            if late is not None:
                number(r, 10, late)
            if done is not None:
                day(r, 11, done)
            if signed is not None:
                day(r, 12, signed)
            number(r, 13, task_id)
            count = r
        sheet.autofilter(0, 0, count, len(ASSIGNMENT_HEAD) - 1)
        about = book.add_worksheet("说明")
        about.set_column(0, 0, 12)
        about.set_column(1, 1, 40)
        about.write_string(0, 0, "督查通报明细", book.add_format(_TITLE))
        about.write_row(1, 0, ("方案", _safe(plan.title if plan is not None else "全部方案")))
        about.write_row(2, 0, ("统计日期", _day(as_of)))
        about.write_row(3, 0, ("责任分工", count))
        about.write_row(4, 0, ("说明", "状态、进度、逾期天数均为统计日期当天的情况;此后的完成和签收不计。"))

    return _workbook_file(write)


def docx(report: dict) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(10.5)
    document.add_heading(_title(report), level=1)
    s = report["summary"]
    document.add_paragraph(
        f"统计日期:{_day(report['as_of'])}。共 {s['departments']} 个单位、{s['total']} 项责任分工,"
        f"按时完成 {s['completed_on_time']} 项,逾期完成 {s['completed_late']} 项,进行中 {s['in_progress']} 项,"
        f"未开始 {s['not_started']} 项,已逾期 {s['overdue']} 项;完成率 {_rate(s['completion_rate']) or '—'},"
        f"按时完成率 {_rate(s['on_time_rate']) or '—'}。"
    )
    document.add_heading("一、单位排名", level=2)
    head = ("排名", "单位", "得分", "任务数", "已完成", "已逾期", "完成率", "按时完成率", "红黄绿灯")
    table = document.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
    for d in report["departments"]:
        cells = table.add_row().cells
        values = (
            d["rank"], d["department"], d["score"], d["total"], d["completed"], d["overdue"],
            _rate(d["completion_rate"]), _rate(d["on_time_rate"]), LIGHT_LABELS[Light(d["light"])],
        )  # fmt: skip
        for cell, value in zip(cells, values, strict=True):
            cell.text = str(value)
    document.add_heading("二、逾期未完成任务", level=2)
    if not report["overdue"]:
        document.add_paragraph("无。")
    else:
        table = document.add_table(rows=1, cols=len(OVERDUE_HEAD))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, OVERDUE_HEAD, strict=True):
            cell.text = text
        for row in overdue_rows(report):
            for cell, value in zip(table.add_row().cells, row, strict=True):
                cell.text = str(value)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
