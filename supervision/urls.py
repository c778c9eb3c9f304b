from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("board/", views.board, name="board"),
    path("departments/<int:pk>/", views.department, name="department"),
    path("reports/supervision/", views.report, name="report"),
    path("reports/supervision/assignments/", views.report_assignments, name="report_assignments"),
]
