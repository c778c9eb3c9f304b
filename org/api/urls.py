from rest_framework.routers import SimpleRouter

from org.api.views import DepartmentGroupViewSet, DepartmentViewSet

router = SimpleRouter()
router.register("departments", DepartmentViewSet, basename="department")
router.register("department-groups", DepartmentGroupViewSet, basename="department-group")

urlpatterns = router.urls
