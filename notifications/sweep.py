"""The sweep: decide from the current state of tasks what each person hears today.

It reads state at run time, so completing an assignment stops its reminders and
an approved extension (which sets Assignment.due_date) restarts them against the
new date, with no hook in tasks. Each recipient gets one row per day (key
`daily:<user>:<date>`) holding all their items, written at the first run on or
after their chosen digest hour; a second run, or a second beat, finds the key taken.
"""

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from notifications import cadence
from notifications import items as item_text
from notifications.models import Notification, NotificationPreference, ReminderPolicy
from notifications.outbox import notification_write
from notifications.policy import acknowledgement_stage, deadline_stage
from notifications.workdays import is_working_day, subtract_working_days
from org.models import Department, Membership, User
from plans.models import Plan
from tasks.models import Assignment, Phase, ProgressReport, ReportingCadence, WorkState
from tasks.selectors import without_jit

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


_POLICY_FIELDS = (
    "before_days",
    "overdue_every",
    "escalate_head_after",
    "escalate_supervisors_after",
    "acknowledge_within",
    "report_before",
    "remind_co",
)


class _Rules:
    """One policy applied on one day: the stages it calls for, worked out once per deadline.

    The stages depend only on dates, so a sweep over many assignments asks for each
    deadline once instead of once per assignment; the answers are those of
    `deadline_stage` and `acknowledgement_stage`, which stay the definition.
    """

    def __init__(self, policy: ReminderPolicy, day: date):
        self.policy = policy
        self.day = day
        self.before_days = tuple(policy.before_days)
        self._due: dict[date, object] = {}
        self._phase: dict[date, object] = {}
        self._ack: dict[date, object] = {}
        self._reports: dict[str, tuple] = {}

    def due_stage(self, deadline: date):
        try:
            return self._due[deadline]
        except KeyError:
            p = self.policy
            stage = self._due[deadline] = deadline_stage(
                deadline=deadline,
                today=self.day,
                before_days=self.before_days,
                overdue_every=p.overdue_every,
                head_after=p.escalate_head_after,
                supervisors_after=p.escalate_supervisors_after,
            )
            return stage

    def phase_stage(self, deadline: date):
        try:
            return self._phase[deadline]
        except KeyError:
            stage = self._phase[deadline] = deadline_stage(
                deadline=deadline, today=self.day, before_days=self.before_days, overdue_every=None
            )
            return stage

    def acknowledgement_stage(self, assigned_on: date):
        try:
            return self._ack[assigned_on]
        except KeyError:
            p = self.policy
            stage = self._ack[assigned_on] = acknowledgement_stage(
                assigned_on=assigned_on, today=self.day, within=p.acknowledge_within, overdue_every=p.overdue_every
            )
            return stage

    def reports(self, reporting_cadence: str) -> tuple:
        """(upcoming, its stage, previous, the period before it, its stage, the last day to be owed previous)."""
        try:
            return self._reports[reporting_cadence]
        except KeyError:
            pass
        p, day = self.policy, self.day
        upcoming = cadence.report_due_on_or_after(reporting_cadence, day)
        previous = cadence.report_due_before(reporting_cadence, day)
        upcoming_stage = previous_stage = before_previous = owed_by = None
        if upcoming:
            upcoming_stage = deadline_stage(
                deadline=upcoming, today=day, before_days=(p.report_before, 0), overdue_every=None
            )
        if previous is not None:
            before_previous = cadence.report_due_before(reporting_cadence, previous)
            owed_by = subtract_working_days(previous, p.report_before)
            previous_stage = deadline_stage(
                deadline=previous,
                today=day,
                before_days=(),
                overdue_every=p.overdue_every,
                head_after=p.escalate_head_after,
                supervisors_after=p.escalate_supervisors_after,
            )
        answer = self._reports[reporting_cadence] = (
            upcoming,
            upcoming_stage,
            previous,
            before_previous,
            previous_stage,
            owed_by,
        )
        return answer

    def before_dates(self) -> list[date]:
        """Every deadline that is `before_days` working days away today: a reminder before the date."""
        if not self.before_days or not is_working_day(self.day):
            return []
        furthest = max(self.before_days)
        dates, deadline, left = [], self.day, 0
        while left <= furthest:
            if left in self.before_days:
                dates.append(deadline)
            deadline += timedelta(days=1)
            left += is_working_day(deadline)
        return dates

    def candidates(self) -> Q:
        """Assignments that may call for a notice today under this policy: a superset, never missing one.

        What each of them does call for is decided by `assignment_notices`; this only keeps the
        assignments that need nothing today (most of them) from being loaded at all.
        """
        p, day = self.policy, self.day
        before = self.before_dates()
        # Overdue ones are all kept, even when `overdue_every` skips today: a superset is enough.
        wanted = Q(acknowledged_at__isnull=True) | Q(effective_due__lt=day)
        if before:
            wanted |= Q(effective_due__in=before)
            wanted |= Exists(Phase.objects.filter(task_id=OuterRef("task_id"), end_date__in=before))
        for value in ReportingCadence.values:
            if value == ReportingCadence.NONE:
                continue
            upcoming, upcoming_stage, previous, before_previous, previous_stage, _ = self.reports(value)
            # A report counts for a period when it was submitted after the previous period's due date.
            if upcoming_stage and previous:
                reported_after = previous
            elif previous_stage and before_previous:
                reported_after = before_previous
            elif upcoming_stage or previous_stage:
                wanted |= Q(task__reporting_cadence=value)
                continue
            else:
                continue
            since = timezone.make_aware(datetime.combine(reported_after + timedelta(days=1), clock.min))
            reported = ProgressReport.objects.filter(assignment_id=OuterRef("pk"), submitted_at__gte=since)
            wanted |= Q(task__reporting_cadence=value) & ~Exists(reported)
        if not p.remind_co:
            wanted &= Q(role=Assignment.Role.LEAD)
        return wanted


