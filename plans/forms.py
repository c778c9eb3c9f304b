"""Forms of the plan pages and the import wizard. They only shape input: plans.services does the work."""

import re

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.fields import DayField
from org.forms import PageForm
from plans.models import Plan
from plans.readiness import DUE_KINDS, REPORTING_CADENCES

PHASE_KINDS = [("preparation", "筹备"), ("operation", "运行"), ("evaluation", "评估")]
_NAME_SPLIT = re.compile(r"[、,,;;\n]+")


def split_names(raw: str) -> list[str]:
    """Unit names as typed: separated by 、 , ; or new lines."""
    return [n.strip() for n in _NAME_SPLIT.split(raw or "") if n.strip()]


class PlanFilterForm(PageForm):
    q = forms.CharField(
        label=_("搜索"), required=False, widget=forms.TextInput(attrs={"type": "search", "placeholder": "标题或文号"})
    )
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", "全部")] + list(Plan.Status.choices))
    light = forms.ChoiceField(
        label=_("红黄绿灯"),
        required=False,
        choices=[("", "全部"), ("red", "红灯"), ("yellow", "黄灯"), ("green", "绿灯"), ("grey", "无时限")],
    )


class ImportForm(PageForm):
    file = forms.FileField(
        label=_("上传文件"),
        required=False,
        help_text=f"支持 .txt、.docx、.pdf,不超过 {filesizeformat(settings.PLAN_IMPORT_MAX_BYTES)}",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx,.pdf,text/plain"}),
    )
    text = forms.CharField(
        label=_("或粘贴方案全文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": "把通知和方案正文整段粘贴到这里"}),
    )

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if upload and text:
            raise forms.ValidationError(_("请只选择一种方式:上传文件,或粘贴全文。"))
        if not upload and not text:
            raise forms.ValidationError(_("请上传方案文件,或把方案全文粘贴到文本框里。"))
        if upload and upload.size > settings.PLAN_IMPORT_MAX_BYTES:
            self.add_error("file", f"文件超过 {filesizeformat(settings.PLAN_IMPORT_MAX_BYTES)} 的上限。")
        data["text"] = text
        return data


class PlanFieldsForm(PageForm):
    """The plan's own fields in an import preview."""

    title = forms.CharField(label=_("标题"), max_length=300)
    doc_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    issuer = forms.CharField(label=_("发文机关"), max_length=200, required=False)
    issued_on = DayField(label=_("发文日期"), required=False)

    def corrections(self, plan_index: int) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "plan": plan_index,
                "title": data["title"],
                "doc_number": data["doc_number"],
                "issuer": data["issuer"],
                "issued_on": data["issued_on"].isoformat() if data["issued_on"] else None,
            }
        ]


