"""The API's exception handler: every refusal answered as JSON in Chinese."""


def exception_handler(exc, context):
    """DRF's handler, plus the services' refusals (DomainError: 400, 409 for a conflict with the data,
    403 when refused because of who asks)
    and database refusals a view did not foresee: 409 in Chinese rather than a 500."""
    import logging

    from django.db import IntegrityError
    from django.db.models import ProtectedError, RestrictedError
    from rest_framework.response import Response
    from rest_framework.views import exception_handler as drf_handler

    from core.errors import DomainError

    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=403 if exc.forbidden else 409 if exc.conflict else 400)
    if isinstance(exc, ProtectedError | RestrictedError):
        return Response({"detail": "仍有其他记录引用该对象,不能删除。", "code": "protected"}, status=409)
    if isinstance(exc, IntegrityError):
        logging.getLogger(__name__).warning("integrity error answered 409: %s", exc)
        return Response({"detail": "与现有数据冲突,未予保存。请刷新后重试。", "code": "conflict"}, status=409)
    return drf_handler(exc, context)
