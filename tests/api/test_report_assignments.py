"""督查通报明细: every assignment in the report's scope with its status on the day, CSV (streamed) and XLSX.

On top of the API world (seen on 2026-06-15):
  市教育局  lead  校舍改造 (plan_a, due 06-30, phase from 03-01), 签收 05-10, a pending report: not started, behind
  市教育局  lead  校园安全 (plan_b, due 04-30), completed 05-10: late by 10 days
  市财政局  co    校舍改造, completed 06-10: on time
  市财政局  lead  教师培训 (plan_a, due 05-31): overdue by 15 days
  市财政局  lead  经费拨付 (plan_b, due 12-31), 签收 06-12: not started, behind
"""

import io
import tempfile
from datetime import date, datetime

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from plans.models import Plan
from supervision import report_files
from supervision.reports import report_assignments
from supervision.tables import ASSIGNMENTS, Output
from tasks import services
from tasks.models import Task
from tests.downloads import body, csv_rows
from tests.status.conftest import at

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/supervision/assignments/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def more(world, personas):
    Plan.objects.update(status=Plan.Status.ACTIVE)  # the report form offers only plans in force
    with at(date(2026, 1, 5)):
        (co_a,) = services.task_assign(task=world.task_a, co=[personas.dept_b])
        task_d = Task.objects.create(plan=world.plan_b, title="校园安全", due_date=date(2026, 4, 30))
        (part_d,) = services.task_assign(task=task_d, leads=[personas.dept_a])
    with at(date(2026, 5, 10)):
        services.assignment_complete(assignment=part_d, completed_on=date(2026, 5, 10))
        services.assignment_acknowledge(assignment=world.part_a, user=personas.liaison_a)
    with at(date(2026, 6, 10)):
        services.assignment_complete(assignment=co_a)
    with at(date(2026, 6, 12)):
        services.assignment_acknowledge(assignment=world.part_c, user=personas.liaison_b)
    return world


def by_task(rows, head):
    """Rows keyed by (单位, 任务), each a dict by column name."""
    return {(r[0], r[2]): dict(zip(head, r, strict=True)) for r in rows}


PLAN_A, PLAN_B = "教育提质行动计划", "财政保障方案"
EXPECTED = {  # 角色, 方案, 完成时限, 状态, 灯, 进度, 应达进度, 逾期天数, 完成日期, 签收日期
    ("市教育局", "校舍改造"): ("牵头", PLAN_A, "2026-06-30", "未开始", "黄灯", "0", "87", "0", "", "2026-05-10"),
    ("市教育局", "校园安全"): ("牵头", PLAN_B, "2026-04-30", "逾期完成", "绿灯", "100", "100", "10", "2026-05-10", ""),
    ("市财政局", "校舍改造"): ("配合", PLAN_A, "2026-06-30", "按时完成", "绿灯", "100", "87", "0", "2026-06-10", ""),
    ("市财政局", "教师培训"): ("牵头", PLAN_A, "2026-05-31", "已逾期", "红灯", "0", "100", "15", "", ""),
    ("市财政局", "经费拨付"): ("牵头", PLAN_B, "2026-12-31", "未开始", "黄灯", "0", "45", "0", "", "2026-06-12"),
}  # fmt: skip
CHECKED = ("角色", "方案", "完成时限", "状态", "红黄绿灯", "进度(%)", "应达进度(%)", "逾期天数", "完成日期", "签收日期")


def test_csv_lists_every_assignment_with_its_status_on_the_day(more, api):
    response = api("supervisor").get(URL)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="supervision-assignments-20260615.csv"'
    head, *rows = csv_rows(response)
    assert head == ASSIGNMENTS.heads(Output.CSV)
    found = by_task(rows, head)
    assert {key: tuple(row[c] for c in CHECKED) for key, row in found.items()} == EXPECTED
    assert found[("市教育局", "校舍改造")]["文号"] == "宁教〔2026〕1号"
    assert found[("市财政局", "教师培训")]["任务编号"] == str(more.task_b.pk)
    # each department's rows together, then by plan and task
    departments = [r[0] for r in rows]
    assert departments == sorted(departments, key=departments.index)
    assert [r[2] for r in rows if r[0] == "市财政局"] == ["校舍改造", "教师培训", "经费拨付"]


