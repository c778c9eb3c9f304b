from django.urls import path

from supervision.api import views

urlpatterns = [
    path("reports/supervision/", views.SupervisionReportView.as_view(), name="report-supervision"),
    path(
        "reports/supervision/assignments/",
        views.SupervisionReportAssignmentsView.as_view(),
        name="report-supervision-assignments",
    ),
]
