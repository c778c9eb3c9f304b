"""Actions on the department registry.

Every change a supervisor makes goes through one function here: it refuses anyone else and a name
the registry already holds (core.errors.DomainError), writes in one transaction and announces the
change (org.signals.registry_changed) for the change record.
"""

from django.db import transaction

from core.errors import DomainError
from org import access
from org.models import Department, DepartmentAlias, DepartmentGroup, DepartmentGroupAlias, Membership, User
from org.naming import to_simplified
from org.selectors import unit_by_name, unit_name_taken
from org.signals import registry_changed

DEPARTMENT_FIELDS = ("name", "short_name", "kind", "parent", "is_active", "needs_review")


def unit_resolve_or_flag(*, name: str) -> Department | DepartmentGroup:
    """The unit a plan names; one the registry does not know is kept as a department to review."""
    unit = unit_by_name(name)
    if unit is not None:
        return unit
    return Department.objects.create(name=to_simplified(name.strip()), kind=Department.Kind.OTHER, needs_review=True)


REGISTRY_REFUSAL = "只有督查员可以维护单位名录。"


def _must_keep_registry(actor) -> None:
    access.require(access.can_manage(actor), REGISTRY_REFUSAL)


def _free_name(name: str, *, department: Department | None = None, group: DepartmentGroup | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写名称。", "name_missing")
    if unit_name_taken(name, department=department, group=group):
        raise DomainError(f"“{name}”已在单位名录中(作为单位、别名或单位组),请直接选用。", "name_taken")
    return name


def _record(actor, verb: str, obj, before: dict | None = None, after: dict | None = None) -> None:
    registry_changed.send(Department, actor=actor, verb=verb, obj=obj, before=before or {}, after=after or {})


def _department_values(department: Department) -> dict:
    return {
        "name": department.name,
        "short_name": department.short_name,
        "kind": department.kind,
        "parent": department.parent_id,
        "is_active": department.is_active,
        "needs_review": department.needs_review,
    }


@transaction.atomic
def department_create(*, actor, name: str, **fields) -> Department:
    """A new department; fields: any of DEPARTMENT_FIELDS besides the name."""
    _must_keep_registry(actor)
    department = Department.objects.create(name=_free_name(name), **_department_fields(fields))
    _record(actor, "department_create", department, after=_department_values(department))
    return department


@transaction.atomic
def department_update(*, actor, department: Department, **fields) -> Department:
    """Change a department's name, kind, parent or flags; only the fields given change."""
    _must_keep_registry(actor)
    # As stored: a page's form has already written the new values onto the instance it was given.
    before = _department_values(Department.objects.get(pk=department.pk))
    fields = _department_fields(fields)
    if "name" in fields:
        fields["name"] = _free_name(fields["name"], department=department)
    for field, value in fields.items():
        setattr(department, field, value)
    department.save()
    after = _department_values(department)
    changed = [key for key in after if after[key] != before[key]]
    if changed:
        _record(actor, "department_update", department, {k: before[k] for k in changed}, {k: after[k] for k in changed})
    return department


def _department_fields(fields: dict) -> dict:
    unknown = set(fields) - set(DEPARTMENT_FIELDS)
    if unknown:
        raise TypeError(f"not a department field: {', '.join(sorted(unknown))}")
    return dict(fields)


@transaction.atomic
def department_alias_add(*, actor, department: Department, name: str) -> DepartmentAlias:
    _must_keep_registry(actor)
    alias = DepartmentAlias.objects.create(department=department, name=_free_name(name))
    _record(actor, "department_alias_add", alias, after={"department": department.pk, "name": alias.name})
    return alias


@transaction.atomic
def department_alias_delete(*, actor, alias: DepartmentAlias) -> None:
    _must_keep_registry(actor)
    _record(actor, "department_alias_delete", alias, before={"department": alias.department_id, "name": alias.name})
    alias.delete()


@transaction.atomic
def membership_add(
    *, actor, department: Department, role: str, user: User | None = None, username: str = "", email: str = "",
    full_name: str = "",
) -> Membership:  # fmt: skip
    """Put a user into a department as liaison or head. Without a user, a new account is made
    (username, email required) and emailed the link to set its password once the change is saved;
    for an existing user a given email replaces theirs."""
    _must_keep_registry(actor)
    if role not in Membership.Role.values:
        raise DomainError("角色只能是联络员或负责人。", "role_invalid")
    if user is None:
        username = username.strip()
        if not username or not email:
            raise DomainError("新用户请填写用户名和电子邮箱,否则收不到提醒。", "email_missing")
        if User.objects.filter(username=username).exists():
            raise DomainError(f"用户名“{username}”已被使用。", "username_taken")
        user = User.objects.create_user(username, email=email, first_name=full_name)
        # No password yet: the new member sets one from the emailed link.
        transaction.on_commit(lambda: user_invite(user=user))
    elif email and email != user.email:
        user_email_set(actor=actor, user=user, email=email)
    membership, made = Membership.objects.get_or_create(user=user, department=department, role=role)
    if made:
        _record(actor, "membership_add", membership, after=_membership_values(membership))
    return membership


def _membership_values(membership: Membership) -> dict:
    return {"user": membership.user_id, "department": membership.department_id, "role": membership.role}


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    _must_keep_registry(actor)
    _record(actor, "membership_remove", membership, before=_membership_values(membership))
    membership.delete()


@transaction.atomic
def user_email_set(*, actor, user: User, email: str) -> User:
    """The address reminders go to; empty clears it."""
    _must_keep_registry(actor)
    before = user.email
    user.email = email
    user.save(update_fields=["email"])
    if before != email:
        _record(actor, "user_email_set", user, {"email": before}, {"email": email})
    return user


@transaction.atomic
def group_save(*, actor, group: DepartmentGroup | None = None, name: str, members) -> DepartmentGroup:
    """A new department group, or a group's new name and members."""
    _must_keep_registry(actor)
    name = _free_name(name, group=group)
    members = sorted({member.pk for member in members})
    if group is None:
        group = DepartmentGroup.objects.create(name=name)
        before = None
    else:
        stored = DepartmentGroup.objects.get(pk=group.pk)
        before = {"name": stored.name, "members": sorted(group.members.values_list("pk", flat=True))}
        group.name = name
        group.save()
    group.members.set(members)
    after = {"name": group.name, "members": members}
    if before != after:
        _record(actor, "group_update" if before else "group_create", group, before, after)
    return group


@transaction.atomic
def group_alias_add(*, actor, group: DepartmentGroup, name: str) -> DepartmentGroupAlias:
    _must_keep_registry(actor)
    alias = DepartmentGroupAlias.objects.create(group=group, name=_free_name(name))
    _record(actor, "group_alias_add", alias, after={"group": group.pk, "name": alias.name})
    return alias


def user_invite(*, user) -> bool:
    """Email a new user the link to set their password; False when they have no address."""
    from urllib.parse import urlsplit

    from django.conf import settings

    from org.forms import AccountPasswordForm

    if not user.email:
        return False
    site = urlsplit(settings.SITE_URL)
    form = AccountPasswordForm({"email": user.email})
    form.is_valid()
    form.save(domain_override=site.netloc, use_https=site.scheme == "https")
    return True
