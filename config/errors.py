"""Error pages in Chinese; API paths get JSON."""

from django.http import JsonResponse
from django.shortcuts import render

from config.uploads import FileTooLarge

BAD_REQUEST = "请求无效,请检查后重试。"


def bad_request(request, exception=None):
    if isinstance(exception, FileTooLarge):
        message, status, code = str(exception), 413, "file_too_large"
    else:
        message, status, code = BAD_REQUEST, 400, "bad_request"
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": code}, status=status)
    return render(request, "error.html", {"title": "无法处理该请求", "message": message}, status=status)
