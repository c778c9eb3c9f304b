"""The plan pages' routes, put into the `plans` namespace beside the import wizard's by config.urls."""

from django.urls import path

from tasks import plan_pages

urlpatterns = [
    path("", plan_pages.plan_list, name="list"),
    path("<int:pk>/", plan_pages.plan_detail, name="detail"),
]
