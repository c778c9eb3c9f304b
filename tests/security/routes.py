"""Every route of the service, as the resolver knows it: the authorization matrix must name each one."""

from django.urls import URLPattern, URLResolver, get_resolver

# Django's own sign-in and password pages, and the admin (its own staff check): not ours to matrix.
FOREIGN_NAMESPACES = {"admin"}
FOREIGN_PREFIXES = ("accounts/",)


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in FOREIGN_NAMESPACES:
                continue
            inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, prefix + str(pattern.pattern)


def all_routes() -> dict[str, str]:
    """Route name → pattern, for every route outside FOREIGN_*."""
    return {name: route for name, route in _walk(get_resolver().url_patterns) if not route.startswith(FOREIGN_PREFIXES)}


def api_routes() -> set[str]:
    return {name for name, route in all_routes().items() if route.startswith("api/")}


def page_routes() -> set[str]:
    return {name for name, route in all_routes().items() if not route.startswith("api/")}
