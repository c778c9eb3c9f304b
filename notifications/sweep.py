"""The sweep: decide from the current state of tasks what each person hears today.

It reads state at run time, so completing an assignment stops its reminders and
an approved extension (which sets Assignment.due_date) restarts them against the
new date, with no hook in tasks. Each recipient gets one row per day (key
`daily:<user>:<date>`) holding all their items, written at the first run on or
after their chosen digest hour; a second run, or a second beat, finds the key taken.

Liaisons and heads hear every item about their departments. Supervisors hear a
summary per department of what has escalated to them (in `totals["escalations"]`)
and the items only of the assignments that reach them today: at province scale
the escalated items number tens of thousands, which no one reads in a mail.
"""

import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from operator import itemgetter

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, DateField, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf, Replace, TruncDate
from django.utils import timezone

from core.db import plain_rows
from notifications import items as item_text
from notifications.models import Notification, NotificationPreference, ReminderPolicy
from notifications.outbox import notification_write
from notifications.policy import acknowledgement_stage, deadline_stage
from notifications.workdays import is_working_day, subtract_working_days
from org.models import Department, Membership, User
from plans.models import Plan
from tasks import reporting_calendar
from tasks.models import Assignment, Phase, ProgressReport, ReportingCadence, WorkState


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
    """One policy applied on one day: what each deadline calls for, worked out once per deadline.

    Stages depend only on dates, so a sweep over many assignments asks for each deadline once
    instead of once per assignment; the answers are those of `deadline_stage` and
    `acknowledgement_stage`, which stay the definition. A notice is (stage, the item fields that
    follow from it, its urgency's rank, the deadline's ordinal): what every item about the
    deadline shares, including where it sorts.
    """

    def __init__(self, policy: ReminderPolicy, day: date):
        self.policy = policy
        self.day = day
        self.before_days = tuple(policy.before_days)
        self._notices: dict[tuple, tuple | None] = {}
        self._reports: dict[str, tuple] = {}

    def _notice(self, kind: str, deadline: date | None, stage) -> tuple | None:
        if stage is None:
            return None
        fields = item_text.timing_fields(kind=kind, stage=stage, deadline=deadline, day=self.day)
        return stage, fields, item_text.URGENCY_RANK[fields["urgency"]], deadline.toordinal() if deadline else 0

    def due_notice(self, deadline: date) -> tuple | None:
        try:
            return self._notices["due", deadline]
        except KeyError:
            p = self.policy
            stage = deadline_stage(
                deadline=deadline,
                today=self.day,
                before_days=self.before_days,
                overdue_every=p.overdue_every,
                head_after=p.escalate_head_after,
                supervisors_after=p.escalate_supervisors_after,
            )
            notice = self._notices["due", deadline] = self._notice("due", deadline, stage)
            return notice

    def phase_notice(self, deadline: date) -> tuple | None:
        try:
            return self._notices["phase_end", deadline]
        except KeyError:
            stage = deadline_stage(deadline=deadline, today=self.day, before_days=self.before_days, overdue_every=None)
            notice = self._notices["phase_end", deadline] = self._notice("phase_end", deadline, stage)
            return notice

    def acknowledgement_notice(self, assigned_on: date) -> tuple | None:
        try:
            return self._notices["acknowledge", assigned_on]
        except KeyError:
            p = self.policy
            stage = acknowledgement_stage(
                assigned_on=assigned_on, today=self.day, within=p.acknowledge_within, overdue_every=p.overdue_every
            )
            notice = self._notices["acknowledge", assigned_on] = self._notice("acknowledge", None, stage)
            return notice

    def reports(self, reporting_cadence: str) -> tuple:
        """(upcoming, its notice, previous, the period before it, its notice, the last day to be owed previous)."""
        try:
            return self._reports[reporting_cadence]
        except KeyError:
            pass
        p, day = self.policy, self.day
        upcoming = reporting_calendar.due_on_or_after(reporting_cadence, day)
        previous = reporting_calendar.due_before(reporting_cadence, day)
        upcoming_notice = previous_notice = before_previous = owed_by = None
        if upcoming:
            stage = deadline_stage(deadline=upcoming, today=day, before_days=(p.report_before, 0), overdue_every=None)
            upcoming_notice = self._notice("report", upcoming, stage)
        if previous is not None:
            before_previous = reporting_calendar.due_before(reporting_cadence, previous)
            owed_by = subtract_working_days(previous, p.report_before)
            stage = deadline_stage(
                deadline=previous,
                today=day,
                before_days=(),
                overdue_every=p.overdue_every,
                head_after=p.escalate_head_after,
                supervisors_after=p.escalate_supervisors_after,
            )
            previous_notice = self._notice("report", previous, stage)
        answer = self._reports[reporting_cadence] = (
            upcoming,
            upcoming_notice,
            previous,
            before_previous,
            previous_notice,
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

        What each of them does call for is decided by `_Collector`; this only keeps the
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
            upcoming, upcoming_notice, previous, before_previous, previous_notice, _ = self.reports(value)
            # A report counts for a period when it was submitted after the previous period's due date.
            if upcoming_notice and previous:
                reported_after = previous
            elif previous_notice and before_previous:
                reported_after = before_previous
            elif upcoming_notice or previous_notice:
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


def _people() -> tuple[dict[int, list[User]], dict[int, list[User]], list[User]]:
    """Who hears reminders (active, with an email): liaisons and heads by department, and the supervisors.

    Memberships come as plain values and each user once: a model instance per membership, with its
    user, cost more than the rest of the assembly of three thousand digests.
    """
    members = Membership.objects.filter(user__is_active=True).exclude(user__email="")
    users = {
        user.pk: user
        for user in User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(role=User.Role.SUPERVISOR) | Q(pk__in=members.values("user_id")))
    }
    liaisons, heads = defaultdict(list), defaultdict(list)
    for user_id, department_id, role in members.order_by("user_id").values_list("user_id", "department_id", "role"):
        if user_id in users:  # not deactivated between the two queries
            (liaisons if role == Membership.Role.LIAISON else heads)[department_id].append(users[user_id])
    supervisors = sorted((u for u in users.values() if u.role == User.Role.SUPERVISOR), key=lambda u: u.pk)
    return liaisons, heads, supervisors