def _policy_key(policy: ReminderPolicy) -> tuple:
    return tuple(tuple(v) if isinstance(v, list) else v for v in (getattr(policy, f) for f in _POLICY_FIELDS))


def _report_notices(assignment, rules: _Rules, day):
    task = assignment.task
    if task.reporting_cadence == ReportingCadence.NONE:
        return
    last_report_on = assignment.last_report_on
    upcoming, upcoming_stage, previous, before_previous, previous_stage, owed_by = rules.reports(task.reporting_cadence)
    # A report counts for a period when it was submitted after the previous period's due date.
    started = task.start_date is None or (upcoming is not None and task.start_date <= upcoming)
    if upcoming and started and not (last_report_on and previous and last_report_on > previous):
        if upcoming_stage:
            yield LIAISONS, item_text.report_item(assignment, upcoming, upcoming_stage, day)
    if previous is None or previous_stage is None:
        return
    reported = last_report_on and before_previous and last_report_on > before_previous
    # Only a department that was prompted for the period owes its report.
    owed = assignment.created_on <= owed_by and (task.start_date is None or task.start_date <= previous)
    if owed and not reported:
        yield from _deadline_audiences(item_text.report_item(assignment, previous, previous_stage, day), previous_stage)


def _deadline_audiences(item, stage):
    yield LIAISONS, item
    if stage.to_head:
        yield HEADS, {**item, "urgency": "escalated", "escalation": "head"}
    if stage.to_supervisors:
        yield SUPERVISORS, {**item, "urgency": "escalated", "escalation": "supervisors"}


def assignment_notices(*, assignment, policy: ReminderPolicy, day: date, rules: _Rules | None = None):
    """(audience, item) pairs that this assignment calls for on day."""
    if assignment.role == Assignment.Role.CO and not policy.remind_co:
        return
    rules = rules or _Rules(policy, day)
    due = assignment.effective_due_date
    if due:
        stage = rules.due_stage(due)
        if stage:
            yield from _deadline_audiences(item_text.due_item(assignment, due, stage, day), stage)
    for phase in assignment.task.phases.all():
        if phase.end_date and phase.end_date != due:
            stage = rules.phase_stage(phase.end_date)
            if stage:
                yield LIAISONS, item_text.phase_item(assignment, phase, stage, day)
    yield from _report_notices(assignment, rules, day)
    if assignment.unacknowledged:
        stage = rules.acknowledgement_stage(assignment.created_on)
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


class _Plan:
    __slots__ = ("pk", "title", "doc_number")


class _Clause:
    __slots__ = ("path", "label")


class _Department:
    __slots__ = ("pk", "name")


class _Phases(list):
    def all(self):
        return self


_NO_PHASES = _Phases()
_CADENCE_LABELS = {value: str(label) for value, label in ReportingCadence.choices}
_ROLE_LABELS = {value: str(label) for value, label in Assignment.Role.choices}


class _Task:
    """What the rules and the items read of a task, without the cost of a model instance per row."""

    __slots__ = (
        "pk",
        "plan_id",
        "plan",
        "clause",
        "title",
        "start_date",
        "due_date",
        "reporting_cadence",
        "phases",
        "url",
    )

    def get_reporting_cadence_display(self):
        return _CADENCE_LABELS.get(self.reporting_cadence, self.reporting_cadence)


