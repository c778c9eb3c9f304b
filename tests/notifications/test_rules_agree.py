"""The sweep decides what notifications/rules.py says, assignment by assignment and audience by audience.

Two ways: the sweep's collector, fed generated rows and policies (hypothesis), against the rules;
and the whole sweep over a generated set of plans, tasks, phases, reports and assignments in the
database (fixed seed), day after day, against the rules applied to every open assignment, which
also holds the database's choice of candidates to being a superset.
"""

import random
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notifications import items as item_text
from notifications.kinds import Escalation
from notifications.models import ReminderPolicy
from notifications.rules import (
    Policy,
    assignment_reminders,
    in_daily_summary,
    listed_for_supervisors,
    reaches_head,
    reaches_supervisors,
)
from notifications.sweep.candidates import CandidateRow, PlanNames
from notifications.sweep.collector import Collector, entry_item
from notifications.sweep.deadlines import DayRules
from notifications.workdays import subtract_working_days
from org.models import Department, Membership
from plans.models import Plan
from tasks import reporting_calendar
from tasks.models import Assignment, Phase, ProgressReport, ReportingCadence, Task, WorkState
from tests.conftest import make_user
from tests.notifications.conftest import sweep_on

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT = Policy.of(ReminderPolicy())


def item_key(item: dict) -> tuple:
    return (
        item["assignment_id"],
        item["kind"],
        item["deadline"],
        item["days_left"],
        item["days_overdue"],
        item["status"],
        item["escalation"],
    )


def reminder_key(assignment_id: int, reminder, today: date, escalation=None) -> tuple:
    """The item the rules' reminder makes: its wording comes from items.timing_fields, as in the sweep."""
    fields = item_text.timing_fields(kind=reminder.kind, stage=reminder.stage, deadline=reminder.deadline, day=today)
    return (
        assignment_id,
        reminder.kind,
        fields["deadline"],
        fields["days_left"],
        fields["days_overdue"],
        fields["status"],
        escalation,
    )


class Heard:
    """What each audience hears on a day, as the rules say it from each assignment's reminders."""

    def __init__(self, today: date):
        self.today = today
        self.departments: dict[int, Counter] = defaultdict(Counter)
        self.heads: dict[int, Counter] = defaultdict(Counter)
        self.supervisors: Counter = Counter()  # listed in their digest: reaching them today
        self.daily_summary: Counter = Counter()
        self.escalations: dict[int, dict] = {}

    def add(self, *, assignment_id: int, department_id: int, plan_id: int, reminders) -> None:
        for reminder in reminders:
            key = reminder_key(assignment_id, reminder, self.today)
            self.departments[department_id][key] += 1
            if reaches_head(reminder):
                self.heads[department_id][reminder_key(assignment_id, reminder, self.today, Escalation.HEAD)] += 1
            if reaches_supervisors(reminder):
                e = self.escalations.setdefault(
                    department_id, {"assignments": set(), "new": set(), "longest": 0, "plans": set()}
                )
                e["assignments"].add(assignment_id)
                e["plans"].add(plan_id)
                e["longest"] = max(e["longest"], reminder.stage.days)
                if listed_for_supervisors(reminder):
                    e["new"].add(assignment_id)
            if listed_for_supervisors(reminder):
                self.supervisors[reminder_key(assignment_id, reminder, self.today, Escalation.SUPERVISORS)] += 1
            if in_daily_summary(reminder):
                self.daily_summary[key] += 1


# ---------------------------------------------------------------------------------------------------
# The collector against the rules, on generated rows

DAYS = st.dates(min_value=date(2025, 12, 1), max_value=date(2026, 12, 31))

POLICIES = st.builds(
    Policy,
    before_days=st.lists(st.integers(0, 10), max_size=4, unique=True).map(tuple),
    overdue_every=st.integers(1, 3),
    escalate_head_after=st.integers(1, 8),
    escalate_supervisors_after=st.integers(1, 12),
    acknowledge_within=st.integers(0, 4),
    report_before=st.integers(0, 5),
    remind_co=st.booleans(),
)

# A date as a day the rules turn on, give or take a few days, or anywhere from eight months before today
# to two after: the boundaries are where a fast path and its definition part ways.
ANCHORS = ("today", "upcoming", "previous", "before_previous", "owed_by")
NEAR = st.tuples(st.sampled_from(ANCHORS), st.integers(-3, 3)) | st.tuples(st.just("today"), st.integers(-240, 60))

