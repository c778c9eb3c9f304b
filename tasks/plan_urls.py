"""The plan pages' routes, put into the `plans` namespace beside the import wizard's by config.urls."""

from django.urls import path

from tasks import editing_pages, plan_pages

urlpatterns = [
    path("", plan_pages.plan_list, name="list"),
    path("<int:pk>/", plan_pages.plan_detail, name="detail"),
    path("<int:pk>/edit/", editing_pages.plan_edit, name="edit"),
    path("<int:pk>/edit/tasks/", editing_pages.plan_task_add, name="edit_task_add"),
    path("<int:pk>/edit/end/", editing_pages.plan_end, name="edit_end"),
]