class _Assignment:
    __slots__ = (
        "pk",
        "task",
        "department_id",
        "department",
        "role",
        "due_date",
        "unacknowledged",
        "created_on",
        "last_report_on",
    )

    @property
    def effective_due_date(self):
        return self.due_date or self.task.due_date

    def get_role_display(self):
        return _ROLE_LABELS.get(self.role, self.role)


def _open_assignments():
    """Open assignments of active plans, with their effective due date (Assignment.effective_due_date)."""
    return (
        Assignment.objects.filter(task__plan__status=Plan.Status.ACTIVE)
        .exclude(state=WorkState.COMPLETED)
        .annotate(effective_due=Coalesce(F("due_date"), F("task__due_date")))
    )


def _candidates(*, day: date, plans: dict, rules_by_plan: dict, default_rules: _Rules):
    """The open assignments that may call for a notice today, as light objects, in plan, task, id order.

    One query for the assignments, one for the phases that end within reach of a reminder;
    names of plans and departments come from the small lookups passed in or loaded here.
    """
    groups: dict[int, tuple[_Rules, list[int]]] = {}
    for plan_id, rules in rules_by_plan.items():
        groups.setdefault(id(rules), (rules, []))[1].append(plan_id)
    wanted = default_rules.candidates() & ~Q(task__plan_id__in=list(rules_by_plan)) if rules_by_plan else None
    if wanted is None:
        wanted = default_rules.candidates()
    for rules, plan_ids in groups.values():
        wanted |= Q(task__plan_id__in=plan_ids) & rules.candidates()

    # Local dates are worked out by the database (in the current time zone, as timezone.localtime
    # would): loading 100k timestamps with their time zone costs more than the query.
    last_report = ProgressReport.objects.filter(assignment_id=OuterRef("pk")).order_by("-submitted_at")
    rows = (
        _open_assignments()
        .filter(wanted)
        .annotate(
            unacknowledged=Q(acknowledged_at__isnull=True),
            created_on=TruncDate("created_at"),
            last_report_on=TruncDate(Subquery(last_report.values("submitted_at")[:1])),
        )
        .order_by("task__plan_id", "task_id", "id")
        .values_list(
            "id",
            "task_id",
            "department_id",
            "role",
            "due_date",
            "unacknowledged",
            "created_on",
            "last_report_on",
            "task__plan_id",
            "task__title",
            "task__due_date",
            "task__start_date",
            "task__reporting_cadence",
            "task__clause_id",
            "task__clause__path",
            "task__clause__label",
        )
    )

    with without_jit():  # JIT compiling this wide filter costs more than running it
        rows = list(rows)

    within_reach = sorted({d for r in (default_rules, *rules_by_plan.values()) for d in r.before_dates()})
    phases: dict[int, _Phases] = defaultdict(_Phases)
    if within_reach:
        for phase in Phase.objects.filter(task__plan__status=Plan.Status.ACTIVE, end_date__in=within_reach).order_by(
            "task", "position", "id"
        ):
            phases[phase.task_id].append(phase)
    departments = {}
    for pk, name in Department.objects.values_list("pk", "name"):
        department = departments[pk] = _Department()
        department.pk, department.name = pk, name

    site_url = settings.SITE_URL
    task = None
    for (
        pk,
        task_id,
        department_id,
        role,
        due_date,
        unacknowledged,
        created_on,
        last_report_on,
        plan_id,
        title,
        task_due,
        start_date,
        reporting_cadence,
        clause_id,
        clause_path,
        clause_label,
    ) in rows:
        if task is None or task.pk != task_id:
            task = _Task()
            task.pk, task.plan_id, task.plan, task.title = task_id, plan_id, plans[plan_id], title
            task.start_date, task.due_date, task.reporting_cadence = start_date, task_due, reporting_cadence
            task.phases = phases.get(task_id, _NO_PHASES)
            task.url = f"{site_url}/tasks/{task_id}/"  # items.task_url, with the setting read once
            task.clause = None
            if clause_id is not None:
                task.clause = _Clause()
                task.clause.path, task.clause.label = clause_path, clause_label
        assignment = _Assignment()
        assignment.pk, assignment.task, assignment.role = pk, task, role
        assignment.department_id, assignment.department = department_id, departments[department_id]
        assignment.due_date, assignment.unacknowledged = due_date, unacknowledged
        assignment.created_on, assignment.last_report_on = created_on, last_report_on
        yield assignment


