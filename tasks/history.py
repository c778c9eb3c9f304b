"""A task's change history: one timeline of who changed what, when, from what to what.

Two records are merged. The history rows of django-simple-history (HistoricalRecords
on Task, Assignment, Phase, ProgressReport and ExtensionRequest) are written by
every save, wherever it comes from (services, API, admin), with the signed-in user
named by HistoryRequestMiddleware; they give field-by-field changes. The service
log (ActivityLog) names the act (审核通过, 批准延期…) as the service saw it.

Bulk updates (QuerySet.update) write no history rows: the services never use them
on these models.
"""

import csv
import io
from dataclasses import asdict, dataclass
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.downloads import csv_cell
from org.models import Department, User
from tasks.models import ActivityLog, Assignment, ExtensionRequest, Phase, ProgressReport, Task

ACTIONS = {"+": "创建", "~": "修改", "-": "删除"}
VERBS = {
    "assignment_complete": "标记完成",
    "assignment_acknowledge": "签收",
    "assignment_extend": "批准延期,调整时限",
    "progress_report_submit": "提交进展报告",
    "progress_report_approve": "审核通过",
    "progress_report_return": "退回报告",
    "extension_request": "申请延期",
    "extension_approve": "批准延期",
    "extension_reject": "不批准延期",
    "task_create": "新增任务",
    "task_update": "修改任务",
    "task_remove": "删除任务",
    "assignment_add": "增加责任单位",
    "assignment_remove": "移除责任单位",
    "assignment_set_role": "调整牵头/配合",
    "phase_add": "新增阶段",
    "phase_update": "修改阶段",
    "phase_remove": "删除阶段",
    "plan_close": "办结方案",
    "plan_stop": "终止方案",
}
# Not worth a line of their own: they only ever change together with the row's creation.
SKIPPED_FIELDS = {"id", "created_at", "submitted_at"}
CSV_HEADER = ["时间", "操作人", "对象类型", "对象编号", "对象", "操作", "字段", "变更前", "变更后", "来源"]


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    user_id: int | None
    user: str
    object_type: str  # task, assignment, phase, progressreport, extensionrequest
    object_label: str  # 任务, 责任分工…
    object_id: int
    object: str
    action: str  # 创建 / 修改 / 删除, or the service's act (审核通过…)
    field: str  # the model field's name; empty for a whole-object line
    field_label: str
    before: str
    after: str
    source: str  # history (a row's saved fields) or activity (the service log)

    def as_dict(self) -> dict:
        return asdict(self)


class _Names:
    """Labels for the ids in history rows, fetched once per timeline."""

    def __init__(self):
        self.users: dict[int, str] = {}
        self.departments: dict[int, str] = {}

    def load(self, user_ids, department_ids):
        wanted = {pk for pk in user_ids if pk and pk not in self.users}
        for pk, username, first, last in User.objects.filter(pk__in=wanted).values_list(
            "pk", "username", "first_name", "last_name"
        ):
            self.users[pk] = f"{last}{first}".strip() or username
        wanted = {pk for pk in department_ids if pk and pk not in self.departments}
        self.departments.update(Department.objects.filter(pk__in=wanted).values_list("pk", "name"))

    def user(self, pk) -> str:
        return self.users.get(pk, f"用户 {pk}") if pk else "系统"


def _text(model, field, value, names: _Names) -> str:
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        target = field.related_model
        if target is Department:
            return names.departments.get(value, f"单位 {value}")
        if target is User:
            return names.user(value)
        return str(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _describe(model, row, names: _Names) -> str:
    """A short name for the object as it was in that history row (no queries)."""
    if model is Task:
        return row.title
    if model is Assignment:
        return f"{names.departments.get(row.department_id, row.department_id)} · {row.get_role_display()}"
    if model is Phase:
        return row.name or row.get_kind_display()
    if model is ProgressReport:
        return f"进展报告 {row.percent}%"
    if model is ExtensionRequest:
        return f"延期申请 延至 {row.requested_due_date:%Y-%m-%d}"
    return str(row.pk)


def _fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in SKIPPED_FIELDS]


def _history_entries(model, rows, names: _Names) -> list[HistoryEntry]:
    entries = []
    previous: dict[int, object] = {}
    fields = _fields(model)
    label = str(model._meta.verbose_name)
    object_type = model._meta.model_name
    for row in rows:  # ordered by object, then time
        before = previous.get(row.id)
        previous[row.id] = row
        common = {
            "at": row.history_date,
            "user_id": row.history_user_id,
            "user": names.user(row.history_user_id),
            "object_type": object_type,
            "object_label": label,
            "object_id": row.id,
            "object": _describe(model, row, names),
            "source": "history",
        }
        if row.history_type != "~" or before is None:
            entries.append(
                HistoryEntry(**common, action=ACTIONS[row.history_type], field="", field_label="", before="", after="")
            )
            continue
        for field in fields:
            old, new = getattr(before, field.attname), getattr(row, field.attname)
            if old == new:
                continue
            entries.append(
                HistoryEntry(
                    **common,
                    action=ACTIONS["~"],
                    field=field.name,
                    field_label=str(field.verbose_name),
                    before=_text(model, field, old, names),
                    after=_text(model, field, new, names),
                )
            )
    return entries


