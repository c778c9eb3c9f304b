from django.urls import path

from tasks import views

app_name = "tasks"

urlpatterns = [
    path("tasks/<int:pk>/", views.task_detail, name="detail"),
    path("tasks/assignments/<int:pk>/report/", views.report_submit, name="report_submit"),
    path("tasks/assignments/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("tasks/assignments/<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("tasks/reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("tasks/extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("tasks/evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