PARTS = st.lists(
    st.fixed_dictionaries(
        {
            "department_id": st.integers(1, 3),
            "role": st.sampled_from(["lead", "co"]),
            "due_date": st.none() | NEAR,
            "unacknowledged": st.booleans(),
            "created_on": NEAR,
            "last_report_on": st.none() | NEAR,
        }
    ),
    min_size=1,
    max_size=3,
    unique_by=lambda part: part["department_id"],
)
TASKS = st.fixed_dictionaries(
    {
        "plan_id": st.sampled_from([1, 2]),
        "due": st.none() | NEAR,
        "start": st.none() | NEAR,
        "cadence": st.sampled_from(ReportingCadence.values),
        "phase_ends": st.lists(st.integers(-5, 20), max_size=3),
        "parts": PARTS,
    }
)


class Anchors:
    """The days a drawn (anchor, offset) is counted from, on one day under one policy and cadence."""

    def __init__(self, *, today: date, cadence: str, policy: Policy):
        self.days = {"today": today}
        if reporting_calendar.has_periods(cadence):
            previous = reporting_calendar.due_before(cadence, today)
            self.days.update(
                upcoming=reporting_calendar.due_on_or_after(cadence, today),
                previous=previous,
                before_previous=reporting_calendar.due_before(cadence, previous),
                owed_by=subtract_working_days(previous, policy.report_before),
            )

    def __call__(self, drawn) -> date | None:
        if drawn is None:
            return None
        anchor, offset = drawn
        return self.days.get(anchor, self.days["today"]) + timedelta(days=offset)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(today=DAYS, own_policy=POLICIES, tasks=st.lists(TASKS, min_size=1, max_size=6))
def test_the_collector_files_what_the_rules_say_for_generated_assignments(today, own_policy, tasks):
    policies = {1: DEFAULT, 2: own_policy}
    default_rules = DayRules(DEFAULT, today)
    rules_by_plan = {2: DayRules(own_policy, today)}
    rows, phase_ends, expected = [], {}, Heard(today)
    for task_id, task in sorted(enumerate(tasks, start=1), key=lambda t: (t[1]["plan_id"], t[0])):
        policy, cadence = policies[task["plan_id"]], task["cadence"]
        day_of = Anchors(today=today, cadence=cadence, policy=policy)
        due, start = day_of(task["due"]), day_of(task["start"])
        ends = [today + timedelta(days=n) for n in task["phase_ends"]]
        phase_ends[task_id] = []
        for end in ends:
            if all(end != known for known, _ in phase_ends[task_id]):
                phase_ends[task_id].append((end, f"阶段{len(phase_ends[task_id]) + 1}结束"))
        for part in task["parts"]:
            pk = len(rows) + 1
            # The database gives no latest report to a task without reporting cadence.
            last_report_on = day_of(part["last_report_on"]) if cadence != ReportingCadence.NONE else None
            row = CandidateRow(
                id=pk,
                task_id=task_id,
                department_id=part["department_id"],
                role=part["role"],
                due_date=day_of(part["due_date"]),
                unacknowledged=part["unacknowledged"],
                created_on=day_of(part["created_on"]),
                last_report_on=last_report_on,
                plan_id=task["plan_id"],
                task_title=f"任务{task_id}",
                task_due=due,
                task_start=start,
                reporting_cadence=cadence,
                clause="",
            )
            rows.append(row)
            reminders = assignment_reminders(
                policy=policy,
                today=today,
                role=row.role,
                due=row.due_date or due,
                phase_ends=ends,
                reporting_cadence=cadence,
                task_start=start,
                created_on=row.created_on,
                last_report_on=last_report_on,
                unacknowledged=row.unacknowledged,
            )
            expected.add(assignment_id=pk, department_id=row.department_id, plan_id=row.plan_id, reminders=reminders)

    collector = Collector(
        plans={1: PlanNames("甲方案", "", 1), 2: PlanNames("乙方案", "", 2)},
        rules_by_plan=rules_by_plan,
        default_rules=default_rules,
        phase_ends=phase_ends,
    )
    collector.add(rows, {1: "市教育局", 2: "市财政局", 3: "市卫健委"})

    def heard(entries_by_department):
        return {
            department_id: Counter(item_key(entry_item(entry)) for entry in entries)
            for department_id, entries in entries_by_department.items()
            if entries
        }

    assert heard(collector.departments) == dict(expected.departments)
    assert heard(collector.heads) == dict(expected.heads)
    assert Counter(item_key(entry_item(entry)) for entry in collector.new_escalations) == expected.supervisors
    assert Counter(item_key(item) for item in collector.summary) == expected.daily_summary
    assert {
        department_id: {"assignments": e.assignments, "new": e.new, "longest": e.longest, "plans": e.plans}
        for department_id, e in collector.escalations.items()
    } == expected.escalations


