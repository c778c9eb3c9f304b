"""The import wizard: thin views over plans.services (the plan pages, which show task status, are in tasks)."""

from collections import Counter

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError, form_action
from org.access import supervisor_required
from org.forms import UnitQuickForm
from org.models import Department, DepartmentAlias, DepartmentGroup, DepartmentGroupAlias
from org.selectors import unit_by_name
from plans.checklist import DEFAULT_CODES, checklist, checklist_counts, warning_label
from plans.forms import BulkCorrectionForm, ClauseBoundaryForm, ClauseForm, ImportForm, PlanFieldsForm
from plans.models import Plan, PlanImport
from plans.outline import preview_outline, with_clauses
from plans.preview_pages import PageIndex, page_of, preview_pages, source_window
from plans.readiness import DUE_KINDS, REPORTING_CADENCES, clause_missing, clause_title, import_missing
from plans.selectors import import_clause_slice, import_job
from plans.services import (
    DUPLICATE,
    plan_import_correct,
    plan_import_discard,
    plan_import_request_confirm,
    plan_import_retry,
    plan_import_submit,
)

# ---------------------------------------------------------------------------
# Import wizard: upload or paste → preview and correct → confirm


@supervisor_required
def import_start(request):
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    status = 200
    if request.method == "POST":

        def preview(data):
            if data["file"]:
                return plan_import_submit(data=data["file"].read(), filename=data["file"].name, user=request.user)
            return plan_import_submit(data=data["text"], filename="", user=request.user)

        # The importer's refusal is shown beside what it read: the file, or the pasted text.
        previewed, plan_import = form_action(form, preview, field="file" if request.FILES.get("file") else "text")
        if previewed:
            return redirect("plans:import_preview", pk=plan_import.pk)
        status = 400
    recent = (
        PlanImport.objects.filter(state=PlanImport.State.PREVIEW)
        .select_related("created_by")
        .defer("result", "source_text")[:10]
    )
    return render(request, "plans/import_start.html", {"form": form, "recent": recent}, status=status)


def _registry_names() -> list[str]:
    names = set(Department.objects.filter(is_active=True).values_list("name", flat=True))
    names.update(DepartmentAlias.objects.values_list("name", flat=True))
    names.update(DepartmentGroup.objects.values_list("name", flat=True))
    names.update(DepartmentGroupAlias.objects.values_list("name", flat=True))
    return sorted(names)


def _page_number(request, pages, bound: dict) -> int:
    """The page asked for; a form shown again with its errors is on its clause's page."""
    for key in bound:
        if isinstance(key, tuple) and key[0] in ("clause", "boundary"):
            return page_of(pages, key[1], key[2])
        if isinstance(key, tuple) and key[0] in ("plan", "bulk"):
            return page_of(pages, key[1], 0)
    raw = request.GET.get("page", "1") if request is not None else "1"
    number = int(raw) if raw.isdigit() else 1
    return min(max(number, 1), len(pages))


def _edited_clause(request) -> tuple[int, int] | None:
    """?edit=P-C: the clause whose edit forms the page shows open."""
    raw = request.GET.get("edit", "") if request is not None else ""
    plan, _sep, clause = raw.partition("-")
    return (int(plan), int(clause)) if plan.isdigit() and clause.isdigit() else None


def _linked(items, index: PageIndex, page_number: int) -> list[dict]:
    """Checklist or missing items with a link that works from any page."""
    out = []
    for item in items:
        row = item.as_dict()
        target = index(item.plan, item.clause)
        row["href"] = ("" if target == page_number else f"?page={target}") + f"#{item.anchor}"
        row["page"] = target
        out.append(row)
    return out


def _bulk_form(plan_index: int, plan: dict, data=None):
    clauses = plan.get("clauses", [])
    codes = sorted({w.get("code") for c in clauses for w in c.get("warnings") or [] if w.get("code")})
    sections = [(c["path"], clause_title(c)) for c in clauses if c.get("path") and "/" not in c["path"]]
    return BulkCorrectionForm(
        data,
        prefix=f"bulk{plan_index}",
        clauses=[(i, str(i)) for i in range(len(clauses))],
        warnings=[(code, warning_label(code)) for code in codes],
        sections=sections,
    )


