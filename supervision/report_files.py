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
from supervision import tables
from supervision.tables import ASSIGNMENTS, OVERDUE, RANKING, Kind, Output, Table, day_text, light_label, rate_text

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

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


def _title(report: dict) -> str:
    plan = report["plan"]
    return f"督查通报:{plan['title'] if plan else '全部方案'}"


def _safe(value):
    """Numbers stay numbers; text is defused against formula injection."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return csv_cell(value)


def _cell_writers(book: Workbook, sheet, columns) -> list[Callable]:
    """One writer per column, chosen by its kind: numbers and dates stay typed so that Excel sorts
    and filters them, text is defused. A writer is called only for a value that is there."""
    wrap = book.add_format({"text_wrap": True})
    writers = []
    for column in columns:
        kind = column.kind
        if kind == Kind.TEXT:
            fmt = wrap if column.wrap else None
            writers.append(lambda r, c, v, fmt=fmt: sheet.write_string(r, c, csv_cell(v), fmt))
        elif kind == Kind.NUMBER:
            writers.append(sheet.write_number)
        elif kind == Kind.DATE:
            writers.append(sheet.write_datetime)
        elif kind == Kind.RATE:
            writers.append(lambda r, c, v: sheet.write_string(r, c, rate_text(v)))
        elif kind == Kind.LIGHT:
            writers.append(lambda r, c, v: sheet.write_string(r, c, light_label(v)))
        else:
            writers.append(sheet.write_string)
    return writers


def _sheet(book: Workbook, table: Table, *, above: Iterable[str] = ()):
    """The table's sheet with its column widths, the lines above the table (then a blank one), its header
    row, and the writers of its cells. Rows go top to bottom (constant memory): nothing can be put above later."""
    sheet = book.add_worksheet(table.name)
    above = list(above)
    for number, line in enumerate(above):
        sheet.write_string(number, 0, _safe(line), book.add_format(_TITLE) if number == 0 else None)
    head_row = len(above) + 1 if above else 0
    columns = table.columns_for(Output.XLSX)
    for number, column in enumerate(columns):
        if column.width:
            sheet.set_column(number, number, column.width)
    sheet.write_row(head_row, 0, [_safe(head) for head in table.heads(Output.XLSX)], book.add_format(_HEAD))
    return sheet, head_row, columns, _cell_writers(book, sheet, columns)


def _write_records(book: Workbook, table: Table, rows, *, above: Iterable[str] = ()):
    """A sheet of the table from rows that are dicts (the report's)."""
    sheet, head_row, columns, writers = _sheet(book, table, above=above)
    for r, row in enumerate(rows, head_row + 1):
        for c, (column, write) in enumerate(zip(columns, writers, strict=True)):
            value = column.value(row)
            if value is not None and value != "":
                write(r, c, value)


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
        above = (_title(report), f"统计日期 {day_text(report['as_of'])}")
        _write_records(book, RANKING, report["departments"], above=above)
        _write_records(book, OVERDUE, report["overdue"])

    return _workbook_file(write)


def report_assignments_xlsx(rows: Iterable[tuple], *, as_of: date, plan=None) -> IO[bytes]:
    """The 明细 (supervision.reports.report_assignments rows) as a workbook in a temporary file.

    Dates are real date cells, so that Excel sorts and filters them. Each cell is written by the call for
    its column's type: a province runs to some two million cells, and write_row's look at every value's
    type costs a tenth of the time.
    """

    def write(book: Workbook) -> None:
        sheet, _head_row, columns, writers = _sheet(book, ASSIGNMENTS)
        sheet.freeze_panes(1, 0)
        count = 0
        for r, row in enumerate(rows, 1):
            if r > _LAST_ROW:
                raise ValueError(f"明细 over Excel's {_LAST_ROW} rows")
            # Empty text and None are not written: the cell stays blank.
            for c, value in enumerate(row):
                if value is not None and value != "":
                    writers[c](r, c, value)
            count = r
        sheet.autofilter(0, 0, count, len(columns) - 1)
        about = book.add_worksheet("说明")
        about.set_column(0, 0, 12)
        about.set_column(1, 1, 40)
        about.write_string(0, 0, "督查通报明细", book.add_format(_TITLE))
        about.write_row(1, 0, ("方案", _safe(plan.title if plan is not None else "全部方案")))
        about.write_row(2, 0, ("统计日期", day_text(as_of)))
        about.write_row(3, 0, ("责任分工", count))
        about.write_row(4, 0, ("说明", "状态、进度、逾期天数均为统计日期当天的情况;此后的完成和签收不计。"))

    return _workbook_file(write)


def _docx_table(document, table: Table, rows) -> None:
    grid = document.add_table(rows=1, cols=len(table.columns_for(Output.DOCX)))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.heads(Output.DOCX), strict=True):
        cell.text = text
    for values in tables.cells(table, Output.DOCX, rows):
        for cell, value in zip(grid.add_row().cells, values, strict=True):
            cell.text = value


def docx(report: dict) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(10.5)
    document.add_heading(_title(report), level=1)
    s = report["summary"]
    document.add_paragraph(
        f"统计日期:{day_text(report['as_of'])}。共 {s['departments']} 个单位、{s['total']} 项责任分工,"
        f"按时完成 {s['completed_on_time']} 项,逾期完成 {s['completed_late']} 项,进行中 {s['in_progress']} 项,"
        f"未开始 {s['not_started']} 项,已逾期 {s['overdue']} 项;完成率 {rate_text(s['completion_rate']) or '—'},"
        f"按时完成率 {rate_text(s['on_time_rate']) or '—'}。"
    )
    document.add_heading("一、单位排名", level=2)
    _docx_table(document, RANKING, report["departments"])
    document.add_heading("二、逾期未完成任务", level=2)
    if not report["overdue"]:
        document.add_paragraph("无。")
    else:
        _docx_table(document, OVERDUE, report["overdue"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
