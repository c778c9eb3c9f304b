from django.urls import path

from tasks import editing_pages, views

app_name = "tasks"

urlpatterns = [
    path("tasks/<int:pk>/", views.task_detail, name="detail"),
    path("tasks/assignments/<int:pk>/report/", views.report_submit, name="report_submit"),
    path("tasks/assignments/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("tasks/assignments/<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("tasks/reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("tasks/extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("tasks/evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("tasks/<int:pk>/edit/", editing_pages.task_edit, name="edit"),
    path("tasks/<int:pk>/edit/details/", editing_pages.task_details, name="edit_details"),
    path("tasks/<int:pk>/edit/ongoing/", editing_pages.task_ongoing, name="edit_ongoing"),
    path("tasks/<int:pk>/edit/remove/", editing_pages.task_remove, name="edit_remove"),
    path("tasks/<int:pk>/edit/units/", editing_pages.unit_add, name="unit_add"),
    path("tasks/<int:pk>/edit/phases/", editing_pages.phase_add, name="phase_add"),
    path("tasks/assignments/<int:pk>/role/", editing_pages.unit_role, name="unit_role"),
    path("tasks/assignments/<int:pk>/remove/", editing_pages.unit_remove, name="unit_remove"),
    path("tasks/phases/<int:pk>/edit/", editing_pages.phase_edit, name="phase_edit"),
    path("tasks/phases/<int:pk>/remove/", editing_pages.phase_remove, name="phase_remove"),
]
