"""Task pages, the department board and the supervision report: thin views over tasks.services and selectors.

Who may do what (enforced here on every POST, and mirrored in what the page shows):
report progress and request an extension — the department's own members, and supervisors;
acknowledge (签收) — the department's own members; review reports and decide extensions — supervisors.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import downloads
from core.errors import form_action
from org import access
from org.access import reader_required
from org.models import Department
from plans.models import Plan
from tasks import report_files, reporting_calendar, reports, services
from tasks.forms import BoardFilterForm, DecideForm, ExtensionForm, ReportFilterForm, ReportForm, ReviewForm
from tasks.history import task_history
from tasks.models import DepartmentSnapshot, Evidence, ExtensionRequest, ProgressReport
from tasks.reports import supervision_report, supervision_report_csv_lines
from tasks.rules import Status
from tasks.scorecard import department_scorecards
from tasks.selectors import assignments_as_of, tasks_as_of
from tasks.visibility import visible_assignments, visible_plans, visible_tasks

DONE = (Status.COMPLETED_ON_TIME, Status.COMPLETED_LATE)
HISTORY_SHOWN = 50


def can_report(user, assignment) -> bool:
    return access.is_supervisor(user) or access.acts_for(user, assignment.department_id)


def can_acknowledge(user, assignment) -> bool:
    return access.acts_for(user, assignment.department_id)


# ---------------------------------------------------------------------------
# Task page


def _task_context(request, task_pk: int, *, bound: dict | None = None) -> dict:
    bound = bound or {}
    user = request.user
    today = timezone.localdate()
    task = get_object_or_404(tasks_as_of(today, visible_tasks(user)).select_related("plan", "clause"), pk=task_pk)
    supervisor = access.is_supervisor(user)
    own = set(access.department_ids(user))
    reads_all = access.reads_everything(user)
    assignments = (
        assignments_as_of(today, task.assignments.all())
        .select_related("department", "acknowledged_by")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.select_related("author", "reviewer")
                .prefetch_related("evidence")
                .order_by("-submitted_at", "-pk"),
            ),
            Prefetch(
                "extension_requests",
                queryset=ExtensionRequest.objects.select_related("requested_by", "decided_by").order_by(
                    "-created_at", "-pk"
                ),
            ),
        )
        .order_by("role", "department__name")
    )
    parts, others = [], []
    for a in assignments:
        if not (reads_all or a.department_id in own):
            others.append(a)
            continue
        open_work = a.status not in DONE
        has_pending_ext = any(x.decision == ExtensionRequest.Decision.PENDING for x in a.extension_requests.all())
        reports = [
            {
                "report": r,
                "review_form": bound.get(("review", r.pk)) or ReviewForm(prefix=f"review{r.pk}"),
                "can_review": supervisor and r.review_state == ProgressReport.Review.PENDING,
            }
            for r in a.reports.all()
        ]
        extensions = [
            {
                "request": x,
                "decide_form": bound.get(("decide", x.pk)) or DecideForm(prefix=f"decide{x.pk}"),
                "can_decide": supervisor and x.decision == ExtensionRequest.Decision.PENDING,
            }
            for x in a.extension_requests.all()
        ]
        parts.append(
            {
                "a": a,
                "mine": a.department_id in own,
                "reports": reports,
                "extensions": extensions,
                "can_report": can_report(user, a) and open_work,
                "can_acknowledge": can_acknowledge(user, a) and a.acknowledged_at is None,
                "can_extend": can_report(user, a) and open_work and not has_pending_ext,
                "can_chase": supervisor and open_work,
                "report_form": bound.get(("report", a.pk)) or ReportForm(prefix=f"report{a.pk}"),
                "extension_form": bound.get(("extension", a.pk))
                or ExtensionForm(prefix=f"ext{a.pk}", current_due=a.effective_due),
                "open_form": next((kind for kind, pk in bound if pk == a.pk), ""),
            }
        )
    parts.sort(key=lambda p: (not p["mine"], p["a"].role != "lead", p["a"].department.name))
    return {
        "task": task,
        "parts": parts,
        "others": others,
        "phases": list(task.phases.all()),
        "report_period": reporting_calendar.period_of(task.reporting_cadence, today)
        if reporting_calendar.has_periods(task.reporting_cadence)
        else None,
        # Newest first; the full record is the CSV export.
        "history": task_history(
            task=task, departments=None if access.reads_everything(user) else access.department_ids(user)
        )[::-1][:HISTORY_SHOWN],
        "is_supervisor": supervisor,
        "today": today,
    }


@login_required
def task_detail(request, pk):
    return render(request, "tasks/task_detail.html", _task_context(request, pk))


def _assignment_or_404(request, pk):
    return get_object_or_404(visible_assignments(request.user).select_related("task", "department"), pk=pk)


def _back(assignment, anchor="assignment"):
    return redirect(reverse("tasks:detail", args=[assignment.task_id]) + f"#{anchor}-{assignment.pk}")


def _again(request, task_pk, key, form):
    """The task page again with the form that failed, its errors beside the fields."""
    return render(request, "tasks/task_detail.html", _task_context(request, task_pk, bound={key: form}), status=400)


def _submit(request, form, *, act, done, assignment, key):
    """Run a valid form's action through its service; refusals and invalid input show beside the form."""
    acted, _result = form_action(form, act)
    if acted:
        messages.success(request, done(form.cleaned_data))
        return _back(assignment)
    return _again(request, assignment.task_id, key, form)


