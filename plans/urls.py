from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("import/", views.import_start, name="import"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/plans/<int:plan_index>/", views.import_plan_fields, name="import_plan_fields"),
    path(
        "import/<int:pk>/plans/<int:plan_index>/clauses/<int:clause_index>/",
        views.import_clause,
        name="import_clause",
    ),
    path(
        "import/<int:pk>/plans/<int:plan_index>/clauses/<int:clause_index>/boundary/",
        views.import_clause_boundary,
        name="import_clause_boundary",
    ),
    path(
        "import/<int:pk>/plans/<int:plan_index>/clauses/<int:clause_index>/dismiss/",
        views.import_clause_dismiss,
        name="import_clause_dismiss",
    ),
    path("import/<int:pk>/plans/<int:plan_index>/bulk/", views.import_bulk, name="import_bulk"),
    path("import/<int:pk>/plans/<int:plan_index>/accept/", views.import_accept_defaults, name="import_accept"),
    path("import/<int:pk>/units/", views.import_unit, name="import_unit"),
    path("import/<int:pk>/job/", views.import_job_status, name="import_job"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/retry/", views.import_retry, name="import_retry"),
    path("import/<int:pk>/discard/", views.import_discard, name="import_discard"),
]
