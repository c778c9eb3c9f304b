"""Candidate rows made into items, filed by who hears them: the department, its heads, the supervisors.

The decisions are those of `rules.assignment_reminders` and the audience rules beside it
(`reaches_head`, `reaches_supervisors`, `listed_for_supervisors`, `in_daily_summary`), taken here
from the notices of `DayRules` without a call per assignment: at province scale this runs for tens
of thousands of items. tests/notifications/test_rules_agree.py holds the two to the same answers.

An entry is (urgency rank, plan rank, deadline ordinal, task id, sequence, item): sorting a
department's entries puts its items in `items.sort_key` order, ties in the order they were made.
Items are built from parts shared by every item about the same task, deadline or department
(`items.compose`).
"""

from collections import defaultdict
from operator import itemgetter

from django.conf import settings

from notifications import items as item_text
from notifications.kinds import Escalation, ItemKind
from notifications.sweep.candidates import CandidateRow, PlanNames
from notifications.sweep.deadlines import DayRules
from tasks.models import Assignment, ReportingCadence

_CADENCE_LABELS = {value: str(label) for value, label in ReportingCadence.choices}
_ROLE_LABELS = {value: str(label) for value, label in Assignment.Role.choices}
_ESCALATED_TO_HEAD = {"urgency": item_text.ESCALATED, "escalation": Escalation.HEAD}
_ESCALATED_TO_SUPERVISORS = {"urgency": item_text.ESCALATED, "escalation": Escalation.SUPERVISORS}

SEQUENCE = 4  # where an entry holds its sequence number
entry_item = itemgetter(-1)  # an entry's item, as a C call: it is asked for every item of every digest


class Escalations:
    """What has reached the supervisors from one department today."""

    __slots__ = ("assignments", "new", "longest", "plans")

    def __init__(self):
        self.assignments: set[int] = set()
        self.new: set[int] = set()
        self.longest = 0
        self.plans: set[int] = set()


class Collector:
    def __init__(
        self,
        *,
        plans: dict[int, PlanNames],
        rules_by_plan: dict[int, DayRules],
        default_rules: DayRules,
        phase_ends: dict,
    ):
        self.plans = plans
        self.rules_by_plan = rules_by_plan
        self.default_rules = default_rules
        self.phase_ends = phase_ends
        self.departments: dict[int, list[tuple]] = defaultdict(list)  # what the department's liaisons hear
        self.heads: dict[int, list[tuple]] = defaultdict(list)  # what is escalated to its heads
        self.summary: list[dict] = []  # overdue acknowledgements, for the supervisors' daily summary
        self.escalations: dict[int, Escalations] = defaultdict(Escalations)
        self.new_escalations: list[tuple] = []  # entries, like a department's
        self.seq = 0

    def add(self, rows: list[CandidateRow], departments: dict[int, str]) -> None:
        site_url = settings.SITE_URL
        escalations, new_escalations = self.escalations, self.new_escalations
        department_entries, head_entries, summary = self.departments, self.heads, self.summary
        compose, lead, no_cadence = item_text.compose, Assignment.Role.LEAD, ReportingCadence.NONE
        # Bound once: looking a member up on its enum class costs a few hundred nanoseconds, per item here.
        due_kind, phase_kind = ItemKind.DUE, ItemKind.PHASE_END
        report_kind, acknowledge_kind = ItemKind.REPORT, ItemKind.ACKNOWLEDGE
        due_what, acknowledge_what = due_kind.label, acknowledge_kind.label
        whos: dict[tuple, dict] = {}
        seq = self.seq
        current_task = None
        for row in rows:
            task_id = row.task_id
            if task_id != current_task:
                current_task = task_id
                plan_id = row.plan_id
                rules = self.rules_by_plan.get(plan_id, self.default_rules)
                remind_co = rules.policy.remind_co
                plan = self.plans[plan_id]
                plan_rank, task_start = plan.rank, row.task_start
                task = {  # items.task_fields, without a task object
                    "task_id": task_id,
                    "plan_id": plan_id,
                    "plan_title": plan.title,
                    "plan_doc_number": plan.doc_number,
                    "clause": row.clause,
                    "task_title": row.task_title,
                    "url": f"{site_url}/tasks/{task_id}/",
                }
                ends = self.phase_ends.get(task_id, ())
                reports = None
                cadence = row.reporting_cadence
                if cadence != no_cadence:
                    reports = rules.reports(cadence)
                    report_what = item_text.report_what(cadence_label=_CADENCE_LABELS.get(cadence, cadence))
            role = row.role
            if role != lead and not remind_co:
                continue
            pk, department_id = row.id, row.department_id
            who = whos.get((department_id, role))
            if who is None:
                who = whos[department_id, role] = item_text.who_fields(
                    department_id=department_id,
                    department=departments[department_id],
                    role=role,
                    role_label=_ROLE_LABELS.get(role, role),
                )
            entries = department_entries[department_id]
            chased = []  # items of the late kinds that reach the head: the due date, the previous report

            due = row.due_date or row.task_due
            if due:
                notice = rules.due_notice(due)
                if notice:
                    item = compose(due_kind, due_what, pk, notice.fields, who, task)
                    seq += 1
                    entries.append((notice.rank, plan_rank, notice.order, task_id, seq, item))
                    if notice.stage.to_head:
                        chased.append((notice, item))
            for end, what in ends:
                if end != due:
                    notice = rules.phase_notice(end)
                    if notice:
                        item = compose(phase_kind, what, pk, notice.fields, who, task)
                        seq += 1
                        entries.append((notice.rank, plan_rank, notice.order, task_id, seq, item))
            if reports is not None:
                last_report_on = row.last_report_on
                notice = reports.upcoming_notice
                if notice and (task_start is None or task_start <= reports.upcoming):
                    if not (last_report_on and last_report_on > reports.previous):
                        item = compose(report_kind, report_what, pk, notice.fields, who, task)
                        seq += 1
                        entries.append((notice.rank, plan_rank, notice.order, task_id, seq, item))
                notice = reports.previous_notice
                if notice is not None:
                    reported = last_report_on and last_report_on > reports.before_previous
                    # Only a department that was prompted for the period owes its report.
                    owed = row.created_on <= reports.owed_by and (task_start is None or task_start <= reports.previous)
                    if owed and not reported:
                        item = compose(report_kind, report_what, pk, notice.fields, who, task)
                        seq += 1
                        entries.append((notice.rank, plan_rank, notice.order, task_id, seq, item))
                        if notice.stage.to_head:
                            chased.append((notice, item))
            if row.unacknowledged:
                notice = rules.acknowledgement_notice(row.created_on)
                if notice:
                    item = compose(acknowledge_kind, acknowledge_what, pk, notice.fields, who, task)
                    seq += 1
                    entries.append((notice.rank, plan_rank, notice.order, task_id, seq, item))
                    if notice.stage.overdue:
                        summary.append(item)

            for notice, item in chased:
                stage, order = notice.stage, notice.order
                seq += 1
                head_entries[department_id].append((0, plan_rank, order, task_id, seq, {**item, **_ESCALATED_TO_HEAD}))
                if stage.to_supervisors:
                    escalation = escalations[department_id]
                    escalation.assignments.add(pk)
                    escalation.plans.add(plan_id)
                    if stage.days > escalation.longest:
                        escalation.longest = stage.days
                    if stage.first_to_supervisors:
                        escalation.new.add(pk)
                        seq += 1
                        entry = (0, plan_rank, order, task_id, seq, {**item, **_ESCALATED_TO_SUPERVISORS})
                        new_escalations.append(entry)
        self.seq = seq
