"""The 督查通报's tables come from one column spec (supervision.tables): the page, the CSV, the workbook and
the Word document each show the headers the spec gives that output, and the same cells for the same row."""

import io
from html.parser import HTMLParser

import pytest
from docx import Document
from openpyxl import load_workbook

from supervision.tables import ASSIGNMENTS, OVERDUE, RANKING, Output
from tests.downloads import body, csv_rows

pytestmark = pytest.mark.django_db

URL = "/reports/supervision/"


class _Cells(HTMLParser):
    """The text of each header and body row of the tables inside the section with the given id."""

    def __init__(self, section: str):
        super().__init__()
        self.section, self.inside, self.depth = section, False, 0
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.depth += 1
            if dict(attrs).get("id") == self.section:
                self.inside, self.depth = True, 1
        if not self.inside:
            return
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "section":
            self.depth -= 1
            if self.inside and self.depth == 0:
                self.inside = False
        if self.inside and tag in ("th", "td") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def page_rows(html: str, section: str) -> list[list[str]]:
    parser = _Cells(section)
    parser.feed(html)
    return parser.rows


@pytest.fixture
def outputs(signed_in, world):
    client = signed_in("supervisor")
    query = {"plan": world.plan.pk}
    html = client.get(URL, query).content.decode() + client.get("/board/", query).content.decode()
    csv = csv_rows(client.get(URL, {**query, "format": "csv"}))
    book = load_workbook(io.BytesIO(body(client.get(URL, {**query, "format": "xlsx"}))))
    word = Document(io.BytesIO(client.get(URL, {**query, "format": "docx"}).content))
    return html, csv, book, word


def test_each_output_declares_its_columns_in_the_spec():
    assert len(RANKING.heads(Output.CSV)) == 20 and RANKING.heads(Output.XLSX) == RANKING.heads(Output.CSV)
    assert len(RANKING.heads(Output.HTML)) == 14 and len(RANKING.heads(Output.DOCX)) == 9
    assert RANKING.heads(Output.BOARD) == [
        "排名", "单位", "得分", "任务数", "已完成", "已逾期", "有风险", "完成率", "按时完成率", "红黄绿灯",
    ]  # fmt: skip
    assert OVERDUE.heads(Output.BOARD) == [] and ASSIGNMENTS.heads(Output.HTML) == []
    assert OVERDUE.heads(Output.CSV) == ["单位", "角色", "任务", "方案", "完成时限", "逾期天数", "进度(%)", "状态"]
    assert OVERDUE.heads(Output.HTML) == OVERDUE.heads(Output.XLSX) == OVERDUE.heads(Output.DOCX)
    assert OVERDUE.heads(Output.DOCX) == OVERDUE.heads(Output.CSV)[:-1]
    assert ASSIGNMENTS.heads(Output.CSV) == ASSIGNMENTS.heads(Output.XLSX) and len(ASSIGNMENTS.columns) == 14
    assert ASSIGNMENTS.heads(Output.DOCX) == []
    for table in (RANKING, OVERDUE, ASSIGNMENTS):
        keys = [column.key for column in table.columns]
        assert len(set(keys)) == len(keys)
        assert all(column.outputs for column in table.columns)


def test_every_output_shows_the_headers_the_spec_gives_it(outputs):
    html, csv, book, word = outputs
    ranking, overdue = page_rows(html, "report-ranking"), page_rows(html, "report-overdue")
    assert ranking[0] == RANKING.heads(Output.HTML)
    assert page_rows(html, "ranking")[0] == RANKING.heads(Output.BOARD)
    assert overdue[0] == OVERDUE.heads(Output.HTML)
    assert csv[2] == RANKING.heads(Output.CSV)
    at = csv.index(["逾期任务"])
    assert csv[at + 1] == OVERDUE.heads(Output.CSV)
    ranking_sheet = book["单位排名"]
    assert (ranking_sheet["A1"].value, ranking_sheet["A3"].value) == ("督查通报:课后服务提质行动方案", None)
    assert ranking_sheet["A2"].value.startswith("统计日期 ") and ranking_sheet["A1"].font.b
    assert [c.value for c in ranking_sheet[4]] == RANKING.heads(Output.XLSX)
    assert [c.value for c in book["逾期任务"][1]] == OVERDUE.heads(Output.XLSX)
    first, second = word.tables
    assert [c.text for c in first.rows[0].cells] == RANKING.heads(Output.DOCX)
    assert [c.text for c in second.rows[0].cells] == OVERDUE.heads(Output.DOCX)