# ---------------------------------------------------------------------------------------------------
# The whole sweep against the rules, on a generated database

SWEEP_DAYS = [
    date(2026, 9, 21),
    date(2026, 9, 30),
    date(2026, 10, 3),  # National Day: nothing
    date(2026, 10, 8),
    date(2026, 10, 10),  # a 调休 Saturday
    date(2026, 10, 12),
    date(2026, 10, 16),
    date(2026, 10, 21),
    date(2026, 10, 27),
    date(2026, 10, 30),
    date(2026, 11, 2),
    date(2026, 11, 4),
    date(2026, 11, 25),
    date(2026, 11, 30),
    date(2026, 12, 1),
    date(2026, 12, 28),
    date(2026, 12, 31),
]


DUE_DAYS = [date(2026, 9, 30), date(2026, 10, 31), date(2026, 11, 30), date(2026, 10, 9), date(2026, 10, 16)]


def _moment(rng, first: date, last: date) -> datetime:
    day = first + timedelta(days=rng.randint(0, (last - first).days))
    # Any hour: the sweep's local dates are the database's, and 07:00 in Shanghai is the day before in UTC.
    return datetime(day.year, day.month, day.day, rng.randint(0, 23), rng.randint(0, 59), tzinfo=SHANGHAI)


@pytest.fixture
def generated(personas):
    """Three active plans (one with a policy of its own) and an archived one, 36 tasks with phases and
    reporting cadences, parts for three departments (one heard only through its head) made on days from
    July to December, some completed, some acknowledged; reports filed over the same months (fixed seed).

    Parts and reports are made in time order up to each sweep day (`advance`), as they would be."""
    rng = random.Random(20261021)
    dept_c = Department.objects.create(name="市卫健委")
    head_c = make_user("head_c", department=dept_c, membership=Membership.Role.HEAD)
    departments = [personas.dept_a, personas.dept_b, dept_c]
    plans = [Plan.objects.create(title=f"方案{n}", status=Plan.Status.ACTIVE) for n in range(3)]
    plans.append(Plan.objects.create(title="已归档方案", status=Plan.Status.ARCHIVED))
    ReminderPolicy.objects.create(
        plan=plans[1],
        before_days=[5, 2, 0],
        overdue_every=2,
        escalate_head_after=2,
        escalate_supervisors_after=5,
        acknowledge_within=1,
        report_before=2,
        remind_co=False,
    )
    events = []  # (moment, what to do)
    for n in range(36):
        due = _moment(rng, date(2026, 9, 1), date(2027, 1, 15)).date() if rng.random() < 0.85 else None
        task = Task.objects.create(
            plan=rng.choice(plans),
            title=f"任务{n}",
            due_date=due,
            start_date=_moment(rng, date(2026, 7, 1), date(2026, 12, 1)).date() if rng.random() < 0.4 else None,
            reporting_cadence=rng.choice(ReportingCadence.values),
        )
        for position in range(rng.choice([0, 0, 1, 2])):
            end = due if due and rng.random() < 0.3 else _moment(rng, date(2026, 9, 15), date(2027, 1, 10)).date()
            Phase.objects.create(
                task=task, kind=rng.choice(Phase.Kind.values), name=rng.choice(["", "前期筹备阶段"]),
                position=position, end_date=end,
            )  # fmt: skip
        for department in rng.sample(departments, rng.randint(1, 3)):
            made = _moment(rng, date(2026, 7, 1), date(2026, 12, 20))
            reports = [_moment(rng, made.date(), date(2026, 12, 31)) for _ in range(rng.choice([0, 1, 2, 4]))]
            if rng.random() < 0.5:  # on a period's due day, which counts for that period and not the next
                due_day = rng.choice([d for d in DUE_DAYS if d >= made.date()] or [date(2026, 12, 31)])
                reports.append(_moment(rng, due_day, due_day))
            reports.sort()
            fields = {
                "task": task,
                "department": department,
                "role": rng.choice(["lead", "co"]),
                "due_date": _moment(rng, date(2026, 9, 15), date(2027, 1, 15)).date() if rng.random() < 0.2 else None,
                "acknowledged": rng.random() < 0.6,
                "completed": rng.random() < 0.1,
            }
            events.append((made, fields, reports))
    events.sort(key=lambda e: e[0])
    made: list = []

    def advance(until: datetime) -> None:
        while events and events[0][0] < until:
            moment, fields, reports = events.pop(0)
            completed = fields.pop("completed")
            acknowledged = fields.pop("acknowledged")
            assignment = Assignment.objects.create(
                **fields,
                acknowledged_at=moment if acknowledged else None,
                acknowledged_by=personas.liaison_a if acknowledged else None,
                state=WorkState.COMPLETED if completed else WorkState.NOT_STARTED,
                progress=100 if completed else 0,
                completed_on=moment.date() if completed else None,
            )
            Assignment.objects.filter(pk=assignment.pk).update(created_at=moment)
            made.append((assignment.pk, reports))
        for assignment_id, reports in made:
            while reports and reports[0] < until:
                report = ProgressReport.objects.create(
                    assignment_id=assignment_id, author=personas.liaison_a, text="进展", percent=10
                )
                ProgressReport.objects.filter(pk=report.pk).update(submitted_at=reports.pop(0))

    return personas, dept_c, head_c, advance


