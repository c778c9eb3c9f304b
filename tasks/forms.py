"""Forms of the task pages: report, review, extension, decision; editing a confirmed plan."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.fields import DayField
from org.forms import PageForm
from org.models import Department
from tasks.evidence import MAX_FILES_PER_REPORT
from tasks.models import Assignment, DueKind, Phase, ReportingCadence


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ReportForm(PageForm):
    percent = forms.IntegerField(
        label=_("完成进度(%)"), min_value=0, max_value=100, help_text=_("报送 100% 且审核通过即视为完成")
    )
    text = forms.CharField(label=_("进展情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(
        label=_("佐证材料"),
        required=False,
        help_text=f"PDF、Word、Excel、JPG、PNG,最多 {MAX_FILES_PER_REPORT} 个文件",
        widget=MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}),
    )

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_FILES_PER_REPORT:
            raise forms.ValidationError(f"每份报告最多上传 {MAX_FILES_PER_REPORT} 个文件。")
        return files


class ReviewForm(PageForm):
    decision = forms.ChoiceField(
        label=_("审核结果"), choices=[("approve", "通过"), ("return", "退回修改")], widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("退回时必填"),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("退回报告时请填写意见,说明需要修改什么。"))
        return data


class ExtensionForm(PageForm):
    requested_due_date = DayField(label=_("申请延至"))
    reason = forms.CharField(label=_("延期理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, current_due=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_due = current_due

    def clean_requested_due_date(self):
        day = self.cleaned_data["requested_due_date"]
        if day <= timezone.localdate():
            raise forms.ValidationError(_("申请的时限须晚于今天。"))
        if self.current_due and day <= self.current_due:
            raise forms.ValidationError(f"申请的时限须晚于当前时限 {date_format(self.current_due)}。")
        return day


class DecideForm(PageForm):
    decision = forms.ChoiceField(
        label=_("审批结果"), choices=[("approve", "批准"), ("reject", "不批准")], widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("审批意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不批准时必填"),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("不批准时请填写意见。"))
        return data


# ---------------------------------------------------------------------------
# Editing a confirmed plan (supervisors; the rules are in tasks.editing)


class TaskEditForm(PageForm):
    title = forms.CharField(label=_("任务名称"), max_length=300)
    description = forms.CharField(
        label=_("任务内容"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_kind = forms.ChoiceField(
        label=_("时限类型"),
        choices=DueKind.choices,
        help_text=_("长期、按周期报送的任务没有完成时限,显示为无时限(灰灯)"),
    )
    start_date = DayField(label=_("开始日期"), required=False)
    due_date = DayField(label=_("完成时限"), required=False)
    reporting_cadence = forms.ChoiceField(
        label=_("报告频次"), choices=ReportingCadence.choices, help_text=_("按周期报送的任务必须选择")
    )


class TaskCreateForm(TaskEditForm):
    lead = forms.ModelChoiceField(label=_("牵头单位"), queryset=Department.objects.order_by("name"))
    co = forms.ModelMultipleChoiceField(
        label=_("配合单位"),
        queryset=Department.objects.order_by("name"),
        required=False,
        help_text=_("可多选(按住 Ctrl 或在手机上逐个点选)"),
    )


class UnitAddForm(PageForm):
    department = forms.ModelChoiceField(label=_("单位"), queryset=Department.objects.order_by("name"))
    role = forms.ChoiceField(label=_("角色"), choices=Assignment.Role.choices, initial=Assignment.Role.CO)


class PhaseForm(PageForm):
    kind = forms.ChoiceField(label=_("阶段类型"), choices=Phase.Kind.choices)
    name = forms.CharField(label=_("阶段名称"), max_length=100, required=False)
    start_date = DayField(label=_("开始日期"), required=False)
    end_date = DayField(label=_("结束日期"), required=False)


class PlanEndForm(PageForm):
    end = forms.ChoiceField(
        label=_("处理方式"),
        choices=[("close", "办结:任务已完成"), ("stop", "终止:不再执行")],
        widget=forms.RadioSelect,
        initial="close",
    )
    reason = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("终止时必填;办结或终止后不再发送提醒,方案不能再修改"),
    )
