from django.urls import path
from rest_framework.routers import SimpleRouter

from tasks.api import views
from tasks.api.history import TaskHistoryView

router = SimpleRouter()
router.register("plans", views.PlanViewSet, basename="plan")
router.register("clauses", views.ClauseViewSet, basename="clause")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register("phases", views.PhaseViewSet, basename="phase")
router.register("progress-reports", views.ProgressReportViewSet, basename="progress-report")
router.register("evidence", views.EvidenceViewSet, basename="evidence")
router.register("extension-requests", views.ExtensionRequestViewSet, basename="extension-request")
router.register("activity", views.ActivityLogViewSet, basename="activity")
router.register("status/history", views.SnapshotViewSet, basename="status-history")

urlpatterns = [
    path("tasks/<int:pk>/history/", TaskHistoryView.as_view(), name="task-history"),
    path("status/departments/", views.DepartmentStatusView.as_view(), name="status-departments"),
    *router.urls,
]
