"""Forms of the task pages: report, review, extension, decision; the board and report filters."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.fields import DayField
from org.forms import PageForm
from tasks.evidence import MAX_FILES_PER_REPORT


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
