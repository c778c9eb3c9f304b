from django.urls import include, path

urlpatterns = [
    path("", include("plans.api.urls")),
]
