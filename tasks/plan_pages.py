"""The plan pages: the plans a user may see with their figures, and one plan's clause tree and timeline."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from org import access
from plans.forms import PlanFilterForm
from plans.models import Plan
from tasks import charts
from tasks.editing import OPEN_PLAN
from tasks.models import Assignment, Task
from tasks.selectors import plan_rows, tasks_as_of


@login_required
def plan_list(request):
    form = PlanFilterForm(request.GET or None)
    plans = Plan.objects.visible_to(request.user).order_by("-issued_on", "-id")
    light = ""
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            plans = plans.filter(Q(title__icontains=data["q"]) | Q(doc_number__icontains=data["q"]))
        if data["status"]:
            plans = plans.filter(status=data["status"])
        light = data["light"]
    rows = plan_rows(plans, timezone.localdate(), Task.objects.visible_to(request.user))
    if light:
        rows = [r for r in rows if r["light"] == light]
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tasks/plan_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "is_supervisor": access.is_supervisor(request.user)},
    )


# ---------------------------------------------------------------------------
# Plan page: clause tree and timeline


@login_required
def plan_detail(request, pk):
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
    today = timezone.localdate()
    tasks = list(
        tasks_as_of(today, Task.objects.visible_to(request.user).filter(plan=plan))
        .select_related("plan", "clause")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("department").order_by("role", "id")),
            "phases",
        )
        .order_by("clause__position", "id")
    )
    by_clause = {t.clause_id: t for t in tasks if t.clause_id}
    clauses = []
    for clause in plan.clauses.order_by("position"):
        depth = clause.path.count("/") if clause.path else 0
        clauses.append({"clause": clause, "depth": min(depth, 5), "task": by_clause.get(clause.pk)})
    loose = [t for t in tasks if not t.clause_id]
    stats = plan_rows([plan], today, Task.objects.visible_to(request.user))[0]
    return render(
        request,
        "tasks/plan_detail.html",
        {
            "plan": plan,
            "clauses": clauses,
            "loose_tasks": loose,
            "tasks": tasks,
            "stats": stats,
            "gantt": charts.gantt(tasks, today),
            "today": today,
            "reads_all": access.reads_everything(request.user),
            "is_supervisor": access.is_supervisor(request.user),
            "plan_open": plan.status in OPEN_PLAN,
        },
    )
