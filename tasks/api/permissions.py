"""Who may do what through the API, built on org.access.

Role checks on a single object run after the object is found in the user's
visible queryset, so an object outside the user's departments answers 404
and a visible object the user may not change answers 403.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from org import access


def _signed_in(request) -> bool:
    return bool(request.user and request.user.is_authenticated)


class SupervisorWrites(BasePermission):
    """Everyone signed in reads what they can see; supervisors change it."""

    message = "只有督查员可以执行此操作。"

    def has_permission(self, request, view):
        if not _signed_in(request):
            return False
        if request.method in SAFE_METHODS or getattr(view, "detail", False):
            return True
        return access.is_supervisor(request.user)

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or access.is_supervisor(request.user)


class DepartmentWrites(BasePermission):
    """Creating reports and requests: supervisors, or people who act for some department.

    Which department is checked against the assignment named in the request (see the views).
    """

    message = "只有本单位人员或督查员可以提交。"

    def has_permission(self, request, view):
        if not _signed_in(request):
            return False
        if request.method in SAFE_METHODS or getattr(view, "detail", False):
            return True
        return access.is_supervisor(request.user) or bool(access.department_ids(request.user))


class ReadsEverything(BasePermission):
    """Cross-department views (the supervision report, the change record): supervisors and viewers."""

    message = "只有督查员和只读用户可以查看。"

    def has_permission(self, request, view):
        return _signed_in(request) and access.reads_everything(request.user)
