"""督查通报 as files: XLSX (openpyxl, write-only) and DOCX (python-docx), from tasks.reports data.

Every text cell goes through tasks.reports.csv_cell, so that a department or task
name beginning with = + - @ is shown as text and never run as a spreadsheet formula.
"""

import io
import tempfile
from collections.abc import Iterable
from datetime import date
from typing import IO

from docx import Document
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tasks.reports import ASSIGNMENT_HEAD, csv_cell
from tasks.rules import LIGHT_LABELS, Light

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

RANKING_HEAD = (
    "排名", "单位", "得分", "任务数", "按时完成", "逾期完成", "进行中", "未开始", "已逾期", "有风险",
    "完成率", "按时完成率", "红黄绿灯", "逾期天数", "延期次数", "提醒次数", "催办次数",
)  # fmt: skip
OVERDUE_HEAD = ("单位", "角色", "任务", "方案", "完成时限", "逾期天数", "进度(%)")
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="F3F4F6")


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


def _workbook_file(book: Workbook) -> IO[bytes]:
    """The saved workbook in an anonymous temporary file (gone once closed), ready to read from the start.

    A file rather than bytes in memory: a province's 明细 runs to several megabytes compressed.
    """
    out = tempfile.TemporaryFile()
    try:
        book.save(out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def _styled(sheet, value, **style) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_safe(value))
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _head(sheet, names) -> list[WriteOnlyCell]:
    return [_styled(sheet, name, font=BOLD, fill=HEAD_FILL) for name in names]


def xlsx(report: dict) -> IO[bytes]:
    """The report as a workbook (ranking, overdue list), written row by row into a temporary file."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("单位排名")
    sheet.column_dimensions["B"].width = 24
    sheet.append([_styled(sheet, _title(report), font=Font(bold=True, size=14))])
    sheet.append([_safe(f"统计日期 {_day(report['as_of'])}")])
    sheet.append([])
    sheet.append(_head(sheet, RANKING_HEAD))
    for row in ranking_rows(report):
        sheet.append([_safe(v) for v in row])
    overdue = book.create_sheet("逾期任务")
    for column, width in (("A", 20), ("C", 40), ("D", 30), ("E", 16)):
        overdue.column_dimensions[column].width = width
    overdue.append(_head(overdue, OVERDUE_HEAD))
    wrap = Alignment(wrap_text=True)
    for row in overdue_rows(report):
        cells = [_safe(v) for v in row]
        cells[2] = _styled(overdue, row[2], alignment=wrap)
        overdue.append(cells)
    return _workbook_file(book)


def report_assignments_xlsx(rows: Iterable[tuple], *, as_of: date, plan=None) -> IO[bytes]:
    """The 明细 (tasks.reports.report_assignments rows) as a workbook in a temporary file.

    openpyxl's write-only mode streams each row to disk, so memory stays flat however many rows;
    dates are real date cells, so that Excel sorts and filters them.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet("明细")
    for column, width in (("A", 22), ("C", 40), ("D", 30), ("E", 18), ("F", 12), ("L", 12), ("M", 12)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    sheet.append(_head(sheet, ASSIGNMENT_HEAD))
    cell = csv_cell
    count = 0
    for dept, role, task, plan_title, doc, *rest in rows:
        sheet.append((cell(dept), role, cell(task), cell(plan_title), cell(doc), *rest))
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(ASSIGNMENT_HEAD))}{count + 1}"
    about = book.create_sheet("说明")
    about.column_dimensions["A"].width = 12
    about.column_dimensions["B"].width = 40
    about.append([_styled(about, "督查通报明细", font=Font(bold=True, size=14))])
    about.append(["方案", _safe(plan.title if plan is not None else "全部方案")])
    about.append(["统计日期", _day(as_of)])
    about.append(["责任分工", count])
    about.append(["说明", "状态、进度、逾期天数均为统计日期当天的情况;此后的完成和签收不计。"])
    return _workbook_file(book)


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
