"""Reminder rules: the one place that says which reminders an open assignment calls for on a day.

Pure functions of dates, numbers and states. docs/reminders.md says them in words,
tests/notifications/test_rules.py holds their table, and tests/notifications/test_rules_agree.py
shows that the sweep (`notifications/sweep/`), which works each deadline out once for thousands
of assignments, decides the same.

Nothing is sent on a day that is not a working day. On a working day `today`, a deadline
calls for:
  before it   a reminder when the working days left, counted in (today, deadline], is one
              of the days asked for (0: the last working day on or before the deadline,
              which is the deadline itself when that is a working day);
  after it    for a deadline that is chased, a reminder on the first working day after it
              and then every `overdue_every` working days, until the work is done.

An open assignment of an active plan, under its plan's policy, gets (nothing at all for a
co-responsible part when the policy does not remind co departments):
  due date      its own due date (an approved extension) or else the task's: before it on the
                policy's `before_days`, and chased after it;
  phase end     each phase end other than the due date, before it only (a phase has no
                completion of its own); two phases ending on one day make one reminder;
  report        when the task has a reporting cadence, on the reporting calendar
                (`tasks.reporting_calendar`): the period holding today is prompted
                `report_before` working days before its due day and on the last working day,
                unless a report came after the previous due day or the task starts after this
                one; the previous period's report is chased after its due day, until the next
                period falls due, unless a report came after the due day before it — owed only
                if the assignment existed when its prompt went out and the task had started by
                its due day;
  acknowledge   while unacknowledged (签收): every working day until `acknowledge_within` working
                days have passed since it was made, then on the overdue cadence, as overdue.

Who hears a reminder, beyond the department's liaisons (its heads when it has no liaison):
  heads         a chased deadline (due date, report) from `escalate_head_after` working days late;
  supervisors   a chased deadline from `escalate_supervisors_after` working days late (and once
                it reaches the head), on its reminder days: counted in their summary of
                escalations, and listed as an item on the first reminder day at or past the
                threshold only (`Stage.first_to_supervisors`);
  daily summary the overdue acknowledgements.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from notifications.kinds import ItemKind
from notifications.workdays import is_working_day, subtract_working_days, working_days_after
from tasks import reporting_calendar
from tasks.models import Assignment, ReportingCadence


@dataclass(frozen=True)
class Stage:
    overdue: bool
    days: int  # working days left before the deadline, or working days overdue
    to_head: bool = False
    to_supervisors: bool = False
    first_to_supervisors: bool = False


@dataclass(frozen=True)
class Policy:
    """A plan's reminder settings as plain values (`ReminderPolicy`, whose field defaults are the defaults).

    Equal settings make equal policies, so plans that share them share the work of a day.
    """

    before_days: tuple[int, ...]
    overdue_every: int
    escalate_head_after: int
    escalate_supervisors_after: int
    acknowledge_within: int
    report_before: int
    remind_co: bool

    @classmethod
    def of(cls, policy) -> "Policy":
        return cls(
            before_days=tuple(policy.before_days),
            overdue_every=policy.overdue_every,
            escalate_head_after=policy.escalate_head_after,
            escalate_supervisors_after=policy.escalate_supervisors_after,
            acknowledge_within=policy.acknowledge_within,
            report_before=policy.report_before,
            remind_co=policy.remind_co,
        )


class Reminder(NamedTuple):
    kind: ItemKind
    deadline: date | None  # None for an acknowledgement
    stage: Stage


def deadline_stage(
    *,
    deadline: date,
    today: date,
    before_days,
    overdue_every: int | None,
    head_after: int | None = None,
    supervisors_after: int | None = None,
) -> Stage | None:
    """The reminder a deadline calls for today, or None. overdue_every=None: never chased after the date."""
    if not is_working_day(today):
        return None
    if deadline >= today:
        left = working_days_after(today, deadline, limit=max(before_days, default=0))
        return Stage(overdue=False, days=left) if left in before_days else None
    if overdue_every is None:
        return None
    late = working_days_after(deadline, today)
    if (late - 1) % overdue_every:
        return None
    to_supervisors = supervisors_after is not None and late >= supervisors_after
    return Stage(
        overdue=True,
        days=late,
        to_head=head_after is not None and late >= head_after,
        to_supervisors=to_supervisors,
        # The previous reminder day was below the threshold: with overdue_every = 1, late == supervisors_after.
        first_to_supervisors=to_supervisors and late - overdue_every < supervisors_after,
    )


def acknowledgement_stage(*, assigned_on: date, today: date, within: int, overdue_every: int) -> Stage | None:
    """签收: asked every working day while young, then chased on the overdue cadence.

    `days` is the working days since the assignment was made; `overdue` means it
    has waited `within` working days or more, which also puts it before the supervisors.
    """
    if not is_working_day(today):
        return None
    age = working_days_after(assigned_on, today)
    if age < within:
        return Stage(overdue=False, days=age)
    return Stage(overdue=True, days=age, to_supervisors=True) if (age - within) % overdue_every == 0 else None


def chased_stage(*, deadline: date, today: date, policy: Policy, before_days) -> Stage | None:
    """A deadline that is chased after the date, with escalation: a due date, or a report's due day."""
    return deadline_stage(
        deadline=deadline,
        today=today,
        before_days=before_days,
        overdue_every=policy.overdue_every,
        head_after=policy.escalate_head_after,
        supervisors_after=policy.escalate_supervisors_after,
    )


