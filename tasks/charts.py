"""The geometry of the site's two charts, in SVG units: a plan's timeline (Gantt) and the board's
completion-rate trend. Plain functions of their inputs: the views fetch the data and hand it over, the
templates draw what comes back, and the tests check the coordinates without a page.
"""

from collections import defaultdict
from datetime import date, timedelta
from typing import NamedTuple

# ---------------------------------------------------------------------------
# A plan's timeline: a row per task, a bar per phase (or one for the task's whole span), a mark at
# each deadline, ticks along the top.

GANTT_WIDTH = 1000
GANTT_LABEL = 230  # left margin for the task titles
GANTT_ROW = 28
GANTT_TOP = 24  # the ticks' band


class Bar(NamedTuple):
    kind: str  # a Phase.kind, or "task" for a task drawn without phases
    start: date
    end: date
    title: str


def task_bars(task) -> list[Bar]:
    """A task's bars: its dated phases (a phase with one date is a day), else its span from its start
    (or its plan's issue day) to its due date."""
    bars = []
    for phase in task.phases.all():
        start, end = phase.start_date or phase.end_date, phase.end_date or phase.start_date
        if start:
            bars.append(Bar(phase.kind, start, end, phase.name or phase.get_kind_display()))
    start = task.start_date or (task.plan.issued_on if task.due_date else None)
    if not bars and start and task.due_date and start <= task.due_date:
        bars = [Bar("task", start, task.due_date, task.title)]
    return bars


def month_starts(first: date, last: date) -> list[date]:
    """The first day of every month from first's month to last."""
    months, day = [], date(first.year, first.month, 1)
    while day <= last:
        months.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def _ticks(months: list[date], x) -> list[dict]:
    if len(months) > 24:  # years: a tick each January (every few years on very long plans)
        years = [m for m in months if m.month == 1]
        every = max(1, len(years) // 10)
        return [{"x": x(m), "label": f"{m.year}年"} for i, m in enumerate(years) if i % every == 0]
    every = 1 if len(months) <= 12 else 3
    return [
        {"x": x(m), "label": f"{m.year}年{m.month}月" if m.month == 1 or i == 0 else f"{m.month}月"}
        for i, m in enumerate(months)
        if (m.month - 1) % every == 0 or i == 0
    ]


def gantt(tasks, today: date) -> dict | None:
    """Bars for each task's phases (or its whole span) and a mark at each deadline; None when nothing
    has a date. The axis runs from the first month start to at least a month later."""
    rows = []
    for task in tasks:
        bars = task_bars(task)
        if bars or task.due_date:
            rows.append((task, bars))
    dates = [d for _, bars in rows for bar in bars for d in (bar.start, bar.end)]
    dates += [task.due_date for task, _ in rows if task.due_date]
    if not dates:
        return None
    first, last = min(dates), max(dates)
    first = date(first.year, first.month, 1)
    last = max(last, first + timedelta(days=31))
    scale = (GANTT_WIDTH - GANTT_LABEL - 10) / ((last - first).days or 1)

    def x(day: date) -> float:
        return round(GANTT_LABEL + (day - first).days * scale, 1)

    out = []
    for i, (task, bars) in enumerate(rows):
        y = GANTT_TOP + i * GANTT_ROW
        out.append(
            {
                "task": task,
                "y": y,
                "text_y": y + 15,
                "bars": [
                    {
                        "kind": bar.kind,
                        "x": x(bar.start),
                        "w": max(3.0, round((bar.end - bar.start).days * scale, 1)),
                        "title": bar.title,
                        "start": bar.start,
                        "end": bar.end,
                    }
                    for bar in bars
                ],
                "due_x": x(task.due_date) if task.due_date else None,
                "due_cy": y + 10,
            }
        )
    return {
        "width": GANTT_WIDTH,
        "height": GANTT_TOP + len(rows) * GANTT_ROW + 6,
        "label_width": GANTT_LABEL,
        "ticks": _ticks(month_starts(first, last), x),
        "rows": out,
        "today_x": x(today) if first <= today <= last else None,
    }


# ---------------------------------------------------------------------------
# The completion-rate trend: a line for all departments together and one for each of the five with the
# most assignments on the last day, from daily snapshots.

TREND_WIDTH, TREND_HEIGHT = 640, 220
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 36, 10, 10, 26
TREND_LINES = 5  # departments drawn beside the total


class SnapshotPoint(NamedTuple):
    day: date
    department_id: int
    department: str
    total: int
    done: int


def trend(points: list[SnapshotPoint]) -> dict | None:
    """Lines of the completion rate (0–100%) over the days the snapshots cover; None for fewer than two days."""
    days = sorted({p.day for p in points})
    if len(days) < 2:
        return None
    totals = defaultdict(lambda: [0, 0])
    per_dept = defaultdict(dict)
    names = {}
    for p in points:
        totals[p.day][0] += p.done
        totals[p.day][1] += p.total
        per_dept[p.department_id][p.day] = 100 * p.done / p.total if p.total else None
        names[p.department_id] = p.department
    first, last = days[0], days[-1]
    span = (last - first).days

    def point(day: date, rate: float) -> tuple[float, float]:
        x = TREND_LEFT + (day - first).days * (TREND_WIDTH - TREND_LEFT - TREND_RIGHT) / span
        y = TREND_TOP + (100 - rate) * (TREND_HEIGHT - TREND_TOP - TREND_BOTTOM) / 100
        return round(x, 1), round(y, 1)

    overall = [point(d, 100 * totals[d][0] / totals[d][1]) for d in days if totals[d][1]]
    series = [{"name": "全部单位", "points": overall}]
    latest_total = {p.department_id: p.total for p in points if p.day == last}
    busiest = sorted(per_dept, key=lambda d: (-latest_total.get(d, 0), names[d]))[:TREND_LINES]
    for dept in busiest:
        rates = sorted(per_dept[dept].items())
        series.append({"name": names[dept], "points": [point(d, rate) for d, rate in rates if rate is not None]})
    for i, line in enumerate(series):
        line["cls"] = i
        line["path"] = " ".join(f"{x},{y}" for x, y in line["points"])
    return {
        "width": TREND_WIDTH,
        "height": TREND_HEIGHT,
        "series": series,
        "grid": [{"y": point(first, v)[1], "label": f"{v}%"} for v in (0, 25, 50, 75, 100)],
        "x_labels": [
            {"x": point(d, 0)[0], "label": f"{d.month}月{d.day}日"} for d in (days[0], days[len(days) // 2], days[-1])
        ],
        "left": TREND_LEFT,
        "right": TREND_WIDTH - TREND_RIGHT,
        "from": first,
        "to": last,
    }