def test_rows_agree_with_the_assignment_list(more, api):
    """The 明细 and GET assignments/ come from the same status expressions."""
    listed = api("supervisor").get("/api/v1/assignments/", {"page_size": 100}).json()["results"]
    head, *rows = csv_rows(api("supervisor").get(URL))
    found = by_task(rows, head)
    labels = {"completed_on_time": "按时完成", "completed_late": "逾期完成", "overdue": "已逾期"}
    labels |= {"in_progress": "进行中", "not_started": "未开始"}
    for item in listed:
        row = found[(item["department_name"], item["task_title"])]
        assert row["状态"] == labels[item["status"]]
        assert row["红黄绿灯"] == {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}[item["light"]]
        assert (row["进度(%)"], row["应达进度(%)"], row["逾期天数"]) == tuple(
            str(item[f]) for f in ("progress_as_of", "expected_progress", "days_overdue")
        )
    assert len(rows) == len(listed) == 5


def test_a_past_day_leaves_out_later_completion_and_acknowledgement(more, api):
    head, *rows = csv_rows(api("supervisor").get(URL, {"as_of": "2026-06-05"}))
    found = by_task(rows, head)
    co = found[("市财政局", "校舍改造")]
    assert (co["状态"], co["进度(%)"], co["完成日期"]) == ("未开始", "0", "")
    assert found[("市财政局", "经费拨付")]["签收日期"] == ""
    assert found[("市教育局", "校舍改造")]["签收日期"] == "2026-05-10"
    assert found[("市财政局", "教师培训")]["逾期天数"] == "5"
    # an assignment made after the day is not there
    head, *rows = csv_rows(api("supervisor").get(URL, {"as_of": "2026-01-04"}))
    assert rows == []


def test_the_detail_holds_what_the_report_counts(more, api, personas):
    client = api("viewer")
    for params in ({}, {"plan": more.plan_a.pk}, {"departments": f"{personas.dept_b.pk}"}):
        report = client.get("/api/v1/reports/supervision/", params).json()
        head, *rows = csv_rows(client.get(URL, params))
        assert len(rows) == report["summary"]["total"]
        per_department = {d["department"]: d["total"] for d in report["departments"]}
        assert per_department == {name: sum(r[0] == name for r in rows) for name in per_department}
    head, *rows = csv_rows(client.get(URL, {"plan": more.plan_b.pk, "departments": f"{personas.dept_a.pk}"}))
    assert [(r[0], r[2]) for r in rows] == [("市教育局", "校园安全")]


@pytest.mark.parametrize(
    ("who", "code"),
    [("supervisor", 200), ("viewer", 200), ("liaison_a", 403), ("head_a", 403), ("liaison_b", 403), (None, 403)],
)
def test_only_supervisors_and_viewers_get_the_detail(more, api, who, code):
    for params in ({}, {"format": "xlsx"}):
        response = api(who).get(URL, params)
        assert response.status_code in ((401, 403) if code == 403 else (code,))
        if code != 200:
            assert response["Content-Type"].startswith("application/json")


def test_page_download_follows_the_report_form(more, client, personas, today):
    client.force_login(personas.supervisor)
    page = client.get(reverse("supervision:report"), {"plan": more.plan_a.pk}).content.decode()
    assert f'href="/reports/supervision/assignments/?plan={more.plan_a.pk}&format=xlsx"' in page
    response = client.get(
        reverse("supervision:report_assignments"), {"plan": more.plan_a.pk, "departments": [personas.dept_b.pk]}
    )
    assert isinstance(response, StreamingHttpResponse) and response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    head, *rows = csv_rows(response)
    assert [(r[0], r[1], r[2]) for r in rows] == [("市财政局", "配合", "校舍改造"), ("市财政局", "牵头", "教师培训")]
    client.force_login(personas.liaison_a)
    assert client.get(reverse("supervision:report_assignments")).status_code == 403


