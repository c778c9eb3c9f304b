"""Who is asking: the client's address, seen through the proxies this installation says it has.

Behind a reverse proxy every request comes from the proxy's address, so lock-outs and rate limits
would count a whole bureau as one caller; trusting X-Forwarded-For without a proxy lets any caller
choose the address they are counted under. `TRUSTED_PROXY_COUNT` says how many proxies of our own
stand in front (0: none, use the connection's address). Each proxy appends the address it received
the request from, so the client is the entry that many places from the right.
"""

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]
