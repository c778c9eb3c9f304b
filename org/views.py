"""The department registry pages (supervisors): departments, aliases, groups, members and their emails."""

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import form_action
from org import services
from org.access import supervisor_required
from org.forms import AliasForm, DepartmentForm, GroupAliasForm, GroupForm, MemberForm, UserEmailForm
from org.models import Department, DepartmentAlias, DepartmentGroup, Membership

# ---------------------------------------------------------------------------
# Registry


@supervisor_required
def registry(request):
    q = (request.GET.get("q") or "").strip()
    departments = (
        Department.objects.annotate(n_assignments=Count("assignments", distinct=True))
        .prefetch_related("aliases", Prefetch("memberships", queryset=Membership.objects.select_related("user")))
        .order_by("-needs_review", "name")
    )
    if q:
        departments = departments.filter(Q(name__icontains=q) | Q(aliases__name__icontains=q)).distinct()
    groups = DepartmentGroup.objects.prefetch_related("members", "aliases").order_by("name")
    return render(
        request,
        "org/registry.html",
        {
            "departments": departments,
            "groups": groups,
            "q": q,
            "new_form": DepartmentForm(prefix="new"),
            "review_count": Department.objects.filter(needs_review=True).count(),
        },
    )


@supervisor_required
@require_POST
def department_create(request):
    form = DepartmentForm(request.POST, prefix="new")
    done, dept = form_action(form, lambda data: services.department_create(actor=request.user, **data), field="name")
    if done:
        messages.success(request, _("已新建单位“%(dept_name)s”。") % {"dept_name": dept.name})
        return redirect("org:registry_department", pk=dept.pk)
    return render(request, "org/department_new.html", {"form": form}, status=400)


def _department_context(dept, **bound):
    return {
        "department": dept,
        "form": bound.get("form") or DepartmentForm(instance=dept, prefix="dept"),
        "alias_form": bound.get("alias_form") or AliasForm(department=dept, prefix="alias"),
        "member_form": bound.get("member_form") or MemberForm(prefix="member"),
        "aliases": dept.aliases.all(),
        "memberships": dept.memberships.select_related("user").order_by("role", "user__username"),
        "groups": dept.groups.all(),
    }


@supervisor_required
def registry_department(request, pk):
    dept = get_object_or_404(Department, pk=pk)
    if request.method == "POST":
        form = DepartmentForm(request.POST, instance=dept, prefix="dept")
        done, _dept = form_action(
            form, lambda data: services.department_update(actor=request.user, department=dept, **data), field="name"
        )
        if done:
            messages.success(request, _("已保存。"))
            return redirect("org:registry_department", pk=dept.pk)
        return render(request, "org/registry_department.html", _department_context(dept, form=form), status=400)
    return render(request, "org/registry_department.html", _department_context(dept))


@supervisor_required
@require_POST
def alias_add(request, pk):
    dept = get_object_or_404(Department, pk=pk)
    form = AliasForm(request.POST, department=dept, prefix="alias")
    done, _alias = form_action(
        form, lambda data: services.department_alias_add(actor=request.user, department=dept, name=data["name"])
    )
    if done:
        messages.success(request, _("已添加别名“%(name)s”。") % {"name": form.cleaned_data["name"]})
        return redirect("org:registry_department", pk=dept.pk)
    return render(request, "org/registry_department.html", _department_context(dept, alias_form=form), status=400)


@supervisor_required
@require_POST
def alias_delete(request, pk):
    alias = get_object_or_404(DepartmentAlias, pk=pk)
    services.department_alias_delete(actor=request.user, alias=alias)
    messages.success(request, _("已删除别名“%(alias_name)s”。") % {"alias_name": alias.name})
    return redirect("org:registry_department", pk=alias.department_id)


@supervisor_required
@require_POST
def member_add(request, pk):
    dept = get_object_or_404(Department, pk=pk)
    form = MemberForm(request.POST, prefix="member")
    done, membership = form_action(
        form, lambda data: services.membership_add(actor=request.user, department=dept, **data)
    )
    if done:
        messages.success(
            request,
            _("已把 %(username)s 设为%(dept_name)s的%(role)s。")
            % {"username": membership.user.username, "dept_name": dept.name, "role": membership.get_role_display()},
        )
        return redirect("org:registry_department", pk=dept.pk)
    return render(request, "org/registry_department.html", _department_context(dept, member_form=form), status=400)


@supervisor_required
@require_POST
def member_remove(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("user", "department"), pk=pk)
    services.membership_remove(actor=request.user, membership=membership)
    messages.success(
        request,
        _("已将 %(username)s 移出%(department_name)s。")
        % {"username": membership.user.username, "department_name": membership.department.name},
    )
    return redirect("org:registry_department", pk=membership.department_id)


@supervisor_required
@require_POST
def member_email(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk)
    form = UserEmailForm(request.POST, prefix=f"email{membership.pk}")
    if form.is_valid():
        services.user_email_set(actor=request.user, user=membership.user, email=form.cleaned_data["email"])
        messages.success(request, _("已更新 %(username)s 的邮箱。") % {"username": membership.user.username})
    else:
        messages.error(request, _("邮箱格式不正确。"))
    return redirect("org:registry_department", pk=membership.department_id)


@supervisor_required
def registry_group(request, pk=None):
    group = get_object_or_404(DepartmentGroup, pk=pk) if pk else None
    form = GroupForm(request.POST or None, instance=group, prefix="group")
    if request.method == "POST" and "group-name" in request.POST:
        done, saved = form_action(
            form, lambda data: services.group_save(actor=request.user, group=group, **data), field="name"
        )
        if done:
            group = saved
            messages.success(request, _("已保存单位组“%(group_name)s”。") % {"group_name": group.name})
            return redirect("org:registry_group", pk=group.pk)
        status = 400
    else:
        status = 200
        form = GroupForm(instance=group, prefix="group")
    alias_form = GroupAliasForm(prefix="galias")
    return render(
        request, "org/registry_group.html", {"group": group, "form": form, "alias_form": alias_form}, status=status
    )


@supervisor_required
@require_POST
def group_alias_add(request, pk):
    group = get_object_or_404(DepartmentGroup, pk=pk)
    alias_form = GroupAliasForm(request.POST, prefix="galias")
    done, _alias = form_action(
        alias_form, lambda data: services.group_alias_add(actor=request.user, group=group, name=data["name"])
    )
    if done:
        messages.success(request, _("已添加别名“%(name)s”。") % {"name": alias_form.cleaned_data["name"]})
        return redirect("org:registry_group", pk=group.pk)
    form = GroupForm(instance=group, prefix="group")
    return render(
        request,
        "org/registry_group.html",
        {"group": group, "form": form, "alias_form": alias_form},
        status=400,
    )
