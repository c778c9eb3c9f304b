from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from org.naming import normalize_name
from org.querysets import DepartmentQuerySet


class User(AbstractUser):
    """A person who signs in. Department roles come from Membership."""

    class Role(models.TextChoices):
        MEMBER = "member", "部门人员"
        SUPERVISOR = "supervisor", "督查员"
        VIEWER = "viewer", "只读用户"

    role = models.CharField("系统角色", max_length=16, choices=Role.choices, default=Role.MEMBER)
    email = models.EmailField("电子邮箱", blank=True)
    departments = models.ManyToManyField(
        "org.Department", through="org.Membership", related_name="users", verbose_name="所属单位"
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    # For templates; the rules are org.access's.
    @property
    def is_supervisor(self) -> bool:
        from org import access

        return access.is_supervisor(self)

    @property
    def reads_everything(self) -> bool:
        from org import access

        return access.reads_everything(self)


class Department(models.Model):
    class Kind(models.TextChoices):
        BUREAU = "bureau", "职能部门"
        GOVERNMENT = "government", "政府"
        SCHOOL = "school", "学校"
        OFFICE = "office", "办公室"
        OTHER = "other", "其他"

    name = models.CharField("名称", max_length=100)
    normalized_name = models.CharField("规范名称", max_length=100, unique=True, editable=False)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.BUREAU)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="上级单位"
    )
    is_active = models.BooleanField("启用", default=True)
    needs_review = models.BooleanField(
        "待核实", default=False, help_text="导入方案时遇到的、名录中没有的单位;请核实后合并或确认"
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized_name = normalize_name(self.name)
        super().save(*args, **kwargs)


class DepartmentAlias(models.Model):
    """Another name of a department: 简称, traditional form, name with city prefix."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="aliases", verbose_name="单位")
    name = models.CharField("别名", max_length=100)
    normalized_name = models.CharField("规范别名", max_length=100, unique=True, editable=False)

    class Meta:
        verbose_name = "单位别名"
        verbose_name_plural = "单位别名"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized_name = normalize_name(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        key = normalize_name(self.name)
        if Department.objects.filter(normalized_name=key).exclude(pk=self.department_id).exists():
            raise ValidationError({"name": "该别名已是另一个单位的正式名称。"})


class DepartmentGroup(models.Model):
    """A collective name (各县区政府, 三县政府) that stands for several departments."""

    name = models.CharField("名称", max_length=100)
    normalized_name = models.CharField("规范名称", max_length=100, unique=True, editable=False)
    members = models.ManyToManyField(Department, related_name="groups", blank=True, verbose_name="成员单位")

    class Meta:
        verbose_name = "单位组"
        verbose_name_plural = "单位组"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized_name = normalize_name(self.name)
        super().save(*args, **kwargs)


class DepartmentGroupAlias(models.Model):
    """Another way plans write a group: 各县区, 各县(区)政府."""

    group = models.ForeignKey(DepartmentGroup, on_delete=models.CASCADE, related_name="aliases", verbose_name="单位组")
    name = models.CharField("别名", max_length=100)
    normalized_name = models.CharField("规范别名", max_length=100, unique=True, editable=False)

    class Meta:
        verbose_name = "单位组别名"
        verbose_name_plural = "单位组别名"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized_name = normalize_name(self.name)
        super().save(*args, **kwargs)


class Membership(models.Model):
    """A user's role in one department."""

    class Role(models.TextChoices):
        LIAISON = "liaison", "联络员"
        HEAD = "head", "负责人"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name="用户")
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="memberships", verbose_name="单位"
    )
    role = models.CharField("角色", max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = "单位成员"
        verbose_name_plural = "单位成员"
        constraints = [
            models.UniqueConstraint(fields=["user", "department", "role"], name="membership_unique_role"),
            models.CheckConstraint(condition=Q(role__in=["liaison", "head"]), name="membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} · {self.department} · {self.get_role_display()}"
