"""The filters of the board and the supervision report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import DayField
from org.forms import PageForm
from org.models import Department
from plans.models import Plan


def _plan_choices():
    return [("", "全部方案")] + [(p.pk, p.title) for p in Plan.objects.exclude(status=Plan.Status.DRAFT)]


class BoardFilterForm(PageForm):
    plan = forms.TypedChoiceField(label=_("方案"), required=False, coerce=int, empty_value=None)
    as_of = DayField(label=_("统计日期"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = _plan_choices()


class ReportFilterForm(BoardFilterForm):
    since = DayField(
        label=_("统计起始日"),
        required=False,
        help_text=_("延期、提醒、催办次数从这天算起;留空则从头算"),
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("单位"),
        required=False,
        queryset=Department.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则包括全部单位"),
    )
