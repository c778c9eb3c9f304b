from django.urls import include, path

# Each app owns its API routes under /api/v1/.
urlpatterns = [
    path("", include("plans.api.urls")),
    path("", include("tasks.api.urls")),
    path("", include("org.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("supervision.api.urls")),
]