def _totals(day, summary_items):
    counts = _open_assignments().aggregate(open=Count("id"), overdue=Count("id", filter=Q(effective_due__lt=day)))
    return {
        "open": counts["open"],
        "overdue": counts["overdue"],
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


def _in_order(chunks: list[list[tuple[int, dict]]]) -> list[dict]:
    """The items of several audiences, in the order the sweep produced them."""
    if len(chunks) == 1:
        return [item for _, item in chunks[0]]
    return [item for _, item in heapq.merge(*chunks)]


def sweep_run(*, at: datetime, dry_run: bool = False) -> SweepResult:
    """Decide what goes out at `at` and, unless dry_run, write it to the outbox (delivery follows on commit).

    A constant number of queries whatever the number of assignments: the database returns only
    the assignments that may call for a notice today (`_Rules.candidates`), and the rules, which
    depend on dates alone, are worked out once per deadline.
    """
    local = timezone.localtime(at)
    day = local.date()
    result = SweepResult(at=at, day=day, working_day=is_working_day(day))
    if not result.working_day:
        return result

    plans = {}
    for pk, title, doc_number in Plan.objects.filter(status=Plan.Status.ACTIVE).values_list(
        "pk", "title", "doc_number"
    ):
        plan = plans[pk] = _Plan()
        plan.pk, plan.title, plan.doc_number = pk, title, doc_number
    default_rules = _Rules(ReminderPolicy(), day)
    shared: dict[tuple, _Rules] = {_policy_key(default_rules.policy): default_rules}
    rules_by_plan = {}
    for policy in ReminderPolicy.objects.filter(plan__status=Plan.Status.ACTIVE):
        key = _policy_key(policy)
        if key not in shared:
            shared[key] = _Rules(policy, day)
        if shared[key] is not default_rules:
            rules_by_plan[policy.plan_id] = shared[key]
    liaisons, heads = _department_people()
    supervisors = _supervisors()

    # Each audience's items in the order they were produced; seq keeps that order across audiences.
    chunks: dict[tuple[str, int], list[tuple[int, dict]]] = defaultdict(list)
    supervisor_items: list[tuple[int, dict]] = []
    summary_items: list[dict] = []
    seq = 0
    for assignment in _candidates(day=day, plans=plans, rules_by_plan=rules_by_plan, default_rules=default_rules):
        rules = rules_by_plan.get(assignment.task.plan_id, default_rules)
        for audience, item in assignment_notices(assignment=assignment, policy=rules.policy, day=day, rules=rules):
            seq += 1
            if audience == SUMMARY:
                summary_items.append(item)
            elif audience == SUPERVISORS:
                supervisor_items.append((seq, item))
            else:
                chunks[audience, assignment.department_id].append((seq, item))

    users: dict[int, User] = {u.pk: u for u in supervisors}
    inbox: dict[int, list[list[tuple[int, dict]]]] = defaultdict(list)
    for (audience, department_id), chunk in chunks.items():
        if audience == LIAISONS:
            people = liaisons[department_id] or heads[department_id]
        else:
            people = heads[department_id]
        for person in people:
            users[person.pk] = person
            inbox[person.pk].append(chunk)
    if supervisor_items:
        for person in supervisors:
            inbox[person.pk].append(supervisor_items)

    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=users)}
    defaults = NotificationPreference()
    totals_today = None
    lists: dict[tuple, list[dict]] = {}  # people hearing the same audiences get the same list, worked out once
    for user_id in sorted(users):
        user = users[user_id]
        preference = preferences.get(user_id, defaults)
        if local.hour < preference.digest_hour:
            continue
        user_chunks = inbox.get(user_id, [])
        with_summary = user.role == User.Role.SUPERVISOR and preference.daily_summary
        key = (tuple(sorted(map(id, user_chunks))), preference.receive_co_reminders, with_summary)
        items = lists.get(key)
        if items is None:
            items = _in_order(user_chunks) if user_chunks else []
            if not preference.receive_co_reminders:
                items = [i for i in items if i["role"] != Assignment.Role.CO]
            if with_summary:
                items = items + summary_items
            items = lists[key] = _unique(items)
        totals = {}
        if with_summary:
            if totals_today is None:
                totals_today = _totals(day, summary_items)
            # A summary of an all-clear day would only teach people to ignore it.
            if any(n for name, n in totals_today.items() if name != "open"):
                totals = totals_today
        if not items and not totals:
            continue
        kind = Notification.Kind.SUMMARY if totals else Notification.Kind.DIGEST
        result.planned.append(
            Planned(
                recipient=user,
                kind=kind,
                subject=item_text.daily_subject(kind=kind, day=day, count=len(items)),
                items=list(items),
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