def _open_assignments():
    """Open assignments of active plans, with their effective due date (Assignment.effective_due_date)."""
    return (
        Assignment.objects.filter(task__plan__status=Plan.Status.ACTIVE)
        .exclude(state=WorkState.COMPLETED)
        .annotate(effective_due=Coalesce(F("due_date"), F("task__due_date")))
    )


def _candidate_rows(*, rules_by_plan: dict, default_rules: _Rules) -> list[tuple]:
    """The open assignments that may call for a notice today, as tuples (`_Collector.add` names the fields),
    in plan, task, id order."""
    groups: dict[int, tuple[_Rules, list[int]]] = {}
    for plan_id, rules in rules_by_plan.items():
        groups.setdefault(id(rules), (rules, []))[1].append(plan_id)
    wanted = default_rules.candidates() & ~Q(task__plan_id__in=list(rules_by_plan)) if rules_by_plan else None
    if wanted is None:
        wanted = default_rules.candidates()
    for rules, plan_ids in groups.values():
        wanted |= Q(task__plan_id__in=plan_ids) & rules.candidates()

    # Local dates are worked out by the database (in the current time zone, as timezone.localtime
    # would): loading 100k timestamps with their time zone costs more than the query. The latest
    # report matters only to tasks with a reporting cadence; the others skip the look-up.
    last_report = ProgressReport.objects.filter(assignment_id=OuterRef("pk")).order_by("-submitted_at")
    clause = Coalesce(NullIf("task__clause__path", Value("")), "task__clause__label")
    rows = (
        _open_assignments()
        .filter(wanted)
        .annotate(
            unacknowledged=Q(acknowledged_at__isnull=True),
            created_on=TruncDate("created_at"),
            last_report_on=Case(
                When(task__reporting_cadence=ReportingCadence.NONE, then=None),
                default=TruncDate(Subquery(last_report.values("submitted_at")[:1])),
                output_field=DateField(),
            ),
            clause_text=Coalesce(Replace(clause, Value("/"), Value("")), Value("")),  # as items.task_fields
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
            "clause_text",
        )
    )
    if connection.vendor != "postgresql":
        return list(rows)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # With the default work_mem the sort and the task hash spill to disk. JIT is off for every
            # connection (settings), unless DATABASE_URL brings its own options: compiling this wide filter
            # takes longer than running it. Both settings end with the transaction.
            cursor.execute("SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)")
        # Some 35k rows: Django's per-row conversion would cost as much as PostgreSQL's answer.
        return plain_rows(rows)


