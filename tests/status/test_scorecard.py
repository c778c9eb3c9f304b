from datetime import date

import pytest

from core.downloads import csv_cell
from supervision import scorecard
from supervision.reports import supervision_report
from supervision.scorecard import Filing, Scorecard, department_scorecards, filing_counts, rank
from tasks.selectors import Counts

DEFAULT_CHASE_WEIGHT = scorecard.DEFAULT_WEIGHTS["chase"]

pytestmark = pytest.mark.django_db


def table(cards):
    return [(c.rank, c.department_name, c.score) for c in cards]


def test_scorecard_with_default_weights_ranks_the_departments(scenario, june15):
    cards = department_scorecards(as_of=june15)
    assert table(cards) == [(1, "市人社局", 70.0), (2, "市教育局", 44.62), (3, "市财政局", 4.0)]
    a = {c.department_name: c for c in cards}["市教育局"]
    # T2 monthly: Jan on time (01-20), Feb late and Mar on time (03-03), Apr on time (04-15), May missing.
    assert (a.reports.on_time, a.reports.late, a.reports.missing, a.reporting_rate) == (3, 1, 1, 70.0)
    b = {c.department_name: c for c in cards}["市财政局"]
    assert (b.extensions, b.reports.missing, b.reporting_rate, b.counts["all"].overdue_days) == (1, 5, 0.0, 25)


def test_extensions_count_only_within_the_period(scenario, june15):
    cards = {c.department_name: c for c in department_scorecards(as_of=june15, since=date(2026, 6, 3))}
    assert cards["市财政局"].extensions == 0
    assert cards["市财政局"].score == 5.0


def test_weights_come_from_settings(scenario, june15, settings):
    settings.DUBAN_SCORECARD_WEIGHTS = {
        "on_time_rate": 0,
        "completion_rate": 100,
        "reporting_rate": 0,
        "overdue_day": 0,
        "extension": 0,
    }
    assert table(department_scorecards(as_of=june15)) == [
        (1, "市教育局", 40.0),
        (2, "市财政局", 25.0),
        (3, "市人社局", 0.0),
    ]


@pytest.fixture
def reminder_counter(monkeypatch):
    calls = []

    def counter(*, department_ids, plan_id, since, until):
        calls.append((sorted(department_ids), plan_id, since, until))
        return {department_ids[0]: {"reminders": 5, "chases": 2}}

    monkeypatch.setattr(scorecard, "reminder_counts_by_department", counter)
    return calls


def test_reminders_and_chases_come_from_the_notifications_counts(scenario, june15, reminder_counter):
    cards = department_scorecards(as_of=june15, plan=scenario.plan2)
    (a,) = cards
    assert (a.reminders, a.chases) == (5, 2)
    assert reminder_counter == [([scenario.a.pk], scenario.plan2.pk, None, june15)]
    # plan 2: on time 0%, completion 100%, no reports due; minus 2 days late, 5 reminders, 2 chases
    assert a.score == round(0 + 30 + 30 - 0.2 - 5 * 0.2 - 2 * 1.0, 2)


def test_without_reminders_sent_or_chases_both_count_zero(scenario, june15):
    assert {(c.reminders, c.chases) for c in department_scorecards(as_of=june15)} == {(0, 0)}


def test_manual_chases_recorded_by_notifications_lower_the_score(scenario, june15, personas):
    from notifications.models import Chase

    Chase.objects.create(assignment=scenario.part("T3", scenario.b), by_user=personas.supervisor)
    b = {c.department_name: c for c in department_scorecards(as_of=june15)}["市财政局"]
    assert (b.chases, b.score) == (1, 4.0 - DEFAULT_CHASE_WEIGHT)


def _card(name, score, pk):
    return Scorecard(pk, name, {"all": Counts()}, 0, 0, 0, Filing(), score)


def test_equal_scores_share_a_rank_in_name_order_and_the_next_rank_skips():
    cards = rank([_card("乙", 50.0, 1), _card("丙", 70.0, 2), _card("甲", 50.0, 3), _card("丁", 30.0, 4)])
    assert [(c.rank, c.department_name) for c in cards] == [(1, "丙"), (2, "乙"), (2, "甲"), (4, "丁")]


def test_a_report_is_on_time_in_its_period_late_in_the_next_and_otherwise_missing():
    days = [date(2026, 1, 31), date(2026, 3, 1), date(2026, 5, 20)]
    # Jan on time; Feb late (03-01); Mar on time (03-01); Apr late (05-20); May on time; Jun not due yet
    assert filing_counts("monthly", date(2026, 1, 1), date(2026, 6, 30), days) == (3, 2, 0)
    assert filing_counts("monthly", date(2026, 1, 1), date(2026, 3, 1), []) == (0, 0, 2)


def test_supervision_report_summary_rows_and_overdue_list(scenario, june15):
    report = supervision_report(as_of=june15)
    assert report["summary"] == {
        "departments": 3,
        "total": 11,
        "completed_on_time": 1,
        "completed_late": 2,
        "in_progress": 4,
        "not_started": 2,
        "overdue": 2,
        "at_risk": 2,
        "completed_undated": 0,
        "undated": 1,
        "completed": 3,
        "completion_rate": 27.3,
        "on_time_rate": 20.0,
        "light": "red",
        "departments_by_light": {"green": 0, "yellow": 1, "red": 2, "grey": 0},
    }
    assert [(d["rank"], d["department"], d["light"]) for d in report["departments"]] == [
        (1, "市人社局", "yellow"),
        (2, "市教育局", "red"),
        (3, "市财政局", "red"),
    ]
    overdue = {(o["department"], o["task"], o["role"], o["days_overdue"], o["progress"]) for o in report["overdue"]}
    assert overdue == {("市教育局", "教师培训", "co", 15, 50), ("市财政局", "教师培训", "lead", 15, 0)}


def test_supervision_report_for_one_plan_and_chosen_departments(scenario, june15):
    report = supervision_report(as_of=june15, plan=scenario.plan1, department_ids=[scenario.b.pk, scenario.c.pk])
    assert [d["department"] for d in report["departments"]] == ["市人社局", "市财政局"]
    assert report["plan"]["title"] == "教育提质行动计划"
    assert [o["department"] for o in report["overdue"]] == ["市财政局"]


def test_supervision_report_of_a_past_day_uses_its_snapshot(scenario, june15):
    report = supervision_report(as_of=date(2026, 3, 25))
    assert report["summary"]["total"] == 10 and report["summary"]["at_risk"] == 4
    assert report["overdue"] == []


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+86", "'+86"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("市教育局", "市教育局"),
        (None, ""),
        (5, "5"),
    ],
)
def test_csv_cells_that_look_like_formulas_are_defused(value, cell):
    assert csv_cell(value) == cell
