"""Pages of the reminder engine: the notification log (supervisors), resend, 催办, and a task's reminders.

The work is done by notifications.outbox and notifications.chase; these views check who asks and show the result.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from notifications.chase import assignment_chase
from notifications.models import Chase, Notification
from notifications.outbox import notification_resend
from org import access
from org.access import supervisor_required
from org.forms import PageForm
from tasks.models import Assignment, Task


class LogFilterForm(PageForm):
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + list(Notification.State.choices))
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部")] + list(Notification.Kind.choices))
    q = forms.CharField(
        label="收件人或标题",
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "邮箱、姓名或标题"}),
    )


@supervisor_required
def log(request):
    form = LogFilterForm(request.GET or None)
    visible = Notification.objects.visible_to(request.user)
    rows = visible.select_related("recipient", "chase__by_user").order_by("-created_at", "-id")
    if form.is_valid():
        data = form.cleaned_data
        if data["state"]:
            rows = rows.filter(state=data["state"])
        if data["kind"]:
            rows = rows.filter(kind=data["kind"])
        if data["q"]:
            q = data["q"]
            rows = rows.filter(
                Q(address__icontains=q)
                | Q(subject__icontains=q)
                | Q(recipient__username__icontains=q)
                | Q(recipient__first_name__icontains=q)
            )
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    counts = {state: visible.filter(state=state).count() for state in Notification.State.values}
    return render(
        request, "notifications/log.html", {"form": form, "page": page, "query": query.urlencode(), "counts": counts}
    )


@supervisor_required
@require_POST
def resend(request, pk):
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    try:
        notification_resend(notification=notification)
    except DomainError as refusal:
        messages.error(request, refusal.message_zh)
    else:
        messages.success(request, _("已重新排队发送给 %(address)s。") % {"address": notification.address})
    return redirect(request.POST["next"] if _safe_next(request) else "notifications:log")


def _safe_next(request) -> bool:
    """Back to the log page the supervisor was on, its filters kept; never anywhere else."""
    nxt = request.POST.get("next", "")
    return nxt.startswith("/notifications/") and "//" not in nxt and "\\" not in nxt


@supervisor_required
@require_POST
def chase(request, assignment_pk):
    """催办 from the task page: one notice to the department's liaisons (or head) at once."""
    assignment = get_object_or_404(
        Assignment.objects.visible_to(request.user).select_related("task", "department"), pk=assignment_pk
    )
    note = (request.POST.get("note") or "").strip()[:2000]
    try:
        assignment_chase(assignment=assignment, by_user=request.user, note=note)
    except DomainError as refusal:
        messages.error(request, refusal.message_zh)
    else:
        messages.success(
            request, _("已向%(department_name)s发出催办通知。") % {"department_name": assignment.department.name}
        )
    return redirect(reverse("tasks:detail", args=[assignment.task_id]) + f"#assignment-{assignment.pk}")


def _task_notifications(task, department_ids):
    """Outbox rows that carry an item about this task (and, for a member, about their departments)."""
    rows = Notification.objects.select_related("recipient").order_by("-created_at", "-id")
    if connection.vendor == "postgresql":
        candidates = rows.filter(items__contains=[{"task_id": task.pk}])[:200]
    else:  # the embedded SQLite fallback has no JSON containment: look through the latest rows
        candidates = rows[:2000]
    out = []
    for n in candidates:
        items = [i for i in n.items if i.get("task_id") == task.pk]
        if department_ids is not None:
            items = [i for i in items if i.get("department_id") in department_ids]
        if items:
            out.append({"n": n, "items": items})
        if len(out) >= 50:
            break
    return out


@login_required
def task_log(request, task_pk):
    task = get_object_or_404(Task.objects.visible_to(request.user), pk=task_pk)
    department_ids = access.scope_department_ids(request.user)
    chases = Chase.objects.visible_to(request.user).filter(assignment__task=task)
    chases = chases.select_related("assignment__department", "by_user")
    context = {
        "task": task,
        "sent": _task_notifications(task, department_ids),
        "chases": list(chases[:50]),
        "is_supervisor": access.is_supervisor(request.user),
    }
    template = (
        "notifications/log_task.html" if request.headers.get("HX-Request") else "notifications/log_task_page.html"
    )
    return render(request, template, context)
