"""The pages where supervisors keep a confirmed plan right: thin views over tasks.editing.

A form's refusal (invalid input or a DomainError) shows beside that form on the page again, with
status 400; a button's refusal shows as a message on the page it came from.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, form_action
from org.access import supervisor_required
from plans.models import Plan
from tasks import editing
from tasks.forms import PhaseForm, PlanEndForm, TaskCreateForm, TaskEditForm, UnitAddForm
from tasks.models import Assignment, Phase, Task

DETAIL_FIELDS = ("title", "description", "due_kind", "start_date", "due_date", "reporting_cadence")
PHASE_FIELDS = ("kind", "name", "start_date", "end_date")


def _initial(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


# ---------------------------------------------------------------------------
# A task


def _task_page(request, task_pk: int, *, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    task = get_object_or_404(Task.objects.visible_to(request.user).select_related("plan", "clause"), pk=task_pk)
    phases = [
        {
            "phase": phase,
            "form": bound.get(("phase", phase.pk))
            or PhaseForm(prefix=f"phase{phase.pk}", initial=_initial(phase, PHASE_FIELDS)),
        }
        for phase in task.phases.order_by("position", "pk")
    ]
    context = {
        "task": task,
        "plan_open": task.plan.status in editing.OPEN_PLAN,
        "units": task.assignments.select_related("department").order_by("role", "department__name"),
        "detail_form": bound.get("detail") or TaskEditForm(initial=_initial(task, DETAIL_FIELDS)),
        "unit_form": bound.get("unit") or UnitAddForm(),
        "phases": phases,
        "phase_form": bound.get("new_phase") or PhaseForm(prefix="new"),
    }
    return render(request, "tasks/task_edit.html", context, status=status)


def _task_or_404(request, pk):
    return get_object_or_404(Task.objects.visible_to(request.user), pk=pk)


def _to_task_edit(task_id, anchor=""):
    return redirect(reverse("tasks:edit", args=[task_id]) + (f"#{anchor}" if anchor else ""))


def _form_submit(request, form, *, act, done: str, task_id: int, key, anchor: str):
    acted, _result = form_action(form, act)
    if acted:
        messages.success(request, done)
        return _to_task_edit(task_id, anchor)
    return _task_page(request, task_id, bound={key: form}, status=400)


def _button(request, act, *, done: str, back):
    """A button's action: done, or its refusal as a message; back to the page either way."""
    try:
        act()
    except DomainError as refusal:
        messages.error(request, refusal.message_zh)
    else:
        messages.success(request, done)
    return back


@supervisor_required
def task_edit(request, pk):
    return _task_page(request, pk)


@supervisor_required
@require_POST
def task_details(request, pk):
    task = _task_or_404(request, pk)
    return _form_submit(
        request,
        TaskEditForm(request.POST),
        act=lambda data: editing.task_update(task=task, user=request.user, **data),
        done=_("任务已修改。"),
        task_id=task.pk,
        key="detail",
        anchor="details",
    )


@supervisor_required
@require_POST
def task_ongoing(request, pk):
    task = _task_or_404(request, pk)
    return _button(
        request,
        lambda: editing.task_mark_ongoing(task=task, user=request.user),
        done=_("已标记为长期任务,不再有完成时限。"),
        back=_to_task_edit(task.pk, "details"),
    )


@supervisor_required
@require_POST
def task_remove(request, pk):
    task = _task_or_404(request, pk)
    plan_id = task.plan_id
    try:
        editing.task_remove(task=task, user=request.user)
    except DomainError as refusal:
        messages.error(request, refusal.message_zh)
        return _to_task_edit(pk)
    messages.success(request, _("任务已删除。"))
    return redirect("plans:detail", plan_id)


@supervisor_required
@require_POST
def unit_add(request, pk):
    task = _task_or_404(request, pk)
    return _form_submit(
        request,
        UnitAddForm(request.POST),
        act=lambda data: editing.assignment_add(
            task=task, user=request.user, department=data["department"], role=data["role"]
        ),
        done=_("已增加责任单位。"),
        task_id=task.pk,
        key="unit",
        anchor="units",
    )


