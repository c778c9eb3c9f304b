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
    path("import/<int:pk>/units/", views.import_unit, name="import_unit"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
]