def _preview_context(plan_import: PlanImport, *, bound: dict | None = None, request=None) -> dict:
    """Everything the preview page shows, for one page of clauses; `bound` carries a form with errors."""
    bound = bound or {}
    # The outline for the whole preview, the page's own clauses in full (plans/outline.py).
    result = plan_import.outline or preview_outline(plan_import.result or {})
    plans = result.get("plans", [])
    pages = preview_pages(result)
    index = PageIndex(pages)
    number = _page_number(request, pages, bound)
    edit = _edited_clause(request)
    page = pages[number - 1]
    for part in page.parts:
        with_clauses(result, part.plan, part.start, import_clause_slice(plan_import, part.plan, part.start, part.stop))
    window = source_window(plan_import.source_text or "", result, page)
    items = checklist(result)
    missing = import_missing(result)
    known: dict[str, bool] = {}
    parts = {part.plan: part for part in page.parts}
    plan_views = []
    for p_index, plan in enumerate(plans):
        part = parts.get(p_index)
        clause_views = []
        for c_index in range(part.start, part.stop) if part else ():
            clause = plan["clauses"][c_index]
            for name in (clause.get("lead") or []) + (clause.get("co") or []):
                if name not in known:
                    known[name] = unit_by_name(name) is not None
            key = ("clause", p_index, c_index)
            editing = key in bound or ("boundary", p_index, c_index) in bound or edit == (p_index, c_index)
            clause_views.append(
                {
                    "index": c_index,
                    "clause": clause,
                    "depth": min((clause.get("path") or "").count("/"), 5),
                    "lead": [{"name": n, "known": known[n]} for n in clause.get("lead") or []],
                    "co": [{"name": n, "known": known[n]} for n in clause.get("co") or []],
                    "due_kind": DUE_KINDS.get(clause.get("due_kind") or "dated"),
                    "cadence": REPORTING_CADENCES.get(clause.get("reporting_cadence") or "none"),
                    "warnings": [
                        {
                            "code": w.get("code"),
                            "label": warning_label(w.get("code") or ""),
                            "message": w.get("message"),
                        }
                        for w in clause.get("warnings") or []
                    ],
                    "missing": [message for _code, message in clause_missing(clause)],
                    # The edit forms of a clause are built only when it is edited: a page of a long plan stays light.
                    "editing": editing,
                    "form": (
                        bound.get(key)
                        or ClauseForm(
                            initial=ClauseForm.initial_for(clause),
                            phases=len(clause.get("phases") or []),
                            prefix=f"c{p_index}_{c_index}",
                        )
                    )
                    if editing
                    else None,
                    "boundary_form": (
                        bound.get(("boundary", p_index, c_index)) or ClauseBoundaryForm(prefix=f"b{p_index}_{c_index}")
                    )
                    if editing
                    else None,
                }
            )
        plan_form = bound.get(("plan", p_index)) or PlanFieldsForm(
            initial={k: plan.get(k) for k in ("title", "doc_number", "issuer", "issued_on")}, prefix=f"p{p_index}"
        )
        proposals = sum(1 for i in items if i.plan == p_index and i.code in DEFAULT_CODES)
        plan_views.append(
            {
                "index": p_index,
                "plan": plan,
                "on_page": part is not None,
                "first_page": index(p_index, 0),
                "clauses": clause_views,
                "form": plan_form,
                "bulk": bound.get(("bulk", p_index)) or _bulk_form(p_index, plan),
                "open": ("plan", p_index) in bound,
                "bulk_open": ("bulk", p_index) in bound,
                "proposals": proposals,
                "task_count": sum(1 for c in plan.get("clauses", []) if c.get("is_task")),
                "existing": Plan.objects.filter(pk=plan.get("existing_plan_id")).first()
                if plan.get("existing_plan_id")
                else None,
            }
        )
    unknown = sorted(n for n, ok in known.items() if not ok)
    unit_forms = bound.get("units") or {}
    item_pages = [index(item.plan, item.clause) for item in items]
    warnings_per_page = Counter(item_pages)
    return {
        "plan_import": plan_import,
        "job": import_job(plan_import),
        "plans": plan_views,
        "pages": [
            {
                "number": p.number,
                "title": p.title,
                "size": p.size,
                "warnings": warnings_per_page.get(p.number, 0),
                "current": p.number == number,
            }
            for p in pages
        ],
        "page": page,
        "pieces": window.pieces,
        "source_cut": window.cut,
        "warning_counts": checklist_counts(items),
        "warning_total": len(items),
        "page_warnings": _linked([i for i, n in zip(items, item_pages, strict=True) if n == number], index, number),
        "missing": _linked(missing[:MISSING_SHOWN], index, number),
        "missing_total": len(missing),
        "missing_tasks": len({(m.plan, m.clause) for m in missing}),
        "unknown_units": [
            {"name": n, "form": unit_forms.get(n) or UnitQuickForm(initial={"name": n}, prefix=f"u{i}")}
            for i, n in enumerate(unknown)
        ],
        "registry_names": _registry_names(),
        "confirmed": plan_import.state == PlanImport.State.CONFIRMED,
    }