def heard_by_rules(today: date) -> Heard:
    policies = {p.plan_id: Policy.of(p) for p in ReminderPolicy.objects.all()}
    heard = Heard(today)
    open_parts = (
        Assignment.objects.filter(task__plan__status=Plan.Status.ACTIVE)
        .exclude(state=WorkState.COMPLETED)
        .select_related("task")
        .prefetch_related("task__phases", "reports")
    )
    for a in open_parts:
        reports = [r.submitted_at.astimezone(SHANGHAI).date() for r in a.reports.all()]
        phases = sorted(a.task.phases.all(), key=lambda p: (p.position, p.pk))
        reminders = assignment_reminders(
            policy=policies.get(a.task.plan_id, DEFAULT),
            today=today,
            role=a.role,
            due=a.due_date or a.task.due_date,
            phase_ends=[p.end_date for p in phases if p.end_date],
            reporting_cadence=a.task.reporting_cadence,
            task_start=a.task.start_date,
            created_on=a.created_at.astimezone(SHANGHAI).date(),
            last_report_on=max(reports, default=None),
            unacknowledged=a.acknowledged_at is None,
        )
        heard.add(assignment_id=a.pk, department_id=a.department_id, plan_id=a.task.plan_id, reminders=reminders)
    return heard


@pytest.mark.django_db
def test_the_sweep_sends_each_audience_what_the_rules_say_day_after_day(generated):
    personas, dept_c, head_c, advance = generated
    dept_a, dept_b, dept_c = personas.dept_a.pk, personas.dept_b.pk, dept_c.pk
    seen = Counter()
    for day in SWEEP_DAYS:
        advance(datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI))
        result = sweep_on(day, dry_run=True)
        got = {p.recipient: Counter(item_key(i) for i in p.items) for p in result.planned}
        expected = heard_by_rules(day)
        assert got.get(personas.liaison_a, Counter()) == expected.departments[dept_a], day
        assert got.get(personas.liaison_b, Counter()) == expected.departments[dept_b], day
        assert got.get(personas.head_a, Counter()) == expected.heads[dept_a], day
        assert got.get(head_c, Counter()) == expected.departments[dept_c] + expected.heads[dept_c], day
        assert got.get(personas.supervisor, Counter()) == expected.supervisors + expected.daily_summary, day
        supervisor = next((p for p in result.planned if p.recipient == personas.supervisor), None)
        summary = supervisor.totals.get("escalations") if supervisor else None
        assert {
            row["department_id"]: (row["assignments"], row["new"], row["longest_overdue"], row["plans"])
            for row in (summary["departments"] if summary else [])
        } == {
            department_id: (len(e["assignments"]), len(e["new"]), e["longest"], len(e["plans"]))
            for department_id, e in expected.escalations.items()
        }, day
        for counter in expected.departments.values():
            seen.update(key[1] for key in counter)
        seen["head"] += sum(map(len, expected.heads.values()))
        seen["supervisors"] += len(expected.supervisors)
        seen["summary"] += len(expected.daily_summary)
    # The generated days call for every kind of reminder and every audience.
    assert set(seen) == {"due", "phase_end", "report", "acknowledge", "head", "supervisors", "summary"}, seen