class ClauseForm(PageForm):
    """One clause of an import preview: units, dates, phases, and where it begins and ends (its text)."""

    heading = forms.CharField(label=_("标题"), max_length=300, required=False)
    text = forms.CharField(
        label=_("条款内容"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    is_task = forms.BooleanField(label=_("作为任务跟踪"), required=False)
    lead = forms.CharField(
        label=_("牵头单位"),
        required=False,
        help_text=_("多个单位用顿号“、”分隔;可从名录中选择"),
        widget=forms.TextInput(attrs={"list": "registry-units", "autocomplete": "off"}),
    )
    co = forms.CharField(
        label=_("配合单位"),
        required=False,
        widget=forms.TextInput(attrs={"list": "registry-units", "autocomplete": "off"}),
    )
    due = DayField(label=_("完成时限"), required=False)
    due_text = forms.CharField(label=_("时限原文"), max_length=200, required=False)

    def __init__(self, *args, phases: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.phase_count = phases + 1  # one empty row to add a phase
        for i in range(self.phase_count):
            self.fields[f"phase_{i}_kind"] = forms.ChoiceField(
                label=_("阶段类型"),
                required=False,
                choices=[("", "(删除此阶段)" if i < phases else "(不添加)")] + PHASE_KINDS,
            )
            self.fields[f"phase_{i}_name"] = forms.CharField(label=_("阶段名称"), max_length=100, required=False)
            self.fields[f"phase_{i}_start"] = DayField(label=_("开始"), required=False)
            self.fields[f"phase_{i}_end"] = DayField(label=_("结束"), required=False)

    @classmethod
    def initial_for(cls, clause: dict) -> dict:
        initial = {
            "heading": clause.get("heading", ""),
            "text": clause.get("text", ""),
            "is_task": bool(clause.get("is_task")),
            "lead": "、".join(clause.get("lead") or []),
            "co": "、".join(clause.get("co") or []),
            "due": clause.get("due"),
            "due_text": clause.get("due_text", ""),
        }
        for i, phase in enumerate(clause.get("phases") or []):
            initial.update(
                {
                    f"phase_{i}_kind": phase.get("kind"),
                    f"phase_{i}_name": phase.get("name", ""),
                    f"phase_{i}_start": phase.get("start"),
                    f"phase_{i}_end": phase.get("end"),
                }
            )
        return initial

    def phase_rows(self):
        return [
            [self[f"phase_{i}_{part}"] for part in ("kind", "name", "start", "end")] for i in range(self.phase_count)
        ]

    def clean(self):
        data = super().clean()
        for i in range(self.phase_count):
            start, end = data.get(f"phase_{i}_start"), data.get(f"phase_{i}_end")
            if data.get(f"phase_{i}_kind") and start and end and start > end:
                self.add_error(f"phase_{i}_end", _("结束日期不能早于开始日期。"))
        if data.get("is_task") and not split_names(data.get("lead", "")):
            self.add_error("lead", _("作为任务跟踪的条款须有牵头单位。"))
        return data

    def corrections(self, plan_index: int, clause_index: int, original: dict) -> list[dict]:
        data = self.cleaned_data
        phases = []
        for i in range(self.phase_count):
            if not data.get(f"phase_{i}_kind"):
                continue
            old = (original.get("phases") or [])[i] if i < len(original.get("phases") or []) else {}
            start, end = data.get(f"phase_{i}_start"), data.get(f"phase_{i}_end")
            phases.append(
                {
                    "kind": data[f"phase_{i}_kind"],
                    "name": data.get(f"phase_{i}_name", ""),
                    "start": start.isoformat() if start else None,
                    "end": end.isoformat() if end else None,
                    "text": old.get("text", ""),
                }
            )
        return [
            {
                "plan": plan_index,
                "clause": clause_index,
                "heading": data["heading"],
                "text": data["text"],
                "is_task": data["is_task"],
                "lead": split_names(data["lead"]),
                "co": split_names(data["co"]),
                "due": data["due"].isoformat() if data["due"] else None,
                "due_text": data["due_text"],
                "phases": phases,
            }
        ]


class ClauseBoundaryForm(PageForm):
    """Where a clause begins and ends: join it to the clause before, or cut it in two."""

    action = forms.ChoiceField(choices=[("merge", "并入上一条"), ("split", "拆分")], widget=forms.HiddenInput)
    split_at = forms.IntegerField(label=_("在第几个字之后拆分"), min_value=1, required=False)
    label = forms.CharField(label=_("新条款编号"), max_length=20, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == "split" and (not data.get("split_at") or not data.get("label")):
            raise forms.ValidationError(_("拆分需要填写拆分位置和新条款的编号。"))
        return data

    def corrections(self, plan_index: int, clause_index: int) -> list[dict]:
        data = self.cleaned_data
        correction = {"plan": plan_index, "clause": clause_index}
        if data["action"] == "merge":
            return [{**correction, "merge_with_previous": True}]
        return [{**correction, "split_at": data["split_at"], "label": data["label"].strip()}]


KEEP = ("", "(不修改)")


class BulkCorrectionForm(PageForm):
    """One action on many clauses of a plan: the ones ticked, all with a warning, or a whole section."""

    select = forms.ChoiceField(
        label=_("选择条款"),
        choices=[("ticked", "勾选的条款"), ("warning", "带有此提示的全部条款"), ("section", "整节")],
        initial="ticked",
        widget=forms.RadioSelect,
    )
    clauses = forms.TypedMultipleChoiceField(label=_("勾选的条款"), coerce=int, required=False)
    warning = forms.ChoiceField(label=_("提示"), required=False)
    section = forms.ChoiceField(label=_("节"), required=False)
    lead = forms.CharField(
        label=_("牵头单位"),
        required=False,
        help_text=_("留空表示不修改"),
        widget=forms.TextInput(attrs={"list": "registry-units", "autocomplete": "off"}),
    )
    co = forms.CharField(
        label=_("配合单位"),
        required=False,
        help_text=_("留空表示不修改"),
        widget=forms.TextInput(attrs={"list": "registry-units", "autocomplete": "off"}),
    )
    due = DayField(label=_("完成时限"), required=False)
    due_kind = forms.ChoiceField(label=_("时限类型"), required=False, choices=[KEEP])
    reporting_cadence = forms.ChoiceField(label=_("报送周期"), required=False, choices=[KEEP])
    phase_kind = forms.ChoiceField(label=_("阶段类型"), required=False, choices=[KEEP] + PHASE_KINDS)
    is_task = forms.ChoiceField(
        label=_("是否任务"), required=False, choices=[KEEP, ("yes", "作为任务跟踪"), ("no", "不是任务")]
    )

    def __init__(self, *args, clauses: list[tuple[int, str]], warnings, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clauses"].choices = clauses
        self.fields["warning"].choices = [("", "—")] + list(warnings)
        self.fields["section"].choices = [("", "—")] + list(sections)
        self.fields["due_kind"].choices = [KEEP] + list(DUE_KINDS.items())
        self.fields["reporting_cadence"].choices = [KEEP] + list(REPORTING_CADENCES.items())

    def clean(self):
        data = super().clean()
        select = data.get("select")
        if select == "ticked" and not data.get("clauses"):
            raise forms.ValidationError(_("请先勾选要修改的条款。"))
        if select in ("warning", "section") and not data.get(select):
            raise forms.ValidationError(_("请选择提示类型或节。") if select == "warning" else _("请选择节。"))
        if not self._changes(data):
            raise forms.ValidationError(_("请至少填写一项要修改的内容。"))
        return data

    @staticmethod
    def _changes(data) -> dict:
        changes = {}
        for field in ("lead", "co"):
            if split_names(data.get(field, "")):
                changes[field] = split_names(data[field])
        if data.get("due"):
            changes["due"] = data["due"].isoformat()
        for field in ("due_kind", "reporting_cadence", "phase_kind"):
            if data.get(field):
                changes[field] = data[field]
        if data.get("is_task"):
            changes["is_task"] = data["is_task"] == "yes"
        return changes

    def corrections(self, plan_index: int) -> list[dict]:
        data = self.cleaned_data
        if data["select"] == "ticked":
            where = {"clauses": data["clauses"]}
        else:
            where = {"select": {data["select"]: data[data["select"]]}}
        return [{"plan": plan_index, **where, **self._changes(data)}]
