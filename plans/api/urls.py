from rest_framework.routers import SimpleRouter

from plans.api.views import PlanImportViewSet

router = SimpleRouter()
router.register("imports", PlanImportViewSet, basename="plan-import")

urlpatterns = router.urls
