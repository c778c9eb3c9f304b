"""DRF permission classes: the API's front door to the rules of org.access (none is defined here).

Role checks on a single object run after the object is found in the user's
visible queryset, so an object outside the user's departments answers 404
and a visible object the user may not change answers 403.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from org import access


class IsSupervisor(BasePermission):
    message = "只有督查员可以执行此操作。"

    def has_permission(self, request, view):
        return access.can_manage(request.user)


class ReadOnlyUnlessSupervisor(BasePermission):
    message = "您没有修改权限。"

    def has_permission(self, request, view):
        if not access.is_signed_in(request.user):
            return False
        return request.method in SAFE_METHODS or access.can_manage(request.user)


class SupervisorWrites(BasePermission):
    """Everyone signed in reads what they can see; supervisors change it."""

    message = "只有督查员可以执行此操作。"

    def has_permission(self, request, view):
        if not access.is_signed_in(request.user):
            return False
        if request.method in SAFE_METHODS or getattr(view, "detail", False):
            return True
        return access.can_manage(request.user)

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or access.can_manage(request.user)


class DepartmentWrites(BasePermission):
    """Creating reports and requests: supervisors, or people who act for some department.

    Which department is checked against the assignment named in the request (see the views).
    """

    message = "只有本单位人员或督查员可以提交。"

    def has_permission(self, request, view):
        if not access.is_signed_in(request.user):
            return False
        if request.method in SAFE_METHODS or getattr(view, "detail", False):
            return True
        return access.can_submit_for_some_department(request.user)


class ReadsEverything(BasePermission):
    """Cross-department views (the supervision report, the change record): supervisors and viewers."""

    message = "只有督查员和只读用户可以查看。"

    def has_permission(self, request, view):
        return access.reads_everything(request.user)
