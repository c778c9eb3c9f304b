"""API rate limits, counted per client address (core/client.py) for callers without an account.

DRF checks permissions before throttles, so a caller with no credentials is refused (403) before
any throttle would count it, and could knock as often as it liked. Anonymous callers are therefore
counted while authenticating: by the last authenticator, which only callers with no credentials
reach, and when a token is refused.
"""

from rest_framework.authentication import BaseAuthentication, TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle

from core.client import client_address


class AnonymousThrottle(SimpleRateThrottle):
    # Rates under "anon". The key never asks request.user: it is called while the user is being found.
    scope = "anon"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}


class UserThrottle(UserRateThrottle):
    def get_ident(self, request):
        return client_address(request)


def throttle_anonymous(request) -> None:
    throttle = AnonymousThrottle()
    if not throttle.allow_request(request, None):
        raise Throttled(wait=throttle.wait())


class ThrottledTokenAuthentication(TokenAuthentication):
    """Token sign-in whose refusals count against the caller's address like anonymous calls."""

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            throttle_anonymous(request)
            raise


class AnonymousCallsThrottled(BaseAuthentication):
    """The last authenticator: it authenticates nobody, it counts the callers who came without credentials."""

    def authenticate(self, request):
        throttle_anonymous(request)
        return None
