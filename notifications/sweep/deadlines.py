"""One policy on one day, each deadline worked out once: the sweep's fast path of `notifications.rules`.

Stages depend on dates alone, so a sweep over many assignments asks for each deadline once
instead of once per assignment. The stages are those of `rules.deadline_stage` and
`rules.acknowledgement_stage`, which stay the definition; tests/notifications/test_rules_agree.py
shows that what the sweep builds on them is what `rules.assignment_reminders` says.
"""

from datetime import date, timedelta
from typing import NamedTuple

from notifications import items as item_text
from notifications.kinds import ItemKind
from notifications.rules import Policy, Stage, acknowledgement_stage, chased_stage, deadline_stage
from notifications.workdays import is_working_day, subtract_working_days
from tasks import reporting_calendar

# Looking a member up on its enum class costs a few hundred nanoseconds, and these are asked for per assignment.
DUE, PHASE_END, REPORT, ACKNOWLEDGE = ItemKind.DUE, ItemKind.PHASE_END, ItemKind.REPORT, ItemKind.ACKNOWLEDGE


class Notice(NamedTuple):
    """What every item about one deadline shares, including where it sorts."""

    stage: Stage
    fields: dict  # items.timing_fields
    rank: int  # of its urgency
    order: int  # the deadline's ordinal, 0 without one


class ReportWindow(NamedTuple):
    """A reporting cadence on the day: the period holding it and the one before (rules.report_prompt, report_chase)."""

    upcoming: date  # the due day of the period holding the day
    upcoming_notice: Notice | None  # its prompt
    previous: date  # the latest due day before the day
    before_previous: date  # the due day before that: a report after it counts for the previous period
    previous_notice: Notice | None  # the chase of the previous period's report
    owed_by: date  # an assignment made after this day was never prompted for the previous period


class DayRules:
    """One policy on one day: the notice of each deadline, asked for once whatever the number of assignments."""

    def __init__(self, policy: Policy, day: date):
        self.policy = policy
        self.day = day
        self._notices: dict[tuple, Notice | None] = {}
        self._reports: dict[str, ReportWindow | None] = {}

    def _notice(self, kind: ItemKind, deadline: date | None, stage: Stage | None) -> Notice | None:
        if stage is None:
            return None
        fields = item_text.timing_fields(kind=kind, stage=stage, deadline=deadline, day=self.day)
        return Notice(stage, fields, item_text.URGENCY_RANK[fields["urgency"]], deadline.toordinal() if deadline else 0)

    def due_notice(self, deadline: date) -> Notice | None:
        try:
            return self._notices[DUE, deadline]
        except KeyError:
            stage = chased_stage(
                deadline=deadline, today=self.day, policy=self.policy, before_days=self.policy.before_days
            )
            notice = self._notices[DUE, deadline] = self._notice(DUE, deadline, stage)
            return notice

    def phase_notice(self, deadline: date) -> Notice | None:
        try:
            return self._notices[PHASE_END, deadline]
        except KeyError:
            stage = deadline_stage(
                deadline=deadline, today=self.day, before_days=self.policy.before_days, overdue_every=None
            )
            notice = self._notices[PHASE_END, deadline] = self._notice(PHASE_END, deadline, stage)
            return notice

    def acknowledgement_notice(self, assigned_on: date) -> Notice | None:
        try:
            return self._notices[ACKNOWLEDGE, assigned_on]
        except KeyError:
            p = self.policy
            stage = acknowledgement_stage(
                assigned_on=assigned_on, today=self.day, within=p.acknowledge_within, overdue_every=p.overdue_every
            )
            notice = self._notices[ACKNOWLEDGE, assigned_on] = self._notice(ACKNOWLEDGE, None, stage)
            return notice

    def reports(self, cadence: str) -> ReportWindow | None:
        """The cadence's window on the day; None for a cadence without reports."""
        try:
            return self._reports[cadence]
        except KeyError:
            pass
        window = None
        if reporting_calendar.has_periods(cadence):
            p, day = self.policy, self.day
            upcoming = reporting_calendar.due_on_or_after(cadence, day)
            previous = reporting_calendar.due_before(cadence, day)
            prompt = deadline_stage(deadline=upcoming, today=day, before_days=(p.report_before, 0), overdue_every=None)
            window = ReportWindow(
                upcoming=upcoming,
                upcoming_notice=self._notice(REPORT, upcoming, prompt),
                previous=previous,
                before_previous=reporting_calendar.due_before(cadence, previous),
                previous_notice=self._notice(
                    REPORT, previous, chased_stage(deadline=previous, today=day, policy=p, before_days=())
                ),
                owed_by=subtract_working_days(previous, p.report_before),
            )
        self._reports[cadence] = window
        return window

    def before_dates(self) -> list[date]:
        """Every deadline that is one of `before_days` working days away today: a reminder before the date."""
        before_days = self.policy.before_days
        if not before_days or not is_working_day(self.day):
            return []
        furthest = max(before_days)
        dates, deadline, left = [], self.day, 0
        while left <= furthest:
            if left in before_days:
                dates.append(deadline)
            deadline += timedelta(days=1)
            left += is_working_day(deadline)
        return dates
