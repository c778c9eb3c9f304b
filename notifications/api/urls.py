from django.urls import path
from rest_framework.routers import SimpleRouter

from notifications.api.views import AssignmentChaseView, NotificationViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("assignments/<int:pk>/chase/", AssignmentChaseView.as_view(), name="assignment-chase"),
    *router.urls,
]