def report_prompt(
    *, cadence: str, today: date, policy: Policy, task_start: date | None, last_report_on: date | None
) -> Reminder | None:
    """The prompt for the report of the period holding today."""
    due = reporting_calendar.due_on_or_after(cadence, today)
    if due is None or (task_start is not None and task_start > due):
        return None
    previous = reporting_calendar.due_before(cadence, today)
    if last_report_on is not None and last_report_on > previous:
        return None  # this period's report is in
    stage = deadline_stage(deadline=due, today=today, before_days=(policy.report_before, 0), overdue_every=None)
    return Reminder(ItemKind.REPORT, due, stage) if stage else None


def report_chase(
    *,
    cadence: str,
    today: date,
    policy: Policy,
    task_start: date | None,
    created_on: date,
    last_report_on: date | None,
) -> Reminder | None:
    """The chase of the previous period's report, missing after its due day (its late window runs to today's)."""
    due = reporting_calendar.due_before(cadence, today)
    if due is None:
        return None
    owed = created_on <= subtract_working_days(due, policy.report_before) and (task_start is None or task_start <= due)
    if not owed:
        return None
    if last_report_on is not None and last_report_on > reporting_calendar.due_before(cadence, due):
        return None
    stage = chased_stage(deadline=due, today=today, policy=policy, before_days=())
    return Reminder(ItemKind.REPORT, due, stage) if stage else None


def assignment_reminders(
    *,
    policy: Policy,
    today: date,
    role: str,
    due: date | None,
    phase_ends: Sequence[date] = (),
    reporting_cadence: str = ReportingCadence.NONE,
    task_start: date | None = None,
    created_on: date,
    last_report_on: date | None = None,
    unacknowledged: bool = False,
) -> list[Reminder]:
    """What one open assignment of an active plan is reminded of today.

    `due` is its effective due date, `phase_ends` its task's phase ends, `created_on` the day it was
    made and `last_report_on` the day of its latest progress report.
    """
    if role != Assignment.Role.LEAD and not policy.remind_co:
        return []
    reminders = []
    if due is not None:
        stage = chased_stage(deadline=due, today=today, policy=policy, before_days=policy.before_days)
        if stage:
            reminders.append(Reminder(ItemKind.DUE, due, stage))
    for end in dict.fromkeys(phase_ends):
        if end != due:
            stage = deadline_stage(deadline=end, today=today, before_days=policy.before_days, overdue_every=None)
            if stage:
                reminders.append(Reminder(ItemKind.PHASE_END, end, stage))
    if reporting_calendar.has_periods(reporting_cadence):
        report = dict(cadence=reporting_cadence, today=today, policy=policy, task_start=task_start)
        prompt = report_prompt(**report, last_report_on=last_report_on)
        chase = report_chase(**report, created_on=created_on, last_report_on=last_report_on)
        reminders.extend(r for r in (prompt, chase) if r)
    if unacknowledged:
        stage = acknowledgement_stage(
            assigned_on=created_on, today=today, within=policy.acknowledge_within, overdue_every=policy.overdue_every
        )
        if stage:
            reminders.append(Reminder(ItemKind.ACKNOWLEDGE, None, stage))
    return reminders


def reaches_head(reminder: Reminder) -> bool:
    """The department's head hears it too, marked as escalated."""
    return reminder.kind.late and reminder.stage.to_head


def reaches_supervisors(reminder: Reminder) -> bool:
    """Counted in the supervisors' summary of escalations today. It goes through the head: under a policy
    whose supervisors' threshold is below the head's, the supervisors hear of it from the head's on."""
    return reaches_head(reminder) and reminder.stage.to_supervisors


def listed_for_supervisors(reminder: Reminder) -> bool:
    """Listed as an item in the supervisors' digest: today it reaches them for the first time."""
    return reaches_supervisors(reminder) and reminder.stage.first_to_supervisors


def in_daily_summary(reminder: Reminder) -> bool:
    """Listed in the supervisors' daily summary: an overdue acknowledgement."""
    return reminder.kind == ItemKind.ACKNOWLEDGE and reminder.stage.overdue
