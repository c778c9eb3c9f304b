"""Sign-in lock-outs by account and by address.

django-axes counts failures per user name and address: five wrong passwords for one account from
one address lock that pair for the cool-off. That alone lets one address try a few passwords on
every account (password spraying), so the failures from one address are also counted over all
the accounts it tried: at `SIGNIN_ADDRESS_FAILURE_LIMIT` the address is locked for the same
cool-off, for every account. The address limit is higher than the account limit because a whole
bureau may reach us through one address.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def address_failures(request, address: str) -> int:
    """Wrong passwords from this address within the cool-off, over every account it tried."""
    since = get_cool_off_threshold(request)
    failures = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return failures or 0


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler, with an address over its own limit counting as locked for every account."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        if address and address_failures(request, address) >= settings.SIGNIN_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures
