"""The sweep: decide from the current state of tasks what each person hears today.

It reads state at run time, so completing an assignment stops its reminders and
an approved extension (which sets Assignment.due_date) restarts them against the
new date, with no hook in tasks. Each recipient gets one row per day (key
`daily:<user>:<date>`) holding all their items, written at the first run on or
after their chosen digest hour; a second run, or a second beat, finds the key taken.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Max
from django.utils import timezone

from notifications import cadence
from notifications import items as item_text
from notifications.models import Notification, NotificationPreference, ReminderPolicy
from notifications.outbox import notification_write
from notifications.policy import acknowledgement_stage, deadline_stage, policy_for_plan
from notifications.workdays import is_working_day, subtract_working_days
from org.models import Membership, User
from plans.models import Plan
from tasks.models import Assignment, ReportingCadence, WorkState

LIAISONS, HEADS, SUPERVISORS, SUMMARY = "liaisons", "heads", "supervisors", "summary"


@dataclass
class Planned:
    recipient: User
    kind: str
    subject: str
    items: list[dict]
    totals: dict
    dedup_key: str
    already_written: bool = False


@dataclass
class SweepResult:
    at: datetime
    day: date
    working_day: bool
    planned: list[Planned] = field(default_factory=list)
    written: list[Notification] = field(default_factory=list)

    @property
    def new(self) -> list[Planned]:
        return [p for p in self.planned if not p.already_written]


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def _open_assignments():
    return (
        Assignment.objects.filter(task__plan__status=Plan.Status.ACTIVE)
        .exclude(state=WorkState.COMPLETED)
        .select_related("task__plan", "task__clause", "department")
        .prefetch_related("task__phases")
        .annotate(last_report_at=Max("reports__submitted_at"))
        .order_by("task__plan_id", "task_id", "id")
    )


def _report_notices(assignment, policy, day):
    task = assignment.task
    if task.reporting_cadence == ReportingCadence.NONE:
        return
    last_report_on = _local_date(assignment.last_report_at)
    assigned_on = _local_date(assignment.created_at)

    upcoming = cadence.report_due_on_or_after(task.reporting_cadence, day)
    previous = cadence.report_due_before(task.reporting_cadence, day)
    # A report counts for a period when it was submitted after the previous period's due date.
    started = task.start_date is None or (upcoming is not None and task.start_date <= upcoming)
    if upcoming and started and not (last_report_on and previous and last_report_on > previous):
        stage = deadline_stage(deadline=upcoming, today=day, before_days=(policy.report_before, 0), overdue_every=None)
        if stage:
            yield LIAISONS, item_text.report_item(assignment, upcoming, stage, day)
    if previous is None:
        return
    before_previous = cadence.report_due_before(task.reporting_cadence, previous)
    reported = last_report_on and before_previous and last_report_on > before_previous
    # Only a department that was prompted for the period owes its report.
    owed = assigned_on <= subtract_working_days(previous, policy.report_before) and (
        task.start_date is None or task.start_date <= previous
    )
    if owed and not reported:
        stage = deadline_stage(
            deadline=previous,
            today=day,
            before_days=(),
            overdue_every=policy.overdue_every,
            head_after=policy.escalate_head_after,
            supervisors_after=policy.escalate_supervisors_after,
        )
        if stage:
            yield from _deadline_audiences(item_text.report_item(assignment, previous, stage, day), stage)


def _deadline_audiences(item, stage):
    yield LIAISONS, item
    if stage.to_head:
        yield HEADS, {**item, "urgency": "escalated", "escalation": "head"}
    if stage.to_supervisors:
        yield SUPERVISORS, {**item, "urgency": "escalated", "escalation": "supervisors"}


def assignment_notices(*, assignment, policy: ReminderPolicy, day: date):
    """(audience, item) pairs that this assignment calls for on day."""
    if assignment.role == Assignment.Role.CO and not policy.remind_co:
        return
    due = assignment.effective_due_date
    if due:
        stage = deadline_stage(
            deadline=due,
            today=day,
            before_days=policy.before_days,
            overdue_every=policy.overdue_every,
            head_after=policy.escalate_head_after,
            supervisors_after=policy.escalate_supervisors_after,
        )
        if stage:
            yield from _deadline_audiences(item_text.due_item(assignment, due, stage, day), stage)
    for phase in assignment.task.phases.all():
        if phase.end_date and phase.end_date != due:
            stage = deadline_stage(
                deadline=phase.end_date, today=day, before_days=policy.before_days, overdue_every=None
            )
            if stage:
                yield LIAISONS, item_text.phase_item(assignment, phase, stage, day)
    yield from _report_notices(assignment, policy, day)
    if assignment.acknowledged_at is None:
        stage = acknowledgement_stage(
            assigned_on=_local_date(assignment.created_at),
            today=day,
            within=policy.acknowledge_within,
            overdue_every=policy.overdue_every,
        )
        if stage:
            item = item_text.acknowledge_item(assignment, stage, day)
            yield LIAISONS, item
            if stage.overdue:
                yield SUMMARY, item


def _department_people():
    liaisons, heads = defaultdict(list), defaultdict(list)
    memberships = (
        Membership.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    )
    for m in memberships:
        (liaisons if m.role == Membership.Role.LIAISON else heads)[m.department_id].append(m.user)
    return liaisons, heads


def _supervisors():
    return list(User.objects.filter(role=User.Role.SUPERVISOR, is_active=True).exclude(email="").order_by("id"))


def _totals(day, assignments, summary_items):
    return {
        "open": len(assignments),
        "overdue": sum(1 for a in assignments if a.effective_due_date and a.effective_due_date < day),
        "unacknowledged": len({item["assignment_id"] for item in summary_items}),
        "failed": Notification.objects.filter(state=Notification.State.FAILED).count(),
    }


def _unique(items):
    seen, out = set(), []
    for item in items:
        key = (item["kind"], item["assignment_id"], item["deadline"], item.get("escalation"))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return sorted(out, key=item_text.sort_key)


def sweep_run(*, at: datetime, dry_run: bool = False) -> SweepResult:
    """Decide what goes out at `at` and, unless dry_run, write it to the outbox (delivery follows on commit)."""
    local = timezone.localtime(at)
    day = local.date()
    result = SweepResult(at=at, day=day, working_day=is_working_day(day))
    if not result.working_day:
        return result

    assignments = list(_open_assignments())
    policies = {p.plan_id: p for p in ReminderPolicy.objects.filter(plan_id__in={a.task.plan_id for a in assignments})}
    liaisons, heads = _department_people()
    supervisors = _supervisors()

    inbox: dict[int, list[dict]] = defaultdict(list)
    users: dict[int, User] = {u.pk: u for u in supervisors}
    summary_items: list[dict] = []
    for assignment in assignments:
        policy = policy_for_plan(plan=assignment.task.plan, policies=policies)
        for audience, item in assignment_notices(assignment=assignment, policy=policy, day=day):
            if audience == SUMMARY:
                summary_items.append(item)
                continue
            if audience == LIAISONS:
                people = liaisons[assignment.department_id] or heads[assignment.department_id]
            elif audience == HEADS:
                people = heads[assignment.department_id]
            else:
                people = supervisors
            for person in people:
                users[person.pk] = person
                inbox[person.pk].append(item)

    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=users)}
    totals_today = None
    for user_id in sorted(users):
        user = users[user_id]
        preference = preferences.get(user_id) or NotificationPreference(user=user)
        if local.hour < preference.digest_hour:
            continue
        items = inbox.get(user_id, [])
        if not preference.receive_co_reminders:
            items = [i for i in items if i["role"] != Assignment.Role.CO]
        totals = {}
        if user.role == User.Role.SUPERVISOR and preference.daily_summary:
            items = items + summary_items
            if totals_today is None:
                totals_today = _totals(day, assignments, summary_items)
            # A summary of an all-clear day would only teach people to ignore it.
            if any(n for name, n in totals_today.items() if name != "open"):
                totals = totals_today
        items = _unique(items)
        if not items and not totals:
            continue
        kind = Notification.Kind.SUMMARY if totals else Notification.Kind.DIGEST
        result.planned.append(
            Planned(
                recipient=user,
                kind=kind,
                subject=item_text.daily_subject(kind=kind, day=day, count=len(items)),
                items=items,
                totals=totals,
                dedup_key=f"daily:{user_id}:{day.isoformat()}",
            )
        )

    taken = set(
        Notification.objects.filter(dedup_key__in=[p.dedup_key for p in result.planned]).values_list(
            "dedup_key", flat=True
        )
    )
    for planned in result.planned:
        planned.already_written = planned.dedup_key in taken
    if dry_run:
        return result
    for planned in result.new:
        notification, created = notification_write(
            recipient=planned.recipient,
            kind=planned.kind,
            for_date=day,
            subject=planned.subject,
            items=planned.items,
            totals=planned.totals,
            dedup_key=planned.dedup_key,
        )
        if created:
            result.written.append(notification)
        else:
            planned.already_written = True
    return result