def _phase_ends(rules: list[_Rules]) -> dict[int, list[tuple[date, str]]]:
    """Per task, the phase ends a reminder may be about today, as (end date, what): one per date, the first
    phase's, since two phases ending on the same day make one reminder. Tasks of plans that are not
    active are looked up too, and never asked for."""
    within_reach = sorted({d for r in rules for d in r.before_dates()})
    ends: dict[int, list[tuple[date, str]]] = defaultdict(list)
    if within_reach:
        phases = (
            Phase.objects.filter(end_date__in=within_reach)
            .order_by("task", "position", "id")
            .values_list("task_id", "end_date", "name", "kind")
        )
        for task_id, end_date, name, kind in phases:
            task_ends = ends[task_id]
            if all(end != end_date for end, _ in task_ends):
                task_ends.append((end_date, item_text.phase_what(name=name, kind_label=_PHASE_LABELS.get(kind, kind))))
    return ends


_PHASE_LABELS = {value: str(label) for value, label in Phase.Kind.choices}
_CADENCE_LABELS = {value: str(label) for value, label in ReportingCadence.choices}
_ROLE_LABELS = {value: str(label) for value, label in Assignment.Role.choices}
_ESCALATED_TO_HEAD = {"urgency": "escalated", "escalation": "head"}
_ESCALATED_TO_SUPERVISORS = {"urgency": "escalated", "escalation": "supervisors"}


class _Escalation:
    """What has reached the supervisors from one department today."""

    __slots__ = ("assignments", "new", "longest", "plans")

    def __init__(self):
        self.assignments: set[int] = set()
        self.new: set[int] = set()
        self.longest = 0
        self.plans: set[int] = set()


class _Collector:
    """Turns candidate rows into items, filed by who hears them.

    An entry is (urgency rank, plan rank, deadline ordinal, task id, sequence, item): sorting a
    department's entries puts its items in `items.sort_key` order, ties in the order they were
    made. Items are built from parts shared by every item about the same task, deadline or
    department (`items.compose`): at province scale this runs for tens of thousands of items.
    """

    def __init__(self, *, plans: dict, rules_by_plan: dict, default_rules: _Rules, phase_ends: dict):
        self.plans = plans  # id -> (title, doc_number, rank of the title)
        self.rules_by_plan = rules_by_plan
        self.default_rules = default_rules
        self.phase_ends = phase_ends
        self.liaisons: dict[int, list[tuple]] = defaultdict(list)
        self.heads: dict[int, list[tuple]] = defaultdict(list)
        self.summary: list[dict] = []  # overdue acknowledgements, for the supervisors' daily summary
        self.escalations: dict[int, _Escalation] = defaultdict(_Escalation)
        self.new_escalations: list[tuple] = []  # entries, like a department's
        self.seq = 0

    def add(self, rows, departments: dict[int, str]) -> None:
        site_url = settings.SITE_URL
        escalations, new_escalations = self.escalations, self.new_escalations
        liaison_entries, head_entries, summary = self.liaisons, self.heads, self.summary
        compose, lead, no_cadence = item_text.compose, Assignment.Role.LEAD, ReportingCadence.NONE
        whos: dict[tuple, dict] = {}
        seq = self.seq
        current_task = None
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
            clause,
        ) in rows:
            if task_id != current_task:
                current_task = task_id
                rules = self.rules_by_plan.get(plan_id, self.default_rules)
                remind_co = rules.policy.remind_co
                plan_title, doc_number, plan_rank = self.plans[plan_id]
                task = {  # items.task_fields, without a task object
                    "task_id": task_id,
                    "plan_id": plan_id,
                    "plan_title": plan_title,
                    "plan_doc_number": doc_number,
                    "clause": clause,
                    "task_title": title,
                    "url": f"{site_url}/tasks/{task_id}/",
                }
                ends = self.phase_ends.get(task_id, ())
                reports = None
                if reporting_cadence != no_cadence:
                    reports = rules.reports(reporting_cadence)
                    report_what = item_text.report_what(
                        cadence_label=_CADENCE_LABELS.get(reporting_cadence, reporting_cadence)
                    )
            if role != lead and not remind_co:
                continue
            who = whos.get((department_id, role))
            if who is None:
                who = whos[department_id, role] = item_text.who_fields(
                    department_id=department_id,
                    department=departments[department_id],
                    role=role,
                    role_label=_ROLE_LABELS.get(role, role),
                )
            liaisons = liaison_entries[department_id]
            # Deadlines that may be chased: the due date, and the previous period's missing report.
            chased = []

            due = due_date or task_due
            if due:
                notice = rules.due_notice(due)
                if notice:
                    stage, fields, rank, order = notice
                    item = compose("due", "完成时限", pk, fields, who, task)
                    seq += 1
                    liaisons.append((rank, plan_rank, order, task_id, seq, item))
                    if stage.to_head:
                        chased.append((stage, order, item))
            for end, what in ends:
                if end != due:
                    notice = rules.phase_notice(end)
                    if notice:
                        _, fields, rank, order = notice
                        seq += 1
                        liaisons.append(
                            (rank, plan_rank, order, task_id, seq, compose("phase_end", what, pk, fields, who, task))
                        )
            if reports is not None:
                upcoming, upcoming_notice, previous, before_previous, previous_notice, owed_by = reports
                # A report counts for a period when it was submitted after the previous period's due date.
                if upcoming_notice and (start_date is None or start_date <= upcoming):
                    if not (last_report_on and previous and last_report_on > previous):
                        _, fields, rank, order = upcoming_notice
                        seq += 1
                        liaisons.append(
                            (
                                rank,
                                plan_rank,
                                order,
                                task_id,
                                seq,
                                compose("report", report_what, pk, fields, who, task),
                            )
                        )
                if previous_notice is not None:
                    reported = last_report_on and before_previous and last_report_on > before_previous
                    # Only a department that was prompted for the period owes its report.
                    owed = created_on <= owed_by and (start_date is None or start_date <= previous)
                    if owed and not reported:
                        stage, fields, rank, order = previous_notice
                        item = compose("report", report_what, pk, fields, who, task)
                        seq += 1
                        liaisons.append((rank, plan_rank, order, task_id, seq, item))
                        if stage.to_head:
                            chased.append((stage, order, item))
            if unacknowledged:
                notice = rules.acknowledgement_notice(created_on)
                if notice:
                    stage, fields, rank, order = notice
                    item = compose("acknowledge", "签收", pk, fields, who, task)
                    seq += 1
                    liaisons.append((rank, plan_rank, order, task_id, seq, item))
                    if stage.overdue:
                        summary.append(item)

            for stage, order, item in chased:
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


