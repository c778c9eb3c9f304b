"""The plan pages: the plans a user may see with their figures, and one plan's clause tree and timeline."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from org.access import is_supervisor
from plans.forms import PlanFilterForm
from tasks.editing import OPEN_PLAN
from tasks.models import Assignment
from tasks.selectors import plan_rows, tasks_as_of
from tasks.visibility import visible_plans, visible_tasks


@login_required
def plan_list(request):
    form = PlanFilterForm(request.GET or None)
    plans = visible_plans(request.user).order_by("-issued_on", "-id")
    light = ""
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            plans = plans.filter(Q(title__icontains=data["q"]) | Q(doc_number__icontains=data["q"]))
        if data["status"]:
            plans = plans.filter(status=data["status"])
        light = data["light"]
    rows = plan_rows(plans, timezone.localdate(), visible_tasks(request.user))
    if light:
        rows = [r for r in rows if r["light"] == light]
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tasks/plan_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "is_supervisor": is_supervisor(request.user)},
    )


# ---------------------------------------------------------------------------
# Plan page: clause tree and timeline

GANTT_WIDTH = 1000
GANTT_LABEL = 230
GANTT_ROW = 28


def _month_starts(first: date, last: date) -> list[date]:
    months, day = [], date(first.year, first.month, 1)
    while day <= last:
        months.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def gantt(tasks, today: date) -> dict | None:
    """Bars for each task's phases (or its whole span) and a mark at each deadline, in SVG units."""
    rows = []
    for task in tasks:
        bars = [(p.kind, p.start_date or p.end_date, p.end_date or p.start_date, p) for p in task.phases.all()]
        bars = [b for b in bars if b[1]]
        start = task.start_date or (task.plan.issued_on if task.due_date else None)
        if not bars and start and task.due_date and start <= task.due_date:
            bars = [("task", start, task.due_date, None)]
        if bars or task.due_date:
            rows.append((task, bars))
    dates = [d for _, bars in rows for b in bars for d in b[1:3]] + [t.due_date for t, _ in rows if t.due_date]
    if not dates:
        return None
    first, last = min(dates), max(dates)
    first = date(first.year, first.month, 1)
    last = max(last, first + timedelta(days=31))
    span = (last - first).days or 1
    scale = (GANTT_WIDTH - GANTT_LABEL - 10) / span

    def x(day: date) -> float:
        return round(GANTT_LABEL + (day - first).days * scale, 1)

    months = _month_starts(first, last)
    if len(months) > 24:  # years: a tick each January (every few years on very long plans)
        years = [m for m in months if m.month == 1]
        every = max(1, len(years) // 10)
        ticks = [{"x": x(m), "label": f"{m.year}年"} for i, m in enumerate(years) if i % every == 0]
    else:
        every = 1 if len(months) <= 12 else 3
        ticks = [
            {"x": x(m), "label": f"{m.year}年{m.month}月" if m.month == 1 or i == 0 else f"{m.month}月"}
            for i, m in enumerate(months)
            if (m.month - 1) % every == 0 or i == 0
        ]
    out = []
    for i, (task, bars) in enumerate(rows):
        y = 24 + i * GANTT_ROW
        out.append(
            {
                "task": task,
                "y": y,
                "text_y": y + 15,
                "bars": [
                    {
                        "kind": kind,
                        "x": x(s),
                        "w": max(3.0, round((e - s).days * scale, 1)),
                        "title": (phase.name or phase.get_kind_display()) if phase else task.title,
                        "start": s,
                        "end": e,
                    }
                    for kind, s, e, phase in bars
                ],
                "due_x": x(task.due_date) if task.due_date else None,
                "due_cy": y + 10,
            }
        )
    height = 24 + len(rows) * GANTT_ROW + 6
    return {
        "width": GANTT_WIDTH,
        "height": height,
        "label_width": GANTT_LABEL,
        "ticks": ticks,
        "rows": out,
        "today_x": x(today) if first <= today <= last else None,
    }


@login_required
def plan_detail(request, pk):
    plan = get_object_or_404(visible_plans(request.user), pk=pk)
    today = timezone.localdate()
    tasks = list(
        tasks_as_of(today, visible_tasks(request.user).filter(plan=plan))
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
    stats = plan_rows([plan], today, visible_tasks(request.user))[0]
    return render(
        request,
        "tasks/plan_detail.html",
        {
            "plan": plan,
            "clauses": clauses,
            "loose_tasks": loose,
            "tasks": tasks,
            "stats": stats,
            "gantt": gantt(tasks, today),
            "today": today,
            "reads_all": is_supervisor(request.user) or request.user.role == "viewer",
            "is_supervisor": is_supervisor(request.user),
            "plan_open": plan.status in OPEN_PLAN,
        },
    )
