"""The charts' geometry (tasks.charts), in SVG units, from plain inputs: no page, no database."""

from datetime import date
from types import SimpleNamespace

from tasks.charts import SnapshotPoint, gantt, month_starts, trend


def phase(kind, start, end, name=""):
    return SimpleNamespace(kind=kind, start_date=start, end_date=end, name=name, get_kind_display=lambda: f"[{kind}]")


def task(title, *, due=None, start=None, issued=date(2026, 1, 1), phases=()):
    return SimpleNamespace(
        title=title,
        due_date=due,
        start_date=start,
        plan=SimpleNamespace(issued_on=issued),
        phases=SimpleNamespace(all=lambda: list(phases)),
    )


def test_month_starts_cross_the_year_end():
    assert month_starts(date(2025, 11, 20), date(2026, 2, 1)) == [
        date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1),
    ]  # fmt: skip


def test_gantt_places_phases_deadline_and_today_on_one_scale():
    """From 1 January (the first month start) to 31 March: 89 days over 760 units, 8.539 a day."""
    work = task(
        "扩大覆盖面",
        due=date(2026, 3, 31),
        phases=[
            phase("preparation", date(2026, 1, 10), date(2026, 1, 31), "筹备阶段"),
            phase("operation", date(2026, 2, 1), date(2026, 3, 31)),
        ],
    )
    chart = gantt([work], today=date(2026, 2, 15))
    assert (chart["width"], chart["height"], chart["label_width"]) == (1000, 58, 230)
    assert chart["ticks"] == [
        {"x": 230.0, "label": "2026年1月"}, {"x": 494.7, "label": "2月"}, {"x": 733.8, "label": "3月"},
    ]  # fmt: skip
    (row,) = chart["rows"]
    assert (row["y"], row["text_y"], row["due_cy"], row["due_x"]) == (24, 39, 34, 990.0)
    assert [(b["kind"], b["x"], b["w"], b["title"]) for b in row["bars"]] == [
        ("preparation", 306.9, 179.3, "筹备阶段"),
        ("operation", 494.7, 495.3, "[operation]"),  # a phase without a name is called by its kind
    ]
    assert chart["today_x"] == 614.3


def test_a_task_without_phases_spans_from_its_plans_issue_to_its_deadline():
    """The axis runs at least a month: 1 January to 1 February, 31 days over 760 units."""
    chart = gantt([task("出台办法", due=date(2026, 1, 10))], today=date(2026, 6, 1))
    (row,) = chart["rows"]
    assert [(b["kind"], b["x"], b["w"], b["title"]) for b in row["bars"]] == [("task", 230.0, 220.6, "出台办法")]
    assert row["due_x"] == 450.6
    assert chart["today_x"] is None  # today is past the axis


def test_a_one_day_phase_is_still_drawn_and_a_task_without_dates_is_left_out():
    day = phase("evaluation", None, date(2026, 1, 20))
    chart = gantt([task("评估", phases=[day]), task("长期工作", issued=None)], today=date(2026, 1, 5))
    (row,) = chart["rows"]
    assert row["bars"][0]["w"] == 3.0 and row["due_x"] is None
    assert gantt([task("长期工作")], today=date(2026, 1, 5)) is None


def test_a_long_plan_gets_a_tick_each_january():
    chart = gantt([task("五年规划", due=date(2030, 12, 31))], today=date(2026, 1, 5))
    assert [t["label"] for t in chart["ticks"]] == ["2026年", "2027年", "2028年", "2029年", "2030年"]


A, B = "市教育局", "市财政局"


def test_trend_draws_the_total_and_each_department_between_the_first_and_last_day():
    """Ten days over 594 units; a rate of r% sits at 10 + (100 − r) × 1.84."""
    points = [
        SnapshotPoint(date(2026, 6, 1), 1, A, 10, 5),
        SnapshotPoint(date(2026, 6, 1), 2, B, 10, 0),
        SnapshotPoint(date(2026, 6, 11), 1, A, 10, 10),
        SnapshotPoint(date(2026, 6, 11), 2, B, 10, 5),
    ]
    chart = trend(points)
    assert [(s["name"], s["cls"], s["points"]) for s in chart["series"]] == [
        ("全部单位", 0, [(36.0, 148.0), (630.0, 56.0)]),  # 25% then 75%
        (A, 1, [(36.0, 102.0), (630.0, 10.0)]),
        (B, 2, [(36.0, 194.0), (630.0, 102.0)]),
    ]
    assert chart["series"][0]["path"] == "36.0,148.0 630.0,56.0"
    assert [(g["y"], g["label"]) for g in chart["grid"]] == [
        (194.0, "0%"), (148.0, "25%"), (102.0, "50%"), (56.0, "75%"), (10.0, "100%"),
    ]  # fmt: skip
    assert [(x["x"], x["label"]) for x in chart["x_labels"]] == [
        (36.0, "6月1日"),
        (630.0, "6月11日"),
        (630.0, "6月11日"),
    ]
    assert (chart["left"], chart["right"], chart["from"], chart["to"]) == (36, 630, date(2026, 6, 1), date(2026, 6, 11))


def test_trend_needs_two_days_and_draws_the_five_busiest_departments():
    assert trend([SnapshotPoint(date(2026, 6, 1), 1, A, 10, 5)]) is None
    points = [
        SnapshotPoint(day, dept, f"单位{dept}", dept, 0)  # department n has n assignments
        for day in (date(2026, 6, 1), date(2026, 6, 2))
        for dept in range(1, 8)
    ]
    points.append(SnapshotPoint(date(2026, 6, 2), 8, "新单位", 0, 0))  # nothing assigned yet: no point
    names = [s["name"] for s in trend(points)["series"]]
    assert names == ["全部单位", "单位7", "单位6", "单位5", "单位4", "单位3"]
