from django.urls import path

from org import views

app_name = "org"

urlpatterns = [
    path("", views.registry, name="registry"),
    path("departments/new/", views.department_create, name="department_create"),
    path("departments/<int:pk>/", views.registry_department, name="registry_department"),
    path("departments/<int:pk>/aliases/", views.alias_add, name="alias_add"),
    path("aliases/<int:pk>/delete/", views.alias_delete, name="alias_delete"),
    path("departments/<int:pk>/members/", views.member_add, name="member_add"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("members/<int:pk>/email/", views.member_email, name="member_email"),
    path("groups/new/", views.registry_group, name="group_create"),
    path("groups/<int:pk>/", views.registry_group, name="registry_group"),
    path("groups/<int:pk>/aliases/", views.group_alias_add, name="group_alias_add"),
]
