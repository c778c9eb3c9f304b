"""The import wizard: thin views over plans.services (the plan pages, which show task status, are in tasks)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, form_action
from org.access import supervisor_required
from org.forms import UnitQuickForm
from org.models import Department, DepartmentAlias, DepartmentGroup, DepartmentGroupAlias
from org.selectors import unit_by_name
from plans.forms import ClauseBoundaryForm, ClauseForm, ImportForm, PlanFieldsForm
from plans.models import Plan, PlanImport
from plans.services import DUPLICATE, plan_import_confirm, plan_import_correct, plan_import_preview

# ---------------------------------------------------------------------------
# Import wizard: upload or paste → preview and correct → confirm


@supervisor_required
def import_start(request):
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    status = 200
    if request.method == "POST":

        def preview(data):
            if data["file"]:
                return plan_import_preview(data=data["file"].read(), filename=data["file"].name, user=request.user)
            return plan_import_preview(data=data["text"], filename="", user=request.user)

        # The importer's refusal is shown beside what it read: the file, or the pasted text.
        previewed, plan_import = form_action(form, preview, field="file" if request.FILES.get("file") else "text")
        if previewed:
            return redirect("plans:import_preview", pk=plan_import.pk)
        status = 400
    recent = PlanImport.objects.filter(state=PlanImport.State.PREVIEW).select_related("created_by")[:10]
    return render(request, "plans/import_start.html", {"form": form, "recent": recent}, status=status)


def _registry_names() -> list[str]:
    names = set(Department.objects.filter(is_active=True).values_list("name", flat=True))
    names.update(DepartmentAlias.objects.values_list("name", flat=True))
    names.update(DepartmentGroup.objects.values_list("name", flat=True))
    names.update(DepartmentGroupAlias.objects.values_list("name", flat=True))
    return sorted(names)


_MARK_CLASSES = {"due": "m-date", "date": "m-date", "phase": "m-phase"}


def _marks_for_clause(clause: dict) -> list[tuple[int, int, str]]:
    """The importer's own marks of a clause; a unit is coloured by the role it has now."""
    lead, co = set(clause.get("lead") or []), set(clause.get("co") or [])
    out = []
    for mark in clause.get("marks") or []:
        s, e = mark["span"]
        if mark["kind"] in ("lead", "co"):
            unit = mark.get("unit")
            cls = "m-lead" if unit in lead else "m-unit" if unit in co else None
        else:
            cls = _MARK_CLASSES.get(mark["kind"])
        if cls and e > s:
            out.append((s, e, cls))
    return out


def _source_pieces(source: str, plans: list[dict], top_warnings: list[dict]):
    """The source cut into clause blocks and marked runs, for the template to print escaped."""
    marks, warn_ids = [], []
    blocks = []
    for p_index, plan in enumerate(plans):
        for c_index, clause in enumerate(plan.get("clauses", [])):
            span = clause.get("span") or [0, 0]
            blocks.append((span[0], span[1], f"src-{p_index}-{c_index}"))
            marks.extend(_marks_for_clause(clause))
    warnings = list(top_warnings)
    for plan in plans:
        for clause in plan.get("clauses", []):
            warnings.extend(clause.get("warnings") or [])
    for n, w in enumerate(warnings):
        span = w.get("span") or [0, 0]
        if span[1] > span[0]:
            warn_ids.append((span[0], span[1], f"w-{n}"))
    # Non-overlapping marks, warnings first, then in document order.
    chosen: list[tuple[int, int, str, str]] = []
    taken: list[tuple[int, int]] = []

    def free(s, e):
        return all(e <= ts or s >= te for ts, te in taken)

    for s, e, wid in warn_ids:
        if free(s, e):
            chosen.append((s, e, "m-warn", wid))
            taken.append((s, e))
    for s, e, cls in sorted(marks, key=lambda m: (m[0], -(m[1] - m[0]))):
        if free(s, e):
            chosen.append((s, e, cls, ""))
            taken.append((s, e))
    chosen.sort()
    blocks = sorted(b for b in blocks if b[1] > b[0])
    clean_blocks, last_end = [], 0
    for s, e, bid in blocks:
        if s >= last_end:
            clean_blocks.append((s, e, bid))
            last_end = e
    pieces, pos = [], 0
    for s, e, bid in clean_blocks:
        if s > pos:
            pieces.append({"id": "", "runs": _runs(source, pos, s, chosen)})
        pieces.append({"id": bid, "runs": _runs(source, s, e, chosen)})
        pos = e
    if pos < len(source):
        pieces.append({"id": "", "runs": _runs(source, pos, len(source), chosen)})
    return pieces, warnings


