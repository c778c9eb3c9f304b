from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.log, name="log"),
    path("<int:pk>/resend/", views.resend, name="resend"),
    path("chase/<int:assignment_pk>/", views.chase, name="chase"),
    path("tasks/<int:task_pk>/", views.task_log, name="task_log"),
]
