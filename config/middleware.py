"""Answer 503 in plain Chinese when the database is out of reach, and recover on the next request."""

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import JsonResponse
from django.template.response import SimpleTemplateResponse

log = logging.getLogger(__name__)

MESSAGE = "数据库暂时无法连接,请稍后重试。您刚才的操作没有保存。"


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        log.error("database unavailable during %s %s: %s", request.method, request.path, exception)
        # Drop broken connections now, so the next request reconnects instead of failing again.
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
        if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
            response = JsonResponse({"detail": MESSAGE, "code": "database_unavailable"}, status=503)
        else:
            response = SimpleTemplateResponse("503.html", {"message": MESSAGE}, status=503)
        response["Retry-After"] = "30"
        return response


API_ERRORS = {
    404: ("没有找到该地址或对象。", "not_found"),
    405: ("不支持该请求方法。", "method_not_allowed"),
    500: ("服务器内部错误,已记录。请稍后重试。", "server_error"),
}


class ApiJsonErrorsMiddleware:
    """Under /api/, errors answered outside DRF (no matching route, a crash) are JSON in Chinese, not HTML pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code in API_ERRORS
            and response.get("Content-Type", "").startswith("text/html")
        ):
            message, code = API_ERRORS[response.status_code]
            json_response = JsonResponse({"detail": message, "code": code}, status=response.status_code)
            # Keep what the inner middleware set (CSP, X-Frame-Options, Allow, Retry-After …): only the body changes.
            for header, value in response.items():
                if header.lower() not in ("content-type", "content-length"):
                    json_response[header] = value
            return json_response
        return response