def _runs(source: str, start: int, end: int, marks) -> list[dict]:
    runs, pos = [], start
    for s, e, cls, mid in marks:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        if s > pos:
            runs.append({"text": source[pos:s], "cls": "", "id": ""})
        runs.append({"text": source[s:e], "cls": cls, "id": mid})
        pos = e
    if pos < end:
        runs.append({"text": source[pos:end], "cls": "", "id": ""})
    return runs


def _warning_targets(warnings: list[dict], plans: list[dict], shown: set[str]) -> list[dict]:
    """Each warning with the place it links to: its own mark, else the clause it falls in."""
    clause_spans = [
        ((c.get("span") or [0, 0]), f"src-{pi}-{ci}", f"clause-{pi}-{ci}")
        for pi, p in enumerate(plans)
        for ci, c in enumerate(p.get("clauses", []))
    ]
    out = []
    for n, w in enumerate(warnings):
        span = w.get("span") or [0, 0]
        anchor = f"w-{n}" if f"w-{n}" in shown else ""
        clause_anchor = ""
        for (s, e), src_id, card_id in clause_spans:
            if s <= span[0] < max(e, s + 1):
                anchor = anchor or src_id
                clause_anchor = card_id
                break
        out.append(
            {"message": w.get("message", ""), "code": w.get("code", ""), "anchor": anchor, "card": clause_anchor}
        )
    return out


def _preview_context(plan_import: PlanImport, *, bound: dict | None = None) -> dict:
    """Everything the preview page shows; `bound` carries a form with errors to show in place."""
    bound = bound or {}
    result = plan_import.result or {}
    plans = result.get("plans", [])
    pieces, warnings = _source_pieces(plan_import.source_text or "", plans, result.get("warnings") or [])
    shown = {run["id"] for piece in pieces for run in piece["runs"] if run["id"]}
    known: dict[str, bool] = {}
    plan_views = []
    for p_index, plan in enumerate(plans):
        clause_views = []
        for c_index, clause in enumerate(plan.get("clauses", [])):
            for name in (clause.get("lead") or []) + (clause.get("co") or []):
                if name not in known:
                    known[name] = unit_by_name(name) is not None
            key = ("clause", p_index, c_index)
            form = bound.get(key) or ClauseForm(
                initial=ClauseForm.initial_for(clause),
                phases=len(clause.get("phases") or []),
                prefix=f"c{p_index}_{c_index}",
            )
            clause_views.append(
                {
                    "index": c_index,
                    "clause": clause,
                    "depth": min((clause.get("path") or "").count("/"), 5),
                    "lead": [{"name": n, "known": known[n]} for n in clause.get("lead") or []],
                    "co": [{"name": n, "known": known[n]} for n in clause.get("co") or []],
                    "form": form,
                    "open": key in bound or ("boundary", p_index, c_index) in bound,
                    "boundary_form": bound.get(("boundary", p_index, c_index))
                    or ClauseBoundaryForm(prefix=f"b{p_index}_{c_index}"),
                }
            )
        plan_form = bound.get(("plan", p_index)) or PlanFieldsForm(
            initial={k: plan.get(k) for k in ("title", "doc_number", "issuer", "issued_on")}, prefix=f"p{p_index}"
        )
        plan_views.append(
            {
                "index": p_index,
                "plan": plan,
                "clauses": clause_views,
                "form": plan_form,
                "open": ("plan", p_index) in bound,
                "task_count": sum(1 for c in plan.get("clauses", []) if c.get("is_task")),
                "existing": Plan.objects.filter(pk=plan.get("existing_plan_id")).first()
                if plan.get("existing_plan_id")
                else None,
            }
        )
    unknown = sorted(n for n, ok in known.items() if not ok)
    unit_forms = bound.get("units") or {}
    return {
        "plan_import": plan_import,
        "plans": plan_views,
        "pieces": pieces,
        "warnings": _warning_targets(warnings, plans, shown),
        "unknown_units": [
            {"name": n, "form": unit_forms.get(n) or UnitQuickForm(initial={"name": n}, prefix=f"u{i}")}
            for i, n in enumerate(unknown)
        ],
        "registry_names": _registry_names(),
        "confirmed": plan_import.state == PlanImport.State.CONFIRMED,
    }


def _import_or_404(pk) -> PlanImport:
    return get_object_or_404(PlanImport, pk=pk)


@supervisor_required
def import_preview(request, pk):
    plan_import = _import_or_404(pk)
    context = _preview_context(plan_import)
    duplicate = request.GET.get("duplicate")
    if duplicate and duplicate.isdigit():
        context["duplicate"] = Plan.objects.filter(pk=int(duplicate)).first()
    return render(request, "plans/import_preview.html", context)


def _preview_url(plan_import, anchor=""):
    return reverse("plans:import_preview", args=[plan_import.pk]) + (f"#{anchor}" if anchor else "")


