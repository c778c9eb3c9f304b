"""Forms of the department registry pages, and the mixin every page form uses for accessible errors."""

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from org.models import Department, DepartmentAlias, DepartmentGroup, Membership, User
from org.naming import normalize_name
from org.selectors import unit_name_taken


class AccessibleErrors:
    """Marks fields with errors (aria-invalid) and ties them to their messages (aria-describedby)."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                ids = " ".join(f"{self[name].auto_id}_error_{i}" for i in range(1, len(self.errors[name]) + 1))
                attrs["aria-describedby"] = ids


class PageForm(AccessibleErrors, forms.Form):
    pass


class PageModelForm(AccessibleErrors, forms.ModelForm):
    pass


def _name_is_free(name: str, *, department: Department | None = None, group: DepartmentGroup | None = None):
    """A name may stand for one unit only: a department, an alias, a group or a group alias."""
    if not normalize_name(name):
        raise ValidationError(_("请填写名称。"))
    if unit_name_taken(name, department=department, group=group):
        raise ValidationError(f"“{name}”已在单位名录中(作为单位、别名或单位组),请直接选用。")
    return name.strip()


class DepartmentForm(PageModelForm):
    class Meta:
        model = Department
        fields = ["name", "short_name", "kind", "parent", "is_active", "needs_review"]

    def clean_name(self):
        return _name_is_free(self.cleaned_data["name"], department=self.instance if self.instance.pk else None)


class AliasForm(PageForm):
    name = forms.CharField(label=_("别名"), max_length=100, help_text=_("简称、繁体写法、带市名的全称等"))

    def __init__(self, *args, department: Department, **kwargs):
        super().__init__(*args, **kwargs)
        self.department = department

    def clean_name(self):
        return _name_is_free(self.cleaned_data["name"])


class GroupForm(PageModelForm):
    class Meta:
        model = DepartmentGroup
        fields = ["name", "members"]
        widgets = {"members": forms.CheckboxSelectMultiple}

    def clean_name(self):
        return _name_is_free(self.cleaned_data["name"], group=self.instance if self.instance.pk else None)


class GroupAliasForm(PageForm):
    name = forms.CharField(label=_("别名"), max_length=100, help_text=_("如 各县区、各县(区)政府"))

    def clean_name(self):
        return _name_is_free(self.cleaned_data["name"])


class MemberForm(PageForm):
    """Put a user into a department as liaison or head, creating the account when it is new."""

    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=150, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False, help_text=_("提醒和催办发往此邮箱"))
    role = forms.ChoiceField(label=_("角色"), choices=Membership.Role.choices)

    def clean(self):
        data = super().clean()
        username = data.get("username", "").strip()
        user = User.objects.filter(username=username).first()
        if user is None and not data.get("email"):
            self.add_error("email", _("新用户请填写电子邮箱,否则收不到提醒。"))
        data["user"] = user
        return data


class UserEmailForm(PageForm):
    email = forms.EmailField(label=_("电子邮箱"), required=False)


class UnitQuickForm(PageForm):
    """Import wizard: a name the registry does not know becomes a new department, or an alias of one."""

    ACTIONS = [("department", "新建单位"), ("alias", "作为已有单位的别名")]

    name = forms.CharField(label=_("名称"), max_length=100)
    action = forms.ChoiceField(label=_("处理方式"), choices=ACTIONS, widget=forms.RadioSelect, initial="department")
    department = forms.ModelChoiceField(
        label=_("已有单位"), queryset=Department.objects.filter(is_active=True), required=False
    )
    kind = forms.ChoiceField(label=_("类型"), choices=Department.Kind.choices, initial=Department.Kind.BUREAU)

    def clean_name(self):
        return _name_is_free(self.cleaned_data["name"])

    def clean(self):
        data = super().clean()
        if data.get("action") == "alias" and not data.get("department"):
            self.add_error("department", _("请选择这个名称所指的已有单位。"))
        return data

    def save(self):
        data = self.cleaned_data
        if data["action"] == "alias":
            return DepartmentAlias.objects.create(department=data["department"], name=data["name"])
        return Department.objects.create(name=data["name"], kind=data["kind"])


class AccountPasswordForm(PasswordResetForm):
    """Sets or resets a password by email, also for members invited without one yet."""

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True).exclude(email="")
