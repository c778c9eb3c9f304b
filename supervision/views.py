"""The supervision pages: the department board, a department's work, the 督查通报 and its 明细 as files.

Members see their own departments on the board and the department page; the report is for
supervisors and viewers.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core import downloads
from org import access
from org.access import reader_required
from org.models import Department
from plans.models import Plan
from supervision import report_files, reports, selectors, tables
from supervision.forms import BoardFilterForm, ReportFilterForm
from supervision.reports import supervision_report, supervision_report_csv_lines
from supervision.scorecard import department_scorecards
from tasks import charts
from tasks.models import Assignment

# ---------------------------------------------------------------------------
# Department board


@login_required
def board(request):
    """单位看板: ranking with rates and lights; members see their own departments' rows."""
    today = timezone.localdate()
    form = BoardFilterForm(request.GET or None, initial={"as_of": today})
    plan, as_of = None, today
    if form.is_valid():
        if form.cleaned_data["plan"]:
            plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=form.cleaned_data["plan"])
        as_of = form.cleaned_data["as_of"] or today
    if as_of > today:
        as_of = today
    department_ids = access.scope_department_ids(request.user)
    cards = department_scorecards(as_of=as_of, plan=plan, department_ids=department_ids)
    return render(
        request,
        "supervision/board.html",
        {
            "form": form,
            "cards": cards,
            "ranking": tables.html(tables.RANKING, [card.as_dict() for card in cards], tables.Output.BOARD),
            "plan": plan,
            "as_of": as_of,
            "today": today,
            "trend": charts.trend(selectors.trend_points(plan=plan, department_ids=department_ids, as_of=as_of)),
            "reads_all": access.reads_everything(request.user),
        },
    )


# ---------------------------------------------------------------------------
# Supervision report


def _report_scope(request):
    """The report's filter form, and the plan, day, start of counting and departments it names."""
    today = timezone.localdate()
    form = ReportFilterForm(request.GET or None, initial={"as_of": today})
    plan, as_of, since, departments = None, today, None, None
    if form.is_valid():
        if form.cleaned_data["plan"]:
            plan = get_object_or_404(Plan, pk=form.cleaned_data["plan"])
        as_of = min(form.cleaned_data["as_of"] or today, today)
        since = form.cleaned_data["since"]
        departments = [d.pk for d in form.cleaned_data["departments"]] or None
    return form, plan, as_of, since, departments


@reader_required
def report(request):
    form, plan, as_of, since, departments = _report_scope(request)
    data = supervision_report(as_of=as_of, plan=plan, department_ids=departments, since=since)
    fmt = request.GET.get("format", "")
    stem = f"督查通报-{as_of.isoformat()}"
    if fmt == "csv":
        return _attachment(downloads.csv_response(supervision_report_csv_lines(data)), f"{stem}.csv")
    if fmt == "xlsx":
        return _attachment(downloads.file_response(report_files.xlsx(data), report_files.XLSX_TYPE), f"{stem}.xlsx")
    if fmt == "docx":
        response = HttpResponse(report_files.docx(data), content_type=report_files.DOCX_TYPE)
        return _attachment(response, f"{stem}.docx")
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "supervision/report.html",
        {
            "form": form,
            "report": data,
            "ranking": tables.html(tables.RANKING, data["departments"]),
            "overdue": tables.html(tables.OVERDUE, data["overdue"]),
            "query": query.urlencode(),
            "today": timezone.localdate(),
        },
    )


@reader_required
def report_assignments(request):
    """督查通报明细: every assignment in the report's scope, CSV (streamed; the default) or XLSX (?format=xlsx)."""
    _form, plan, as_of, _since, departments = _report_scope(request)
    rows = reports.report_assignments(as_of=as_of, plan=plan, department_ids=departments)
    stem = f"督查通报明细-{as_of.isoformat()}"
    if request.GET.get("format") == "xlsx":
        workbook = report_files.report_assignments_xlsx(rows, as_of=as_of, plan=plan)
        return _attachment(downloads.file_response(workbook, report_files.XLSX_TYPE), f"{stem}.xlsx")
    return _attachment(downloads.csv_response(reports.report_assignments_csv(rows)), f"{stem}.csv")


def _attachment(response, filename: str):
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def department(request, pk):
    """A department's assignments, most urgent first: readers see any department, members their own."""
    dept = get_object_or_404(Department.objects.visible_to(request.user), pk=pk)
    today = timezone.localdate()
    assignments = Assignment.objects.visible_to(request.user).filter(department=dept)
    work = selectors.department_work(assignments=assignments, today=today)
    return render(
        request,
        "supervision/department.html",
        {
            "department": dept,
            "today": today,
            **work,
            "members": dept.memberships.select_related("user").order_by("role")
            if access.reads_everything(request.user)
            else [],
        },
    )