def _flat(values: dict) -> str:
    return "; ".join(f"{key}: {'' if value is None else value}" for key, value in sorted(values.items()))


def task_history(*, task: Task, departments=None) -> list[HistoryEntry]:
    """The task's timeline, oldest first.

    departments: None for everything (supervisors and viewers); otherwise the ids
    of the departments whose assignments, reports and requests may be shown.
    Lines of the task itself and its phases are always shown.
    """
    names = _Names()
    tasks = list(Task.history.filter(id=task.pk).order_by("history_date", "history_id"))
    assignment_rows = list(Assignment.history.filter(task_id=task.pk).order_by("id", "history_date", "history_id"))
    phase_rows = list(Phase.history.filter(task_id=task.pk).order_by("id", "history_date", "history_id"))

    department_of = {row.id: row.department_id for row in assignment_rows}
    department_of.update(Assignment.objects.filter(task_id=task.pk).values_list("pk", "department_id"))
    if departments is not None:
        allowed = set(departments)
        department_of = {pk: dept for pk, dept in department_of.items() if dept in allowed}
        assignment_rows = [row for row in assignment_rows if row.id in department_of]
    assignment_ids = list(department_of)

    report_rows = list(
        ProgressReport.history.filter(assignment_id__in=assignment_ids).order_by("id", "history_date", "history_id")
    )
    extension_rows = list(
        ExtensionRequest.history.filter(assignment_id__in=assignment_ids).order_by("id", "history_date", "history_id")
    )
    report_ids = {row.id for row in report_rows} | set(
        ProgressReport.objects.filter(assignment_id__in=assignment_ids).values_list("pk", flat=True)
    )
    extension_ids = {row.id for row in extension_rows} | set(
        ExtensionRequest.objects.filter(assignment_id__in=assignment_ids).values_list("pk", flat=True)
    )

    types = ContentType.objects.get_for_models(Task, Assignment, ProgressReport, ExtensionRequest)
    wanted = {
        types[Task]: {task.pk},
        types[Assignment]: set(assignment_ids),
        types[ProgressReport]: report_ids,
        types[ExtensionRequest]: extension_ids,
    }
    lines = ActivityLog.objects.filter(content_type__in=list(wanted), object_id__in=set().union(*wanted.values()))
    activity = [
        line
        for line in lines.select_related("content_type").order_by("at", "id")
        if line.object_id in wanted[line.content_type]
    ]

    every_row = [*tasks, *assignment_rows, *phase_rows, *report_rows, *extension_rows]
    user_ids = {row.history_user_id for row in every_row} | {line.actor_id for line in activity}
    people = ("author_id", "reviewer_id", "requested_by_id", "decided_by_id", "acknowledged_by_id")
    for row in every_row:
        user_ids |= {getattr(row, name, None) for name in people}
    names.load(user_ids, set(department_of.values()))

    entries = [
        *_history_entries(Task, tasks, names),
        *_history_entries(Assignment, assignment_rows, names),
        *_history_entries(Phase, phase_rows, names),
        *_history_entries(ProgressReport, report_rows, names),
        *_history_entries(ExtensionRequest, extension_rows, names),
    ]
    for line in activity:
        model = line.content_type.model_class()
        entries.append(
            HistoryEntry(
                at=line.at,
                user_id=line.actor_id,
                user=names.user(line.actor_id),
                object_type=line.content_type.model,
                object_label=str(model._meta.verbose_name) if model else line.content_type.model,
                object_id=line.object_id,
                object=line.object_repr,
                action=VERBS.get(line.verb, line.verb),
                field="",
                field_label="",
                before=_flat(line.before),
                after=_flat(line.after),
                source="activity",
            )
        )
    # The service's act follows the field changes it made at the same moment.
    entries.sort(key=lambda e: (e.at, e.source == "activity"))
    return entries


def task_history_csv(entries: list[HistoryEntry]) -> str:
    """The timeline as CSV; text that a spreadsheet would run as a formula is defused."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for e in entries:
        writer.writerow(
            [
                csv_cell(timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S")),
                csv_cell(e.user),
                csv_cell(e.object_label),
                e.object_id,
                csv_cell(e.object),
                csv_cell(e.action),
                csv_cell(e.field_label),
                csv_cell(e.before),
                csv_cell(e.after),
                e.source,
            ]
        )
    return out.getvalue()
