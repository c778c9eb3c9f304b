"""The reminder rules as a table: what one open assignment is reminded of on a day of 2026."""

from datetime import date

import pytest

from notifications.kinds import ItemKind
from notifications.models import ReminderPolicy
from notifications.rules import (
    Policy,
    Reminder,
    Stage,
    assignment_reminders,
    in_daily_summary,
    listed_for_supervisors,
    reaches_head,
    reaches_supervisors,
)
from tasks.models import ReportingCadence

D = date
DEFAULT = Policy.of(ReminderPolicy())  # before_days [7, 3, 1, 0], every working day, head 3, supervisors 7
DUE = D(2026, 10, 12)  # the Monday after the National Day week
MONTHLY = ReportingCadence.MONTHLY


def due_reminder(stage):
    return [Reminder(ItemKind.DUE, DUE, stage)]


def test_the_default_policy_is_the_models_field_defaults():
    assert DEFAULT == Policy(
        before_days=(7, 3, 1, 0),
        overdue_every=1,
        escalate_head_after=3,
        escalate_supervisors_after=7,
        acknowledge_within=2,
        report_before=3,
        remind_co=True,
    )


@pytest.mark.parametrize(
    ("today", "facts", "expected"),
    [
        # the due date: before it on the policy's days (a 调休 Saturday counts), then every working day
        (D(2026, 9, 24), {}, due_reminder(Stage(False, 7))),
        (D(2026, 9, 28), {}, []),  # 6 working days left
        (D(2026, 10, 10), {}, due_reminder(Stage(False, 1))),
        (DUE, {}, due_reminder(Stage(False, 0))),
        (D(2026, 10, 11), {}, []),  # a Sunday: nothing is sent
        (D(2026, 10, 13), {}, due_reminder(Stage(True, 1))),
        (D(2026, 10, 15), {}, due_reminder(Stage(True, 3, to_head=True))),
        (D(2026, 10, 21), {}, due_reminder(Stage(True, 7, True, True, first_to_supervisors=True))),
        # an approved extension's date is the assignment's own and replaces the task's
        (D(2026, 10, 14), {"due": D(2026, 10, 23)}, [Reminder(ItemKind.DUE, D(2026, 10, 23), Stage(False, 7))]),
        (D(2026, 10, 13), {"due": None}, []),
        # co parts follow the policy
        (DUE, {"role": "co"}, due_reminder(Stage(False, 0))),
        (DUE, {"role": "co", "policy": Policy.of(ReminderPolicy(remind_co=False))}, []),
        (DUE, {"policy": Policy.of(ReminderPolicy(before_days=[5]))}, []),
        # phase ends: before only, none on the due date itself, one for two phases ending on one day
        (D(2026, 10, 8), {"phase_ends": [DUE]}, due_reminder(Stage(False, 3))),
        (
            D(2026, 10, 9),
            {"due": None, "phase_ends": [D(2026, 10, 13), D(2026, 10, 13)]},
            [
                Reminder(ItemKind.PHASE_END, D(2026, 10, 13), Stage(False, 3)),
            ],
        ),
        (D(2026, 10, 14), {"due": None, "phase_ends": [D(2026, 10, 13)]}, []),
        # acknowledgement: asked every working day, then overdue after acknowledge_within working days
        (
            D(2026, 10, 10),
            {"due": None, "unacknowledged": True, "created_on": D(2026, 10, 9)},
            [
                Reminder(ItemKind.ACKNOWLEDGE, None, Stage(False, 1)),
            ],
        ),
        (
            D(2026, 10, 12),
            {"due": None, "unacknowledged": True, "created_on": D(2026, 10, 9)},
            [
                Reminder(ItemKind.ACKNOWLEDGE, None, Stage(True, 2, to_supervisors=True)),
            ],
        ),
    ],
)
def test_reminders_of_one_assignment(today, facts, expected):
    facts = {"policy": DEFAULT, "role": "lead", "due": DUE, "created_on": D(2026, 9, 1), **facts}
    assert assignment_reminders(today=today, **facts) == expected


def report(today, **facts):
    facts = {"due": None, "reporting_cadence": MONTHLY, "created_on": D(2026, 9, 1), **facts}
    return assignment_reminders(policy=DEFAULT, today=today, role="lead", **facts)