MISSING_SHOWN = 50


def _import_or_404(pk) -> PlanImport:
    # The preview itself is read when a view needs it; a page of it reads the outline and its own clauses.
    return get_object_or_404(PlanImport.objects.defer("result"), pk=pk)


def _render_preview(request, plan_import, *, bound=None, status=200, extra=None):
    context = _preview_context(plan_import, bound=bound, request=request)
    context.update(extra or {})
    return render(request, "plans/import_preview.html", context, status=status)


@supervisor_required
def import_preview(request, pk):
    plan_import = _import_or_404(pk)
    extra = {}
    duplicate = request.GET.get("duplicate")
    if duplicate and duplicate.isdigit():
        extra["duplicate"] = Plan.objects.filter(pk=int(duplicate)).first()
    return _render_preview(request, plan_import, extra=extra)


@supervisor_required
@require_GET
def import_job_status(request, pk):
    """The job panel, polled by the page; when the job has ended the page reloads to show its outcome."""
    plan_import = _import_or_404(pk)
    job = import_job(plan_import)
    response = render(request, "plans/_import_job.html", {"plan_import": plan_import, "job": job})
    if not job["in_flight"] and request.headers.get("HX-Request"):
        if plan_import.state == PlanImport.State.CONFIRMED and plan_import.plans.exists():
            response["HX-Redirect"] = reverse("plans:detail", args=[plan_import.plans.order_by("pk").first().pk])
        else:
            response["HX-Refresh"] = "true"
    return response


def _preview_url(plan_import, anchor="", plan_index=None, clause_index=None):
    url = reverse("plans:import_preview", args=[plan_import.pk])
    if plan_index is not None:
        pages = preview_pages(plan_import.result or {})
        number = page_of(pages, plan_index, clause_index or 0)
        if number > 1:
            url += f"?page={number}"
    return url + (f"#{anchor}" if anchor else "")


def _correct(request, plan_import, corrections, key, form, anchor, plan_index=None, clause_index=None):
    corrected, plan_import_after = form_action(
        form, lambda data: plan_import_correct(plan_import=plan_import, corrections=corrections)
    )
    if not corrected:
        return _render_preview(request, plan_import, bound={key: form}, status=400)
    messages.success(request, _("已保存修改。"))
    return redirect(_preview_url(plan_import_after, anchor, plan_index, clause_index))


def _clause_or_404(plan_import, plan_index, clause_index) -> dict:
    try:
        return plan_import.result["plans"][plan_index]["clauses"][clause_index]
    except (KeyError, IndexError, TypeError):
        raise Http404(_("没有这个条款。")) from None


def _plan_or_404(plan_import, plan_index) -> dict:
    plans = (plan_import.result or {}).get("plans", [])
    if not 0 <= plan_index < len(plans):
        raise Http404(_("没有这个方案。"))
    return plans[plan_index]


@supervisor_required
@require_POST
def import_clause(request, pk, plan_index, clause_index):
    plan_import = _import_or_404(pk)
    clause = _clause_or_404(plan_import, plan_index, clause_index)
    form = ClauseForm(request.POST, phases=len(clause.get("phases") or []), prefix=f"c{plan_index}_{clause_index}")
    key = ("clause", plan_index, clause_index)
    if not form.is_valid():
        return _render_preview(request, plan_import, bound={key: form}, status=400)
    corrections = form.corrections(plan_index, clause_index, clause)
    anchor = f"clause-{plan_index}-{clause_index}"
    return _correct(request, plan_import, corrections, key, form, anchor, plan_index, clause_index)


@supervisor_required
@require_POST
def import_clause_boundary(request, pk, plan_index, clause_index):
    plan_import = _import_or_404(pk)
    _clause_or_404(plan_import, plan_index, clause_index)
    form = ClauseBoundaryForm(request.POST, prefix=f"b{plan_index}_{clause_index}")
    key = ("boundary", plan_index, clause_index)
    if not form.is_valid():
        return _render_preview(request, plan_import, bound={key: form}, status=400)
    target = max(clause_index - 1, 0) if form.cleaned_data["action"] == "merge" else clause_index
    corrections = form.corrections(plan_index, clause_index)
    return _correct(request, plan_import, corrections, key, form, f"clause-{plan_index}-{target}", plan_index, target)


@supervisor_required
@require_POST
def import_clause_dismiss(request, pk, plan_index, clause_index):
    """Mark one warning of a clause as checked."""
    plan_import = _import_or_404(pk)
    _clause_or_404(plan_import, plan_index, clause_index)
    code = request.POST.get("code", "")
    try:
        plan_import_correct(
            plan_import=plan_import, corrections=[{"plan": plan_index, "clause": clause_index, "dismiss": [code]}]
        )
    except DomainError as refusal:
        messages.error(request, refusal.message_zh)
    else:
        messages.success(request, _("已标为已核对。"))
    return redirect(_preview_url(plan_import, f"clause-{plan_index}-{clause_index}", plan_index, clause_index))