@login_required
@require_POST
def report_submit(request, pk):
    assignment = _assignment_or_404(request, pk)
    if not can_report(request.user, assignment):
        raise PermissionDenied(_("只能为本单位报送进展。"))
    form = ReportForm(request.POST, request.FILES, prefix=f"report{assignment.pk}")
    return _submit(
        request,
        form,
        act=lambda data: services.progress_report_submit(
            assignment=assignment, author=request.user, text=data["text"], percent=data["percent"], files=data["files"]
        ),
        done=lambda data: _("进展已报送,等待督查科审核。"),
        assignment=assignment,
        key=("report", assignment.pk),
    )


@login_required
@require_POST
def report_review(request, pk):
    report = get_object_or_404(
        ProgressReport.objects.filter(assignment__in=visible_assignments(request.user)).select_related("assignment"),
        pk=pk,
    )
    if not access.is_supervisor(request.user):
        raise PermissionDenied(_("只有督查员可以审核进展报告。"))
    form = ReviewForm(request.POST, prefix=f"review{report.pk}")
    return _submit(
        request,
        form,
        act=lambda data: services.progress_report_review(
            report=report, reviewer=request.user, approve=data["decision"] == "approve", comment=data["comment"]
        ),
        done=lambda data: _("已通过,进度已更新。")
        if data["decision"] == "approve"
        else _("已退回,本单位会看到您的意见。"),
        assignment=report.assignment,
        key=("review", report.pk),
    )


@login_required
@require_POST
def extension_request(request, pk):
    assignment = _assignment_or_404(request, pk)
    if not can_report(request.user, assignment):
        raise PermissionDenied(_("只能为本单位申请延期。"))
    form = ExtensionForm(request.POST, prefix=f"ext{assignment.pk}", current_due=assignment.effective_due_date)
    return _submit(
        request,
        form,
        act=lambda data: services.extension_request_create(
            assignment=assignment,
            user=request.user,
            requested_due_date=data["requested_due_date"],
            reason=data["reason"],
        ),
        done=lambda data: _("延期申请已提交,等待督查科审批。"),
        assignment=assignment,
        key=("extension", assignment.pk),
    )


@login_required
@require_POST
def extension_decide(request, pk):
    extension = get_object_or_404(
        ExtensionRequest.objects.filter(assignment__in=visible_assignments(request.user)).select_related("assignment"),
        pk=pk,
    )
    if not access.is_supervisor(request.user):
        raise PermissionDenied(_("只有督查员可以审批延期申请。"))
    form = DecideForm(request.POST, prefix=f"decide{extension.pk}")
    return _submit(
        request,
        form,
        act=lambda data: services.extension_decide(
            request=extension, decider=request.user, approve=data["decision"] == "approve", comment=data["comment"]
        ),
        done=lambda data: _("已批准,时限已更新。") if data["decision"] == "approve" else _("已不予批准。"),
        assignment=extension.assignment,
        key=("decide", extension.pk),
    )


@login_required
@require_POST
def acknowledge(request, pk):
    assignment = _assignment_or_404(request, pk)
    if not can_acknowledge(request.user, assignment):
        raise PermissionDenied(_("只有本单位人员可以签收。"))
    services.assignment_acknowledge(assignment=assignment, user=request.user)
    messages.success(request, _("已签收。"))
    return _back(assignment)


@login_required
def evidence_download(request, pk):
    evidence = get_object_or_404(
        Evidence.objects.filter(report__assignment__in=visible_assignments(request.user)), pk=pk
    )
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


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
        snaps.values("as_of", "department_id", "department__name", "total", "completed_on_time", "completed_late")
    )
    days_seen = sorted({r["as_of"] for r in rows})
    if len(days_seen) < 2:
        return None
    totals = defaultdict(lambda: [0, 0])
    per_dept = defaultdict(dict)
    names = {}
    for r in rows:
        done = r["completed_on_time"] + r["completed_late"]
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
        "tasks/board.html",
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
        "tasks/report.html",
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
        "tasks/department.html",
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
