"""The supervision pages: the department board, a department's work, the 督查通报 and its 明细 as files.

Members see their own departments on the board and the department page; the report is for
supervisors and viewers.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core import downloads
from org import access
from org.access import reader_required
from org.models import Department
from plans.models import Plan
from supervision import report_files, reports
from supervision.forms import BoardFilterForm, ReportFilterForm
from supervision.reports import supervision_report, supervision_report_csv_lines
from supervision.scorecard import department_scorecards
from tasks.models import DepartmentSnapshot
from tasks.rules import DONE, Status
from tasks.selectors import assignments_as_of
from tasks.visibility import visible_assignments, visible_plans

# ---------------------------------------------------------------------------
# Department board


def _trend(plan, department_ids, as_of: date, days: int = 90) -> dict | None:
    """Completion rate per day from the stored snapshots: one line per department (top six) and the total."""
    snaps = DepartmentSnapshot.objects.filter(
        role=DepartmentSnapshot.Role.ALL, as_of__gte=as_of - timedelta(days=days), as_of__lte=as_of
    )
    snaps = snaps.filter(plan=plan) if plan is not None else snaps.filter(plan__isnull=True)
    if department_ids is not None:
        snaps = snaps.filter(department_id__in=department_ids)
    rows = list(
        snaps.values(
            "as_of",
            "department_id",
            "department__name",
            "total",
            "completed_on_time",
            "completed_late",
            "completed_undated",
        )  # fmt: skip
    )
    days_seen = sorted({r["as_of"] for r in rows})
    if len(days_seen) < 2:
        return None
    totals = defaultdict(lambda: [0, 0])
    per_dept = defaultdict(dict)
    names = {}
    for r in rows:
        done = r["completed_on_time"] + r["completed_late"] + r["completed_undated"]
        totals[r["as_of"]][0] += done
        totals[r["as_of"]][1] += r["total"]
        per_dept[r["department_id"]][r["as_of"]] = 100 * done / r["total"] if r["total"] else None
        names[r["department_id"]] = r["department__name"]
    width, height, left, top, bottom = 640, 220, 36, 10, 26
    first, last = days_seen[0], days_seen[-1]
    span = (last - first).days or 1

    def point(day, rate):
        x = left + (day - first).days * (width - left - 10) / span
        y = top + (100 - rate) * (height - top - bottom) / 100
        return round(x, 1), round(y, 1)

    series = [
        {
            "name": "全部单位",
            "points": [point(d, 100 * totals[d][0] / totals[d][1]) for d in days_seen if totals[d][1]],
        }
    ]
    latest_total = {r["department_id"]: r["total"] for r in rows if r["as_of"] == last}
    busiest = sorted(per_dept, key=lambda d: (-latest_total.get(d, 0), names[d]))[:5]
    for dept in busiest:
        series.append(
            {
                "name": names[dept],
                "points": [point(d, rate) for d, rate in sorted(per_dept[dept].items()) if rate is not None],
            }
        )
    for i, s in enumerate(series):
        s["cls"] = i
        s["path"] = " ".join(f"{x},{y}" for x, y in s["points"])
    return {
        "width": width,
        "height": height,
        "series": series,
        "grid": [{"y": point(first, v)[1], "label": f"{v}%"} for v in (0, 25, 50, 75, 100)],
        "x_labels": [
            {"x": point(d, 0)[0], "label": f"{d.month}月{d.day}日"}
            for d in (days_seen[0], days_seen[len(days_seen) // 2], days_seen[-1])
        ],
        "left": left,
        "right": width - 10,
        "from": first,
        "to": last,
    }


@login_required
def board(request):
    """单位看板: ranking with rates and lights; members see their own departments' rows."""
    today = timezone.localdate()
    form = BoardFilterForm(request.GET or None, initial={"as_of": today})
    plan, as_of = None, today
    if form.is_valid():
        if form.cleaned_data["plan"]:
            plan = get_object_or_404(visible_plans(request.user), pk=form.cleaned_data["plan"])
        as_of = form.cleaned_data["as_of"] or today
    if as_of > today:
        as_of = today
    department_ids = None if access.reads_everything(request.user) else access.department_ids(request.user)
    cards = department_scorecards(as_of=as_of, plan=plan, department_ids=department_ids)
    return render(
        request,
        "supervision/board.html",
        {
            "form": form,
            "cards": cards,
            "plan": plan,
            "as_of": as_of,
            "today": today,
            "trend": _trend(plan, department_ids, as_of),
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
        {"form": form, "report": data, "query": query.urlencode(), "today": timezone.localdate()},
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
    if not (access.reads_everything(request.user) or access.acts_for(request.user, pk)):
        raise Http404(_("没有这个单位。"))
    dept = get_object_or_404(Department, pk=pk)
    today = timezone.localdate()
    base = visible_assignments(request.user).filter(department=dept).select_related("task", "task__plan", "department")
    rows = list(assignments_as_of(today, base).order_by("-days_overdue", "effective_due", "task__plan_id", "task_id"))
    return render(
        request,
        "supervision/department.html",
        {
            "department": dept,
            "rows": rows,
            "today": today,
            "done": sum(1 for a in rows if a.status in DONE),
            "overdue": sum(1 for a in rows if a.status == Status.OVERDUE),
            "at_risk": sum(1 for a in rows if a.light == "yellow"),
            "members": dept.memberships.select_related("user").order_by("role")
            if access.reads_everything(request.user)
            else [],
        },
    )