def _assignment_or_404(request, pk) -> Assignment:
    return get_object_or_404(Assignment.objects.visible_to(request.user).select_related("department"), pk=pk)


@supervisor_required
@require_POST
def unit_role(request, pk):
    assignment = _assignment_or_404(request, pk)
    return _button(
        request,
        lambda: editing.assignment_set_role(assignment=assignment, user=request.user, role=request.POST.get("role")),
        done=_("已调整牵头/配合。"),
        back=_to_task_edit(assignment.task_id, "units"),
    )


@supervisor_required
@require_POST
def unit_remove(request, pk):
    assignment = _assignment_or_404(request, pk)
    return _button(
        request,
        lambda: editing.assignment_remove(assignment=assignment, user=request.user),
        done=_("已移除责任单位。"),
        back=_to_task_edit(assignment.task_id, "units"),
    )


@supervisor_required
@require_POST
def phase_add(request, pk):
    task = _task_or_404(request, pk)
    return _form_submit(
        request,
        PhaseForm(request.POST, prefix="new"),
        act=lambda data: editing.phase_add(task=task, user=request.user, **data),
        done=_("已增加阶段。"),
        task_id=task.pk,
        key="new_phase",
        anchor="phases",
    )


def _phase_or_404(request, pk) -> Phase:
    return get_object_or_404(Phase.objects.filter(task__in=Task.objects.visible_to(request.user)), pk=pk)


@supervisor_required
@require_POST
def phase_edit(request, pk):
    phase = _phase_or_404(request, pk)
    return _form_submit(
        request,
        PhaseForm(request.POST, prefix=f"phase{phase.pk}"),
        act=lambda data: editing.phase_update(phase=phase, user=request.user, **data),
        done=_("阶段已修改。"),
        task_id=phase.task_id,
        key=("phase", phase.pk),
        anchor=f"phase-{phase.pk}",
    )


@supervisor_required
@require_POST
def phase_remove(request, pk):
    phase = _phase_or_404(request, pk)
    return _button(
        request,
        lambda: editing.phase_remove(phase=phase, user=request.user),
        done=_("阶段已删除。"),
        back=_to_task_edit(phase.task_id, "phases"),
    )


# ---------------------------------------------------------------------------
# A plan


def _plan_page(request, plan_pk: int, *, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=plan_pk)
    context = {
        "plan": plan,
        "plan_open": plan.status in editing.OPEN_PLAN,
        "task_form": bound.get("task") or TaskCreateForm(prefix="task"),
        "end_form": bound.get("end") or PlanEndForm(prefix="end"),
    }
    return render(request, "tasks/plan_edit.html", context, status=status)


@supervisor_required
def plan_edit(request, pk):
    return _plan_page(request, pk)


@supervisor_required
@require_POST
def plan_task_add(request, pk):
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
    form = TaskCreateForm(request.POST, prefix="task")

    def add(data):
        return editing.task_create(
            plan=plan,
            user=request.user,
            leads=[data.pop("lead")],
            co=list(data.pop("co")),
            **data,
        )

    acted, task = form_action(form, lambda data: add(dict(data)))
    if acted:
        messages.success(request, _("任务已增加。"))
        return redirect("tasks:detail", task.pk)
    return _plan_page(request, plan.pk, bound={"task": form}, status=400)


@supervisor_required
@require_POST
def plan_end(request, pk):
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
    form = PlanEndForm(request.POST, prefix="end")
    ends = {"close": editing.plan_close, "stop": editing.plan_stop}
    acted, _ended = form_action(
        form, lambda data: ends[data["end"]](plan=plan, user=request.user, reason=data["reason"])
    )
    if acted:
        messages.success(request, _("方案已办结。") if form.cleaned_data["end"] == "close" else _("方案已终止。"))
        return redirect("plans:detail", plan.pk)
    return _plan_page(request, plan.pk, bound={"end": form}, status=400)
