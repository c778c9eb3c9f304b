"""Task pages: thin views over tasks.services and selectors (the board and the report are in supervision).

Who may do what is org.access's can_* rules: checked here on every POST (403), mirrored in what the
page shows, and checked again by the services themselves.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import form_action
from org import access
from tasks import reporting_calendar, services
from tasks.editing import OPEN_PLAN
from tasks.evidence import evidence_response
from tasks.forms import DecideForm, ExtensionForm, ReportForm, ReviewForm
from tasks.history import task_history
from tasks.models import Assignment, Evidence, ExtensionRequest, ProgressReport, Task
from tasks.rules import DONE
from tasks.selectors import assignments_as_of, tasks_as_of

HISTORY_SHOWN = 50


# ---------------------------------------------------------------------------
# Task page


def _task_context(request, task_pk: int, *, bound: dict | None = None) -> dict:
    bound = bound or {}
    user = request.user
    today = timezone.localdate()
    task = get_object_or_404(
        tasks_as_of(today, Task.objects.visible_to(user)).select_related("plan", "clause"), pk=task_pk
    )
    reviews = access.can_review(user)
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
                "can_review": reviews and r.review_state == ProgressReport.Review.PENDING,
            }
            for r in a.reports.all()
        ]
        extensions = [
            {
                "request": x,
                "decide_form": bound.get(("decide", x.pk)) or DecideForm(prefix=f"decide{x.pk}"),
                "can_decide": reviews and x.decision == ExtensionRequest.Decision.PENDING,
            }
            for x in a.extension_requests.all()
        ]
        parts.append(
            {
                "a": a,
                "mine": a.department_id in own,
                "reports": reports,
                "extensions": extensions,
                "can_report": access.can_report(user, a, departments=own) and open_work,
                "can_acknowledge": access.can_acknowledge(user, a, departments=own) and a.acknowledged_at is None,
                "can_extend": access.can_request_extension(user, a, departments=own)
                and open_work
                and not has_pending_ext,
                "can_chase": access.can_chase(user) and open_work,
                "report_form": bound.get(("report", a.pk)) or ReportForm(prefix=f"report{a.pk}"),
                "extension_form": bound.get(("extension", a.pk))
                or ExtensionForm(prefix=f"ext{a.pk}", current_due=a.effective_due),
                "open_form": next((kind for kind, pk in bound if pk == a.pk), ""),
            }
        )
    parts.sort(key=lambda p: (not p["mine"], p["a"].role != Assignment.Role.LEAD, p["a"].department.name))
    return {
        "task": task,
        "parts": parts,
        "others": others,
        "phases": list(task.phases.all()),
        "report_period": reporting_calendar.period_of(task.reporting_cadence, today)
        if reporting_calendar.has_periods(task.reporting_cadence)
        else None,
        # Newest first; the full record is the CSV export.
        "history": task_history(task=task, departments=access.scope_department_ids(user))[::-1][:HISTORY_SHOWN],
        "is_supervisor": access.is_supervisor(user),
        "plan_open": task.plan.status in OPEN_PLAN,
        "today": today,
    }


@login_required
def task_detail(request, pk):
    return render(request, "tasks/task_detail.html", _task_context(request, pk))


def _assignment_or_404(request, pk):
    return get_object_or_404(Assignment.objects.visible_to(request.user).select_related("task", "department"), pk=pk)


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
    if not access.can_report(request.user, assignment):
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
        ProgressReport.objects.visible_to(request.user).select_related("assignment"),
        pk=pk,
    )
    if not access.can_review(request.user):
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
    if not access.can_request_extension(request.user, assignment):
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
        ExtensionRequest.objects.visible_to(request.user).select_related("assignment"),
        pk=pk,
    )
    if not access.can_review(request.user):
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
    if not access.can_acknowledge(request.user, assignment):
        raise PermissionDenied(_("只有本单位人员可以签收。"))
    services.assignment_acknowledge(assignment=assignment, user=request.user)
    messages.success(request, _("已签收。"))
    return _back(assignment)


@login_required
def evidence_download(request, pk):
    evidence = get_object_or_404(Evidence.objects.visible_to(request.user), pk=pk)
    return evidence_response(evidence)
