"""催办: a supervisor chases a department about one assignment, at once, through the outbox."""

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from notifications.items import acknowledge_item, date_label, due_item
from notifications.kinds import ItemKind
from notifications.models import Chase, Notification
from notifications.outbox import notification_write
from notifications.rules import Stage
from notifications.workdays import working_days_after
from org import access
from org.models import Membership


def _chase_item(assignment, day):
    due = assignment.effective_due_date
    if due is None:
        item = acknowledge_item(assignment, Stage(overdue=False, days=0), day)
        item.update(kind=ItemKind.CHASE, what=ItemKind.CHASE.label, status="请尽快办理")
        return item
    stage = (
        Stage(overdue=True, days=working_days_after(due, day))
        if due < day
        else Stage(overdue=False, days=working_days_after(day, due))
    )
    item = due_item(assignment, due, stage, day)
    item["kind"] = ItemKind.CHASE
    return item


def _recipients(assignment):
    memberships = (
        Membership.objects.filter(department=assignment.department, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    )
    liaisons = [m.user for m in memberships if m.role == Membership.Role.LIAISON]
    return liaisons or [m.user for m in memberships if m.role == Membership.Role.HEAD]


@transaction.atomic
def assignment_chase(*, assignment, by_user, note: str = "") -> Chase:
    """Record the chase and write one notification per liaison (or head, when the department has no liaison)."""
    access.require(access.can_chase(by_user), "只有督查员可以催办。")
    recipients = _recipients(assignment)
    if not recipients:
        raise DomainError(
            f"{assignment.department.name} 没有设置联络员或负责人的邮箱,无法催办。", "no_recipients", conflict=True
        )
    chase = Chase.objects.create(assignment=assignment, by_user=by_user, note=note)
    day = timezone.localdate()
    item = _chase_item(assignment, day)
    count = Chase.objects.filter(assignment=assignment).count()
    subject = f"【催办】{assignment.task.title}(第 {count} 次催办,{date_label(day)})"
    for user in recipients:
        notification_write(
            recipient=user,
            kind=Notification.Kind.CHASE,
            for_date=day,
            subject=subject[:300],
            items=[item],
            note=note,
            chase=chase,
            dedup_key=f"chase:{chase.pk}:{user.pk}",
        )
    return chase