@pytest.mark.parametrize("ask", [{"format": "xlsx"}, {"HTTP_ACCEPT": XLSX}])
def test_xlsx_opens_with_the_same_rows(more, api, ask):
    params = {"format": ask["format"]} if "format" in ask else {}
    headers = {k: v for k, v in ask.items() if k != "format"}
    response = api("supervisor").get(URL, params, **headers)
    assert response.status_code == 200 and isinstance(response, FileResponse)
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="supervision-assignments-20260615.xlsx"'
    book = load_workbook(io.BytesIO(body(response)))
    assert book.sheetnames == ["明细", "说明"]
    head, *rows = book["明细"].iter_rows(values_only=True)
    assert list(head) == ASSIGNMENTS.heads(Output.XLSX)
    found = by_task(rows, head)
    late = found[("市教育局", "校园安全")]
    assert late["完成时限"] == datetime(2026, 4, 30) and late["完成日期"] == datetime(2026, 5, 10)
    assert (late["状态"], late["逾期天数"], late["进度(%)"]) == ("逾期完成", 10, 100)
    assert found[("市财政局", "教师培训")]["签收日期"] is None
    assert len(rows) == 5 and book["明细"].auto_filter.ref == "A1:N6"
    about = {r[0]: r[1] for r in book["说明"].iter_rows(values_only=True)}
    assert (about["方案"], about["统计日期"], about["责任分工"]) == ("全部方案", "2026年6月15日", 5)


def test_bad_parameters_answer_json(more, api):
    response = api("supervisor").get(URL, {"as_of": "2026-13-01"})
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")
    assert "as_of" in response.json()
    assert api("supervisor").get(URL, {"plan": "x"}).status_code == 400
    assert api("supervisor").get(URL, {"departments": "a,b"}).status_code == 400
    unknown = api("supervisor").get(URL, {"format": "pdf"})
    assert unknown.status_code == 404 and unknown["Content-Type"].startswith("application/json")


def test_rows_are_read_in_chunks(more, today):
    small = list(report_assignments(as_of=today, chunk_size=2))
    assert small == list(report_assignments(as_of=today)) and len(small) == 5


ROW = ("=市教育局", "牵头", "@校舍改造", "+方案", "-1号", date(2026, 6, 30), "未开始", "黄灯", 0, 87, None, None)


def test_xlsx_cells_and_layout():
    rows = [(*ROW, date(2026, 5, 10), 7), ("市财政局", "配合", "校舍改造", "方案", "", *ROW[5:], None, 8)]
    book = load_workbook(report_files.report_assignments_xlsx(rows, as_of=date(2026, 6, 15)))
    sheet = book["明细"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:N3"
    assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb.endswith("F3F4F6")
    assert sheet.column_dimensions["A"].width >= 22 and sheet.column_dimensions["C"].width >= 40
    first, second = sheet.iter_rows(min_row=2)
    assert [c.value for c in first[:5]] == ["'=市教育局", "牵头", "'@校舍改造", "'+方案", "'-1号"]
    assert all(c.data_type == "s" for c in first[:5])
    assert first[5].value == datetime(2026, 6, 30) and first[5].number_format == "yyyy-mm-dd"
    assert first[12].value == datetime(2026, 5, 10) and first[12].number_format == "yyyy-mm-dd"
    assert [c.value for c in first[8:12]] == [0, 87, None, None] and first[13].value == 7
    assert second[4].value is None and second[12].value is None
    about = {r[0]: r[1] for r in book["说明"].iter_rows(values_only=True)}
    assert (about["方案"], about["统计日期"], about["责任分工"]) == ("全部方案", "2026年6月15日", 2)


def test_xlsx_that_fails_leaves_no_files(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where XlsxWriter keeps each sheet's rows

    def broken():
        yield (*ROW, None, 1)
        raise RuntimeError("connection lost")

    with pytest.raises(RuntimeError, match="connection lost"):
        report_files.report_assignments_xlsx(broken(), as_of=date(2026, 6, 15))
    monkeypatch.setattr(report_files, "_LAST_ROW", 2)
    with pytest.raises(ValueError, match="Excel"):
        report_files.report_assignments_xlsx([(*ROW, None, n) for n in range(3)], as_of=date(2026, 6, 15))
    assert list(tmp_path.iterdir()) == []