@supervisor_required
@require_POST
def import_plan_fields(request, pk, plan_index):
    plan_import = _import_or_404(pk)
    _plan_or_404(plan_import, plan_index)
    form = PlanFieldsForm(request.POST, prefix=f"p{plan_index}")
    key = ("plan", plan_index)
    if not form.is_valid():
        return _render_preview(request, plan_import, bound={key: form}, status=400)
    corrections = form.corrections(plan_index)
    return _correct(request, plan_import, corrections, key, form, f"plan-{plan_index}", plan_index)


@supervisor_required
@require_POST
def import_bulk(request, pk, plan_index):
    """One correction for many clauses: ticked, with a warning, or a whole section."""
    plan_import = _import_or_404(pk)
    plan = _plan_or_404(plan_import, plan_index)
    form = _bulk_form(plan_index, plan, request.POST)
    key = ("bulk", plan_index)
    if not form.is_valid():
        return _render_preview(request, plan_import, bound={key: form}, status=400)
    corrections = form.corrections(plan_index)
    count_before = len(checklist(plan_import.result))
    corrected, after = form_action(
        form, lambda data: plan_import_correct(plan_import=plan_import, corrections=corrections)
    )
    if not corrected:
        return _render_preview(request, plan_import, bound={key: form}, status=400)
    cleared = count_before - len(checklist(after.result))
    messages.success(request, _("已批量修改;提示减少 %(n)s 条。") % {"n": cleared})
    return redirect(_preview_url(after, f"plan-{plan_index}", plan_index))


@supervisor_required
@require_POST
def import_accept_defaults(request, pk, plan_index):
    """Accept every lead and due date the importer proposed for one plan."""
    plan_import = _import_or_404(pk)
    _plan_or_404(plan_import, plan_index)
    try:
        plan_import_correct(plan_import=plan_import, corrections=[{"plan": plan_index, "accept_defaults": True}])
    except DomainError as refusal:
        messages.error(request, refusal.message_zh)
    else:
        messages.success(request, _("已接受系统建议的牵头单位和完成时限。"))
    return redirect(_preview_url(plan_import, f"plan-{plan_index}", plan_index))


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
        return _render_preview(request, plan_import, bound={"units": {name: form}}, status=400)
    created = form.save()
    if plan_import.state == PlanImport.State.PREVIEW and not plan_import.job_in_flight:
        plan_import_correct(plan_import=plan_import, corrections=[])  # the unit's warnings are resolved now
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
        plan_import_request_confirm(plan_import=plan_import, user=request.user)
    except DomainError as refusal:
        if refusal.code == DUPLICATE:
            return redirect(
                reverse("plans:import_preview", args=[plan_import.pk]) + f"?duplicate={refusal.details['plan']}"
            )
        messages.error(request, refusal.message_zh)
        return redirect(_preview_url(plan_import, "missing" if refusal.code == "incomplete" else ""))
    plan_import.refresh_from_db()
    if plan_import.state == PlanImport.State.CONFIRMED:
        plans = list(plan_import.plans.order_by("pk"))
        _say_confirmed(request, plans)
        return redirect("plans:detail", pk=plans[0].pk)
    if plan_import.job_state == PlanImport.JobState.FAILED:
        messages.error(request, plan_import.job_error)
    return redirect(_preview_url(plan_import))


def _say_confirmed(request, plans):
    if len(plans) == 1:
        messages.success(
            request,
            _("方案《%(title)s》已导入,共 %(tasks)s 项任务。")
            % {"title": plans[0].title, "tasks": plans[0].tasks.count()},
        )
    else:
        messages.success(request, _("已导入 %(plans)s 个方案。") % {"plans": len(plans)})


@supervisor_required
@require_POST
def import_retry(request, pk):
    plan_import = _import_or_404(pk)
    try:
        plan_import_retry(plan_import=plan_import, user=request.user)
    except DomainError as refusal:
        messages.error(request, refusal.message_zh)
    return redirect(_preview_url(plan_import))


@supervisor_required
@require_POST
def import_discard(request, pk):
    plan_import = _import_or_404(pk)
    try:
        plan_import_discard(plan_import=plan_import, user=request.user)
    except DomainError as refusal:
        messages.error(request, refusal.message_zh)
        return redirect(_preview_url(plan_import))
    messages.success(request, _("已丢弃这次导入。"))
    return redirect("plans:import")
