"""Actions on the department registry; those a supervisor takes refuse anyone else (org.access)."""

from django.db import transaction

from org import access
from org.models import Department, DepartmentAlias, DepartmentGroup, DepartmentGroupAlias, Membership, User
from org.naming import to_simplified
from org.selectors import unit_by_name


def unit_resolve_or_flag(*, name: str) -> Department | DepartmentGroup:
    """The unit a plan names; one the registry does not know is kept as a department to review."""
    unit = unit_by_name(name)
    if unit is not None:
        return unit
    return Department.objects.create(name=to_simplified(name.strip()), kind=Department.Kind.OTHER, needs_review=True)


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


# ---------------------------------------------------------------------------
# The registry, kept by supervisors

REGISTRY_REFUSAL = "只有督查员可以维护单位名录。"


def _require_keeper(by) -> None:
    access.require(access.can_manage(by), REGISTRY_REFUSAL)


@transaction.atomic
def department_create(*, by, **fields) -> Department:
    """A new department; fields are the model's (name, short_name, kind, parent, is_active, needs_review)."""
    _require_keeper(by)
    return Department.objects.create(**fields)


@transaction.atomic
def department_update(*, by, department: Department, **fields) -> Department:
    _require_keeper(by)
    for name, value in fields.items():
        setattr(department, name, value)
    department.save()
    return department


@transaction.atomic
def department_alias_add(*, by, department: Department, name: str) -> DepartmentAlias:
    _require_keeper(by)
    return DepartmentAlias.objects.create(department=department, name=name)


@transaction.atomic
def department_alias_delete(*, by, alias: DepartmentAlias) -> None:
    _require_keeper(by)
    alias.delete()


@transaction.atomic
def membership_add(*, by, department: Department, user, username: str, full_name: str, email: str, role: str):
    """Make a user the department's liaison or head; a new user gets an account and, after commit,
    the emailed link to set a password. (user, membership)."""
    _require_keeper(by)
    if user is None:
        user = User.objects.create_user(username.strip(), email=email, first_name=full_name)
        # No password yet: the new member sets one from the emailed link.
        transaction.on_commit(lambda: user_invite(user=user))
    elif email:
        user.email = email
        user.save(update_fields=["email"])
    membership, _created = Membership.objects.get_or_create(user=user, department=department, role=role)
    return user, membership


@transaction.atomic
def membership_remove(*, by, membership: Membership) -> None:
    _require_keeper(by)
    membership.delete()


@transaction.atomic
def user_set_email(*, by, user, email: str):
    _require_keeper(by)
    user.email = email
    user.save(update_fields=["email"])
    return user


@transaction.atomic
def group_save(*, by, group: DepartmentGroup | None = None, name: str, members) -> DepartmentGroup:
    """Create a group, or rename it; its members become exactly those given."""
    _require_keeper(by)
    if group is None:
        group = DepartmentGroup(name=name)
    group.name = name
    group.save()
    group.members.set(members)
    return group


@transaction.atomic
def group_alias_add(*, by, group: DepartmentGroup, name: str) -> DepartmentGroupAlias:
    _require_keeper(by)
    return DepartmentGroupAlias.objects.create(group=group, name=name)
