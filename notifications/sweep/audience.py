"""Who hears what today: one digest per person whose digest hour has come.

Liaisons hear every item about their departments (a department without liaison hears through its
heads), heads also what is escalated to them. Supervisors hear a summary per department of what has
escalated to them (in `totals["escalations"]`) and the items only of the assignments that reach them
today: at province scale the escalated items number tens of thousands, which no one reads in a mail.
With the daily summary they also get its figures and the overdue acknowledgements.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from operator import itemgetter

from django.db.models import Count, Q

from notifications import items as item_text
from notifications.models import Notification, NotificationPreference
from notifications.sweep.candidates import open_assignments
from notifications.sweep.collector import SEQUENCE, Collector, Escalations, entry_item
from org import access
from org.models import Membership, User
from tasks.models import Assignment


@dataclass
class Planned:
    recipient: User
    kind: str
    subject: str
    items: list[dict]
    totals: dict
    dedup_key: str
    already_written: bool = False


def people() -> tuple[dict[int, list[User]], dict[int, list[User]], list[User]]:
    """Who hears reminders (active, with an email): liaisons and heads by department, and the supervisors.

    Memberships come as plain values and each user once: a model instance per membership, with its
    user, cost more than the rest of the assembly of three thousand digests.
    """
    members = Membership.objects.filter(user__is_active=True).exclude(user__email="")
    users = {
        user.pk: user
        for user in User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(access.supervisors() | Q(pk__in=members.values("user_id")))
    }
    liaisons, heads = defaultdict(list), defaultdict(list)
    for user_id, department_id, role in members.order_by("user_id").values_list("user_id", "department_id", "role"):
        if user_id in users:  # not deactivated between the two queries
            (liaisons if role == Membership.Role.LIAISON else heads)[department_id].append(users[user_id])
    supervisors = sorted((u for u in users.values() if access.is_supervisor(u)), key=lambda u: u.pk)
    return liaisons, heads, supervisors


def _sorted_items(entries: list[tuple]) -> list[dict]:
    """One department's items in digest order: its entries carry their sort key and hold each item once."""
    return list(map(entry_item, sorted(entries)))


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
    entries = sorted((entry for chunk in chunks for entry in chunk), key=itemgetter(SEQUENCE))
    return _unique(list(map(entry_item, entries)))


def escalation_summary(escalations: dict[int, Escalations], departments: dict[int, str]) -> dict:
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
    counts = open_assignments().aggregate(open=Count("id"), overdue=Count("id", filter=Q(effective_due__lt=day)))
    return {
        "open": counts["open"],
        "overdue": counts["overdue"],
        "unacknowledged": len({item["assignment_id"] for item in summary_items}),
        "failed": Notification.objects.filter(state=Notification.State.FAILED).count(),
    }


def planned_digests(*, day: date, hour: int, collected: Collector, departments: dict[int, str]) -> list[Planned]:
    """One digest per person whose digest hour has come, in the order of their ids."""
    liaisons, heads, supervisors = people()
    users: dict[int, User] = {u.pk: u for u in supervisors}
    inbox: dict[int, list[list[tuple]]] = defaultdict(list)
    for audience, people_of in ((collected.departments, liaisons), (collected.heads, heads)):
        for department_id, entries in audience.items():
            if not entries:
                continue
            hearing = people_of[department_id]
            if audience is collected.departments and not hearing:
                hearing = heads[department_id]  # a department without liaison hears through its heads
            for person in hearing:
                users[person.pk] = person
                inbox[person.pk].append(entries)
    escalated = escalation_summary(collected.escalations, departments) if collected.escalations else None
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
        is_supervisor = access.is_supervisor(user)
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