@contextmanager
def _without_cycle_collection():
    """The sweep makes some 10^5 dicts and tuples and no reference cycles; left on, the cycle collector
    walks them again and again as they pile up (a quarter of the time at province scale)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _sorted_items(entries: list[tuple]) -> list[dict]:
    """One department's items in digest order: its entries carry their sort key and hold each item once."""
    return [entry[-1] for entry in sorted(entries)]


def _unique(items):
    seen, out = set(), []
    for item in items:
        key = (item["kind"], item["assignment_id"], item["deadline"], item.get("escalation"))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return sorted(out, key=item_text.sort_key)


def _merged_items(chunks: list[list[tuple]]) -> list[dict]:
    """The items of someone who hears several departments or roles: in the order they were made, once each,
    then in digest order."""
    entries = sorted((entry for chunk in chunks for entry in chunk), key=itemgetter(4))
    return _unique([entry[-1] for entry in entries])


def _escalation_summary(escalations: dict[int, _Escalation], departments: dict[int, str]) -> dict:
    """Per department, what has escalated to the supervisors: the assignments, those reaching them today,
    the longest overdue (working days) and the plans concerned; departments with new ones first."""
    rows = [
        {
            "department_id": department_id,
            "department": departments[department_id],
            "assignments": len(e.assignments),
            "new": len(e.new),
            "longest_overdue": e.longest,
            "plans": len(e.plans),
        }
        for department_id, e in escalations.items()
    ]
    rows.sort(key=lambda r: (-r["new"], -r["assignments"], -r["longest_overdue"], r["department"]))
    return {
        "assignments": sum(r["assignments"] for r in rows),
        "new": sum(r["new"] for r in rows),
        "departments": rows,
    }


def _totals(day, summary_items):
    counts = _open_assignments().aggregate(open=Count("id"), overdue=Count("id", filter=Q(effective_due__lt=day)))
    return {
        "open": counts["open"],
        "overdue": counts["overdue"],
        "unacknowledged": len({item["assignment_id"] for item in summary_items}),
        "failed": Notification.objects.filter(state=Notification.State.FAILED).count(),
    }


def _active_plans() -> dict[int, tuple[str, str, int]]:
    """id -> (title, 文号, rank of the title): items sort by plan title, and comparing ranks is cheaper."""
    rows = sorted(
        Plan.objects.filter(status=Plan.Status.ACTIVE).values_list("pk", "title", "doc_number"), key=itemgetter(1)
    )
    plans, rank, previous = {}, 0, None
    for pk, title, doc_number in rows:
        if title != previous:
            rank, previous = rank + 1, title
        plans[pk] = (title, doc_number, rank)
    return plans