def _correct(request, plan_import, corrections, key, form, anchor):
    corrected, _result = form_action(
        form, lambda data: plan_import_correct(plan_import=plan_import, corrections=corrections)
    )
    if not corrected:
        return render(
            request, "plans/import_preview.html", _preview_context(plan_import, bound={key: form}), status=400
        )
    messages.success(request, _("已保存修改。"))
    return redirect(_preview_url(plan_import, anchor))


@supervisor_required
@require_POST
def import_clause(request, pk, plan_index, clause_index):
    plan_import = _import_or_404(pk)
    try:
        clause = plan_import.result["plans"][plan_index]["clauses"][clause_index]
    except (KeyError, IndexError, TypeError):
        raise Http404(_("没有这个条款。")) from None
    form = ClauseForm(request.POST, phases=len(clause.get("phases") or []), prefix=f"c{plan_index}_{clause_index}")
    key = ("clause", plan_index, clause_index)
    if not form.is_valid():
        return render(
            request, "plans/import_preview.html", _preview_context(plan_import, bound={key: form}), status=400
        )
    corrections = form.corrections(plan_index, clause_index, clause)
    return _correct(request, plan_import, corrections, key, form, f"clause-{plan_index}-{clause_index}")


@supervisor_required
@require_POST
def import_clause_boundary(request, pk, plan_index, clause_index):
    plan_import = _import_or_404(pk)
    try:
        plan_import.result["plans"][plan_index]["clauses"][clause_index]
    except (KeyError, IndexError, TypeError):
        raise Http404(_("没有这个条款。")) from None
    form = ClauseBoundaryForm(request.POST, prefix=f"b{plan_index}_{clause_index}")
    key = ("boundary", plan_index, clause_index)
    if not form.is_valid():
        return render(
            request, "plans/import_preview.html", _preview_context(plan_import, bound={key: form}), status=400
        )
    anchor = (
        f"clause-{plan_index}-{max(clause_index - 1, 0) if form.cleaned_data['action'] == 'merge' else clause_index}"
    )
    return _correct(request, plan_import, form.corrections(plan_index, clause_index), key, form, anchor)


@supervisor_required
@require_POST
def import_plan_fields(request, pk, plan_index):
    plan_import = _import_or_404(pk)
    if not 0 <= plan_index < len(plan_import.result.get("plans", [])):
        raise Http404(_("没有这个方案。"))
    form = PlanFieldsForm(request.POST, prefix=f"p{plan_index}")
    key = ("plan", plan_index)
    if not form.is_valid():
        return render(
            request, "plans/import_preview.html", _preview_context(plan_import, bound={key: form}), status=400
        )
    return _correct(request, plan_import, form.corrections(plan_index), key, form, f"plan-{plan_index}")


@supervisor_required
@require_POST
def import_unit(request, pk):
    """Create a department, or an alias of one, for a name the preview found and the registry lacks."""
    plan_import = _import_or_404(pk)
    prefix = request.POST.get("prefix", "")
    if not (prefix.startswith("u") and prefix[1:].isdigit()):
        raise Http404(_("表单不完整。"))
    form = UnitQuickForm(request.POST, prefix=prefix)
    if not form.is_valid():
        name = request.POST.get(f"{prefix}-name", "")
        return render(
            request,
            "plans/import_preview.html",
            _preview_context(plan_import, bound={"units": {name: form}}),
            status=400,
        )
    created = form.save()
    if isinstance(created, DepartmentAlias):
        messages.success(
            request,
            _("已把“%(name)s”登记为“%(department_name)s”的别名。")
            % {"name": created.name, "department_name": created.department.name},
        )
    else:
        messages.success(request, _("已在单位名录中新建“%(name)s”。") % {"name": created.name})
    return redirect(_preview_url(plan_import, "units"))


@supervisor_required
@require_POST
def import_confirm(request, pk):
    plan_import = _import_or_404(pk)
    try:
        plans = plan_import_confirm(plan_import=plan_import, user=request.user)
    except DomainError as refusal:
        if refusal.code == DUPLICATE:
            return redirect(
                reverse("plans:import_preview", args=[plan_import.pk]) + f"?duplicate={refusal.details['plan']}"
            )
        messages.error(request, refusal.message_zh)
        return redirect(_preview_url(plan_import))
    if len(plans) == 1:
        messages.success(
            request,
            _("方案《%(title)s》已导入,共 %(tasks)s 项任务。")
            % {"title": plans[0].title, "tasks": plans[0].tasks.count()},
        )
    else:
        messages.success(request, _("已导入 %(plans)s 个方案。") % {"plans": len(plans)})
    return redirect("plans:detail", pk=plans[0].pk)
