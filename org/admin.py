from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from org.models import Department, DepartmentAlias, DepartmentGroup, DepartmentGroupAlias, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("督办角色", {"fields": ("role",)}),)
    list_display = ["username", "last_name", "first_name", "email", "role", "is_active"]
    list_filter = ["role", "is_active", "memberships__department"]
    inlines = [MembershipInline]


class AliasInline(admin.TabularInline):
    model = DepartmentAlias
    extra = 1


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "is_active", "needs_review"]
    list_filter = ["kind", "is_active", "needs_review"]
    search_fields = ["name", "short_name", "aliases__name"]
    autocomplete_fields = ["parent"]
    inlines = [AliasInline]


class GroupAliasInline(admin.TabularInline):
    model = DepartmentGroupAlias
    extra = 1


@admin.register(DepartmentGroup)
class DepartmentGroupAdmin(admin.ModelAdmin):
    inlines = [GroupAliasInline]
    list_display = ["name"]
    search_fields = ["name", "members__name"]
    filter_horizontal = ["members"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "role"]
    list_filter = ["role", "department"]
    search_fields = ["user__username", "department__name"]
    autocomplete_fields = ["user", "department"]