def _planned(*, day: date, hour: int, collected: _Collector, departments: dict[int, str]) -> list[Planned]:
    """One digest per person whose digest hour has come: their departments' items, and for supervisors
    the summary of escalations, the items reaching them today and, if they want it, the daily summary."""
    liaisons, heads, supervisors = _people()
    users: dict[int, User] = {u.pk: u for u in supervisors}
    inbox: dict[int, list[list[tuple]]] = defaultdict(list)
    for audience, people_of in ((collected.liaisons, liaisons), (collected.heads, heads)):
        for department_id, entries in audience.items():
            if not entries:
                continue
            people = people_of[department_id]
            if audience is collected.liaisons and not people:
                people = heads[department_id]  # a department without liaison hears through its heads
            for person in people:
                users[person.pk] = person
                inbox[person.pk].append(entries)
    escalated = _escalation_summary(collected.escalations, departments) if collected.escalations else None
    if collected.new_escalations:
        for person in supervisors:
            inbox[person.pk].append(collected.new_escalations)

    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(user__is_active=True)}
    defaults = NotificationPreference()
    totals_today = None
    lists: dict[tuple, list[dict]] = {}  # people hearing the same audiences get the same list, worked out once
    planned = []
    for user_id in sorted(users):
        user = users[user_id]
        preference = preferences.get(user_id, defaults)
        if hour < preference.digest_hour:
            continue
        user_chunks = inbox.get(user_id, [])
        is_supervisor = user.role == User.Role.SUPERVISOR
        with_summary = is_supervisor and preference.daily_summary
        key = (tuple(map(id, user_chunks)), preference.receive_co_reminders, with_summary)
        items = lists.get(key)
        if items is None:
            items = _sorted_items(user_chunks[0]) if len(user_chunks) == 1 else _merged_items(user_chunks)
            if not preference.receive_co_reminders:
                items = [i for i in items if i["role"] != Assignment.Role.CO]
            if with_summary:
                items = _unique(items + collected.summary)
            lists[key] = items
        totals = {}
        if with_summary:
            if totals_today is None:
                totals_today = _totals(day, collected.summary)
            # A summary of an all-clear day would only teach people to ignore it.
            if any(n for name, n in totals_today.items() if name != "open"):
                totals = dict(totals_today)
        kind = Notification.Kind.SUMMARY if totals else Notification.Kind.DIGEST
        if is_supervisor and escalated:
            totals["escalations"] = escalated
        if not items and not totals:
            continue
        subject = item_text.daily_subject(
            kind=kind, day=day, count=len(items), escalations=escalated if is_supervisor else None
        )
        planned.append(
            Planned(
                recipient=user,
                kind=kind,
                subject=subject,
                items=list(items),
                totals=totals,
                dedup_key=f"daily:{user_id}:{day.isoformat()}",
            )
        )
    return planned


def _digests(*, day: date, hour: int) -> list[Planned]:
    """What each person hears today. The candidate rows and the collector end with this call, so that
    the cycle collector, back on, finds only the digests."""
    default_rules = _Rules(ReminderPolicy(), day)
    shared: dict[tuple, _Rules] = {_policy_key(default_rules.policy): default_rules}
    rules_by_plan = {}
    for policy in ReminderPolicy.objects.filter(plan__status=Plan.Status.ACTIVE):
        key = _policy_key(policy)
        if key not in shared:
            shared[key] = _Rules(policy, day)
        if shared[key] is not default_rules:
            rules_by_plan[policy.plan_id] = shared[key]
    rows = _candidate_rows(rules_by_plan=rules_by_plan, default_rules=default_rules)
    # Names are read after the rows, so that a plan or department made meanwhile is among them.
    departments = dict(Department.objects.values_list("pk", "name"))
    collected = _Collector(
        plans=_active_plans(),
        rules_by_plan=rules_by_plan,
        default_rules=default_rules,
        phase_ends=_phase_ends(list(shared.values())),
    )
    collected.add(rows, departments)
    return _planned(day=day, hour=hour, collected=collected, departments=departments)


def _taken(keys: list[str]) -> set[str]:
    """The keys already in the outbox. On PostgreSQL the keys go as one array: `IN (…)` with thousands of
    placeholders costs more to bind than the look-up in the unique index."""
    if connection.vendor != "postgresql":
        return set(Notification.objects.filter(dedup_key__in=keys).values_list("dedup_key", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT dedup_key FROM {Notification._meta.db_table} WHERE dedup_key = ANY(%s)", [keys])
        return {key for (key,) in cursor.fetchall()}


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

    with _without_cycle_collection():
        result.planned = _digests(day=day, hour=local.hour)

    taken = _taken([p.dedup_key for p in result.planned])
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
