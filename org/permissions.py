"""DRF permission classes built on org.access."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from org import access


class IsSupervisor(BasePermission):
    message = "只有督查员可以执行此操作。"

    def has_permission(self, request, view):
        return access.is_supervisor(request.user)


class ReadOnlyUnlessSupervisor(BasePermission):
    message = "您没有修改权限。"

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or access.is_supervisor(request.user)