def _text(value) -> str:
    return "" if value is None else str(value)


def test_the_same_department_reads_the_same_in_every_output(outputs):
    """市财政局 leads the overdue 完善经费保障 and is co of 扩大覆盖面."""
    html, csv, book, word = outputs
    heads = RANKING.heads(Output.CSV)
    in_csv = next(dict(zip(heads, row, strict=True)) for row in csv[3:] if row[1] == "市财政局")
    assert (in_csv["任务数"], in_csv["已逾期"], in_csv["完成率"], in_csv["红黄绿灯"]) == ("2", "1", "0.0%", "红灯")
    sheet = [[_text(c.value) for c in row] for row in book["单位排名"].iter_rows(min_row=4)]
    in_xlsx = next(dict(zip(sheet[0], row, strict=True)) for row in sheet[1:] if row[1] == "市财政局")
    assert in_xlsx == in_csv
    page = page_rows(html, "report-ranking")
    in_page = next(dict(zip(page[0], row, strict=True)) for row in page[1:] if row[1] == "市财政局")
    assert in_page == {h: in_csv[h] for h in RANKING.heads(Output.HTML)}
    board = page_rows(html, "ranking")
    on_board = next(dict(zip(board[0], row, strict=True)) for row in board[1:] if row[1] == "市财政局")
    assert on_board == {**{h: in_csv.get(h) for h in RANKING.heads(Output.BOARD)}, "已完成": "0"}
    table = [[c.text for c in row.cells] for row in word.tables[0].rows]
    in_word = next(dict(zip(table[0], row, strict=True)) for row in table[1:] if row[1] == "市财政局")
    assert in_word == {**{h: in_csv[h] for h in RANKING.heads(Output.DOCX) if h != "已完成"}, "已完成": "0"}


def test_the_overdue_row_reads_the_same_in_every_output(outputs, world):
    html, csv, book, word = outputs
    due = world.task_b.due_date
    at = csv.index(["逾期任务"])
    names = ["市财政局", "牵头", "完善经费保障", "课后服务提质行动方案"]
    assert csv[at + 2] == [*names, due.isoformat(), "5", "0", "已逾期"]
    sheet = list(book["逾期任务"].iter_rows(min_row=2, values_only=True))
    assert [(*row[:4], row[4].date(), *row[5:]) for row in sheet] == [(*names, due, 5, 0)]
    in_word = [c.text for c in word.tables[1].rows[1].cells]
    assert in_word == [*names, f"{due.year}年{due.month}月{due.day}日", "5", "0"]
    assert page_rows(html, "report-overdue")[1] == [*names, f"{due.year}年{due.month}月{due.day}日", "5", "0"]
    assert f'<a href="/tasks/{world.task_b.pk}/">完善经费保障</a>' in html


def test_the_detail_csvs_fast_path_writes_what_the_spec_says():
    """report_assignments labels the database's tuples and csv_tuples touches only some cells; the same
    rows read as records through each column of the spec give the same cells."""
    import csv
    from datetime import date

    from supervision import tables
    from supervision.reports import report_assignments_csv

    coded = [
        ("=市教育局", "lead", "@校舍改造", "+方案", "-1号", date(2026, 6, 30), "not_started", "yellow", 0, 87, 0, None,
         date(2026, 5, 10), 7),
        ("市财政局", "co", "校舍改造", "方案", "", None, "completed_late", "green", 100, 100, 10, date(2026, 5, 10),
         None, 8),
    ]  # fmt: skip
    keys = [column.key for column in ASSIGNMENTS.columns]
    records = [dict(zip(keys, row, strict=True)) for row in coded]
    by_spec = io.StringIO()
    csv.writer(by_spec).writerows([ASSIGNMENTS.heads(Output.CSV), *tables.cells(ASSIGNMENTS, Output.CSV, records)])
    labelled = [tuple(column.value(record) for column in ASSIGNMENTS.columns) for record in records]
    written = "".join(report_assignments_csv(labelled))
    assert written == by_spec.getvalue()
    first, second = written.splitlines()[1:]
    assert first == "'=市教育局,牵头,'@校舍改造,'+方案,'-1号,2026-06-30,未开始,黄灯,0,87,0,,2026-05-10,7"
    assert second == "市财政局,配合,校舍改造,方案,,,逾期完成,绿灯,100,100,10,2026-05-10,,8"
