"""Actions on the department registry."""

from org.models import Department, DepartmentGroup
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