def test_a_monthly_report_is_prompted_before_its_due_day_unless_one_came_since_the_previous():
    # 31 October is a Saturday: three working days left on the 27th, the 30th is the last working day.
    assert report(D(2026, 10, 27), last_report_on=D(2026, 9, 29)) == [
        Reminder(ItemKind.REPORT, D(2026, 10, 31), Stage(False, 3))
    ]
    assert report(D(2026, 10, 30), last_report_on=D(2026, 9, 29)) == [
        Reminder(ItemKind.REPORT, D(2026, 10, 31), Stage(False, 0))
    ]
    assert report(D(2026, 10, 27), last_report_on=D(2026, 10, 1)) == []
    assert report(D(2026, 10, 27), task_start=D(2026, 11, 2)) == []  # the task starts in the next period


def test_a_missing_report_is_chased_with_escalation_until_the_next_period_falls_due():
    assert report(D(2026, 11, 2), last_report_on=D(2026, 9, 29)) == [
        Reminder(ItemKind.REPORT, D(2026, 10, 31), Stage(True, 1))
    ]
    assert report(D(2026, 11, 4)) == [Reminder(ItemKind.REPORT, D(2026, 10, 31), Stage(True, 3, to_head=True))]
    # Filed in November: late for October, and it counts for it.
    assert report(D(2026, 11, 4), last_report_on=D(2026, 11, 3)) == []
    # On 30 November the October report is still chased; from 1 December it is November's that is owed.
    assert report(D(2026, 11, 30), last_report_on=D(2026, 9, 29))[-1].deadline == D(2026, 10, 31)
    assert report(D(2026, 12, 1), last_report_on=D(2026, 10, 29)) == [
        Reminder(ItemKind.REPORT, D(2026, 11, 30), Stage(True, 1))
    ]
    # One report in the late window is late for the period before and on time for its own.
    assert report(D(2026, 12, 1), last_report_on=D(2026, 11, 3)) == []


def test_only_an_assignment_prompted_for_the_period_owes_its_report():
    # October's prompt went out on the 27th (three working days before the 30th).
    assert report(D(2026, 11, 2), created_on=D(2026, 10, 27)) != []
    assert report(D(2026, 11, 2), created_on=D(2026, 10, 28)) == []
    assert report(D(2026, 11, 2), task_start=D(2026, 11, 1)) == []


def test_a_spring_report_filed_in_august_is_chased_until_filed():
    semester = {"reporting_cadence": ReportingCadence.SEMESTER, "created_on": D(2026, 3, 2)}
    assert report(D(2026, 8, 14), **semester) == [
        Reminder(ItemKind.REPORT, D(2026, 7, 31), Stage(True, 10, to_head=True, to_supervisors=True))
    ]
    assert report(D(2026, 8, 17), last_report_on=D(2026, 8, 15), **semester) == []


def test_no_reports_are_asked_for_a_task_without_cadence():
    assert report(D(2026, 11, 2), reporting_cadence=ReportingCadence.NONE) == []


@pytest.mark.parametrize(
    ("reminder", "head", "supervisors", "listed", "summary"),
    [
        (Reminder(ItemKind.DUE, DUE, Stage(True, 2)), False, False, False, False),
        (Reminder(ItemKind.DUE, DUE, Stage(True, 3, to_head=True)), True, False, False, False),
        (Reminder(ItemKind.REPORT, DUE, Stage(True, 7, True, True, True)), True, True, True, False),
        (Reminder(ItemKind.DUE, DUE, Stage(True, 8, True, True, False)), True, True, False, False),
        # the supervisors hear through the head: below the head's threshold they do not
        (Reminder(ItemKind.DUE, DUE, Stage(True, 2, False, True, True)), False, False, False, False),
        # an acknowledgement is not a deadline: it goes to the daily summary, never to the head
        (Reminder(ItemKind.ACKNOWLEDGE, None, Stage(True, 2, to_supervisors=True)), False, False, False, True),
        (Reminder(ItemKind.ACKNOWLEDGE, None, Stage(False, 1)), False, False, False, False),
        (Reminder(ItemKind.PHASE_END, DUE, Stage(False, 0)), False, False, False, False),
    ],
)
def test_who_hears_a_reminder_beyond_the_department(reminder, head, supervisors, listed, summary):
    assert (
        reaches_head(reminder),
        reaches_supervisors(reminder),
        listed_for_supervisors(reminder),
        in_daily_summary(reminder),
    ) == (head, supervisors, listed, summary)


def test_item_kinds_carry_chinese_labels_and_only_deadlines_are_late():
    assert {kind.value: kind.label for kind in ItemKind} == {
        "due": "完成时限",
        "phase_end": "阶段结束",
        "report": "进展报告",
        "acknowledge": "签收",
        "chase": "催办",
    }
    assert [kind for kind in ItemKind if kind.late] == [ItemKind.DUE, ItemKind.REPORT]
