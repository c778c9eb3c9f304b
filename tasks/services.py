"""Actions that change tasks and assignments. Each owns its transaction; those a person takes check
the org.access rule for that person first, so no front door can skip it."""

from datetime import date
from pathlib import PurePosixPath

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.errors import DomainError
from org import access
from org.models import Department, DepartmentGroup
from org.services import unit_resolve_or_flag
from plans.services import preview_date
from tasks.evidence import MAX_FILES_PER_REPORT, evidence_check, files_removed_on_failure
from tasks.models import (
    ActivityLog,
    Assignment,
    DepartmentSnapshot,
    DueKind,
    Evidence,
    ExtensionRequest,
    Phase,
    ProgressReport,
    ReportingCadence,
    Task,
)
from tasks.rules import LeadWork, State, task_work
from tasks.selectors import COUNTED, department_status


def _departments_of(unit: Department | DepartmentGroup) -> list[Department]:
    if isinstance(unit, DepartmentGroup):
        return list(unit.members.order_by("name"))
    return [unit]


@transaction.atomic
def task_assign(*, task: Task, leads=(), co=()) -> list[Assignment]:
    """Create the task's assignments; a group (各县区政府) expands to its members.

    A department named both as lead and as co is a lead: the lead role carries
    the answerability, and one department has one part per task.
    """
    roles: dict[int, tuple[Department, str]] = {}
    for role, units in ((Assignment.Role.LEAD, leads), (Assignment.Role.CO, co)):
        for unit in units:
            for department in _departments_of(unit):
                roles.setdefault(department.pk, (department, role))
    existing = set(task.assignments.values_list("department_id", flat=True))
    # With history rows, as every change to an assignment has (tasks.history).
    created = bulk_create_with_history(
        [
            Assignment(task=task, department=department, role=role)
            for pk, (department, role) in roles.items()
            if pk not in existing
        ],
        Assignment,
    )
    return created


@transaction.atomic
def task_sync_work(*, task: Task) -> Task:
    """Bring the task's stored state in line with its lead assignments (rules.task_work)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    assignments = list(task.assignments.all())
    leads = [LeadWork(a.state, a.progress, a.completed_on) for a in assignments if a.role == Assignment.Role.LEAD]
    any_started = any(a.state != State.NOT_STARTED or a.progress > 0 for a in assignments)
    work = task_work(leads, any_started=any_started)
    task.state, task.progress, task.completed_on = work.state, work.progress, work.completed_on
    task.save(update_fields=["state", "progress", "completed_on"])
    return task


@transaction.atomic
def assignment_set_progress(*, assignment: Assignment, progress: int) -> Assignment:
    if not 0 <= progress <= 100:
        raise ValueError("progress must be between 0 and 100")
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.state == State.COMPLETED:
        return assignment
    assignment.progress = progress
    assignment.state = State.IN_PROGRESS if progress > 0 else assignment.state
    assignment.save(update_fields=["progress", "state"])
    task_sync_work(task=assignment.task)
    return assignment


@transaction.atomic
def assignment_complete(*, assignment: Assignment, completed_on: date | None = None, actor=None) -> Assignment:
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    before = _work_of(assignment)
    assignment.state = State.COMPLETED
    assignment.progress = 100
    assignment.completed_on = completed_on or timezone.localdate()
    assignment.save(update_fields=["state", "progress", "completed_on"])
    task_sync_work(task=assignment.task)
    activity_record(actor=actor, verb="assignment_complete", obj=assignment, before=before, after=_work_of(assignment))
    return assignment


@transaction.atomic
def assignment_acknowledge(*, assignment: Assignment, user) -> Assignment:
    """签收: the first acknowledgement counts; later ones change nothing."""
    access.require(access.can_acknowledge(user, assignment), "只有本单位人员可以签收。")
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.acknowledged_at is None:
        assignment.acknowledged_at = timezone.now()
        assignment.acknowledged_by = user
        assignment.save(update_fields=["acknowledged_at", "acknowledged_by"])
        activity_record(
            actor=user,
            verb="assignment_acknowledge",
            obj=assignment,
            after={"acknowledged_at": assignment.acknowledged_at.isoformat()},
        )
    return assignment


# ---------------------------------------------------------------------------
# The record of changes


def _work_of(assignment: Assignment) -> dict:
    return {
        "state": assignment.state,
        "progress": assignment.progress,
        "completed_on": assignment.completed_on.isoformat() if assignment.completed_on else None,
        "due_date": assignment.due_date.isoformat() if assignment.due_date else None,
    }


def activity_record(*, actor, verb: str, obj, before: dict | None = None, after: dict | None = None) -> ActivityLog:
    """Write one line of the change record; callers are services, inside their own transaction."""
    return ActivityLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        verb=verb,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        before=before or {},
        after=after or {},
    )


# ---------------------------------------------------------------------------
# Progress reports and evidence


@transaction.atomic
def progress_report_submit(*, assignment: Assignment, author, text: str, percent: int, files=()) -> ProgressReport:
    """A department reports its progress, with evidence files checked by their bytes."""
    access.require(access.can_report(author, assignment), "只能为本单位报送进展。")
    if not 0 <= percent <= 100:
        raise DomainError("进度须在 0 到 100 之间。", "percent_out_of_range")
    files = list(files)
    if len(files) > MAX_FILES_PER_REPORT:
        raise DomainError(f"每份报告最多上传 {MAX_FILES_PER_REPORT} 个文件。", "too_many_files")
    checked = [(upload, *evidence_check(upload)) for upload in files]
    with files_removed_on_failure() as stored:
        report = ProgressReport.objects.create(assignment=assignment, author=author, text=text, percent=percent)
        for upload, content_type, suffix in checked:
            stored.append(evidence_attach(report=report, upload=upload, content_type=content_type, suffix=suffix).file)
        activity_record(
            actor=author,
            verb="progress_report_submit",
            obj=report,
            after={"percent": percent, "files": [upload.name for upload in files]},
        )
    return report


def evidence_attach(*, report: ProgressReport, upload, content_type: str | None = None, suffix: str | None = None):
    """Store one evidence file under MEDIA_ROOT with a random name; the original name stays in the row."""
    if content_type is None or suffix is None:
        content_type, suffix = evidence_check(upload)
    evidence = Evidence(
        report=report,
        original_name=PurePosixPath(upload.name or "file").name[:255],
        content_type=content_type,
        size=upload.size,
    )
    # The suffix comes from the sniffed type, so a renamed file cannot pose as another.
    with files_removed_on_failure() as stored:
        evidence.file.save(f"upload{suffix}", File(upload), save=False)
        stored.append(evidence.file)
        evidence.save()
    return evidence


@transaction.atomic
def progress_report_review(*, report: ProgressReport, reviewer, approve: bool, comment: str = "") -> ProgressReport:
    """Approve (the assignment takes the reported progress) or return with a comment.

    A report of 100% that is approved completes the assignment on the day it was submitted.
    """
    access.require(access.can_review(reviewer), "只有督查员可以审核进展报告。")
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.review_state != ProgressReport.Review.PENDING:
        raise DomainError("该报告已审核,不能重复审核。", "already_reviewed")
    if not approve and not comment.strip():
        raise DomainError("退回报告时请填写意见。", "comment_required")
    report.review_state = ProgressReport.Review.APPROVED if approve else ProgressReport.Review.RETURNED
    report.reviewer = reviewer
    report.reviewed_at = timezone.now()
    report.review_comment = comment
    report.save(update_fields=["review_state", "reviewer", "reviewed_at", "review_comment"])
    if approve:
        if report.percent == 100:
            assignment_complete(
                assignment=report.assignment, completed_on=timezone.localdate(report.submitted_at), actor=reviewer
            )
        else:
            assignment_set_progress(assignment=report.assignment, progress=report.percent)
    activity_record(
        actor=reviewer,
        verb="progress_report_approve" if approve else "progress_report_return",
        obj=report,
        before={"review_state": ProgressReport.Review.PENDING},
        after={"review_state": report.review_state, "comment": comment},
    )
    return report


# ---------------------------------------------------------------------------
# Extensions


@transaction.atomic
def extension_request_create(*, assignment: Assignment, user, requested_due_date: date, reason: str):
    access.require(access.can_request_extension(user, assignment), "只能为本单位申请延期。")
    assignment = Assignment.objects.select_for_update().select_related("task").get(pk=assignment.pk)
    if assignment.state == State.COMPLETED:
        raise DomainError("该任务已完成,无需延期。", "already_completed")
    current = assignment.effective_due_date
    if current is not None and requested_due_date <= current:
        raise DomainError(f"申请的时限须晚于当前时限 {current:%Y-%m-%d}。", "due_not_later")
    if assignment.extension_requests.filter(decision=ExtensionRequest.Decision.PENDING).exists():
        raise DomainError("已有一份待审批的延期申请。", "extension_pending")
    if not reason.strip():
        raise DomainError("请填写延期理由。", "reason_required")
    request = ExtensionRequest.objects.create(
        assignment=assignment,
        requested_by=user,
        previous_due_date=current,
        requested_due_date=requested_due_date,
        reason=reason,
    )
    activity_record(
        actor=user, verb="extension_request", obj=request, after={"requested_due_date": requested_due_date.isoformat()}
    )
    return request


@transaction.atomic
def extension_decide(*, request: ExtensionRequest, decider, approve: bool, comment: str = "") -> ExtensionRequest:
    """Approve (the assignment takes the new due date; the old one is kept on the request) or reject."""
    access.require(access.can_review(decider), "只有督查员可以审批延期申请。")
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if request.decision != ExtensionRequest.Decision.PENDING:
        raise DomainError("该申请已审批,不能重复审批。", "already_decided")
    if not approve and not comment.strip():
        raise DomainError("不批准时请填写意见。", "comment_required")
    assignment = Assignment.objects.select_for_update().select_related("task").get(pk=request.assignment_id)
    request.decision = ExtensionRequest.Decision.APPROVED if approve else ExtensionRequest.Decision.REJECTED
    request.decided_by = decider
    request.decided_at = timezone.now()
    request.decision_comment = comment
    if approve:
        # The due date in force when granted, which past-day reports need (see tasks.selectors).
        request.previous_due_date = assignment.effective_due_date
        before = _work_of(assignment)
        assignment.due_date = request.requested_due_date
        assignment.save(update_fields=["due_date"])
        activity_record(
            actor=decider, verb="assignment_extend", obj=assignment, before=before, after=_work_of(assignment)
        )
    request.save(update_fields=["decision", "decided_by", "decided_at", "decision_comment", "previous_due_date"])
    activity_record(
        actor=decider,
        verb="extension_approve" if approve else "extension_reject",
        obj=request,
        before={"decision": ExtensionRequest.Decision.PENDING},
        after={"decision": request.decision, "comment": comment},
    )
    return request


# ---------------------------------------------------------------------------
# Daily snapshots


@transaction.atomic
def department_snapshot_take(*, as_of: date) -> int:
    """Store every department's counts on the day, per plan and across plans; taking it again replaces it."""
    DepartmentSnapshot.objects.filter(as_of=as_of).delete()
    rows = []
    for by_plan in (False, True):
        for status in department_status(as_of=as_of, by_plan=by_plan, live=True):
            for role, counts in status.counts.items():
                rows.append(
                    DepartmentSnapshot(
                        as_of=as_of,
                        department_id=status.department_id,
                        plan_id=status.plan_id if by_plan else None,
                        role=role,
                        **{name: getattr(counts, name) for name in COUNTED},
                    )
                )
    DepartmentSnapshot.objects.bulk_create(rows)
    return len(rows)


# ---------------------------------------------------------------------------
# Tasks from a confirmed plan import


def task_build_from_clause(*, plan, clause, item: dict) -> Task:
    """The task a confirmed import's clause becomes (plans.signals.task_clause_confirmed), with its
    departments, resolved or flagged for review, and its phases."""
    phases = item.get("phases") or []
    starts = [p["start"] for p in phases if p.get("start")]
    ends = [p["end"] for p in phases if p.get("end")]
    due_kind, cadence = _due_kind_of(item, label=clause.label)
    task = Task.objects.create(
        plan=plan,
        clause=clause,
        title=(item.get("heading") or item.get("text") or clause.label)[:300],
        description=item.get("text") or "",
        start_date=preview_date(min(starts)) if starts else None,
        # A task without its own deadline is due when its last phase ends; one marked 长期 or
        # 按周期报送 has none, whatever date the importer guessed (its words stay in due_text).
        due_date=preview_date(item.get("due") or (max(ends) if ends else None)) if due_kind == DueKind.DATED else None,
        due_text=(item.get("due_text") or "")[:200],
        due_kind=due_kind,
        recurrence=(item.get("recurrence") or "")[:50],
        reporting_cadence=cadence,
    )
    task_assign(
        task=task,
        leads=[unit_resolve_or_flag(name=n) for n in item.get("lead", [])],
        co=[unit_resolve_or_flag(name=n) for n in item.get("co", [])],
    )
    bulk_create_with_history(
        [
            Phase(
                task=task,
                kind=p["kind"],
                name=(p.get("name") or "")[:100],
                position=i,
                start_date=preview_date(p.get("start")),
                end_date=preview_date(p.get("end")),
                text=(p.get("text") or "")[:200],
            )
            for i, p in enumerate(phases)
        ],
        Phase,
    )
    return task


def _due_kind_of(item: dict, *, label: str) -> tuple[str, str]:
    """The clause's due kind and reporting cadence, as the preview marks them (dated, no cadence, when absent)."""
    due_kind = item.get("due_kind") or DueKind.DATED
    cadence = item.get("reporting_cadence") or ReportingCadence.NONE
    if due_kind not in DueKind.values:
        raise DomainError(f"条款 {label} 的时限类型无法识别。", "due_kind_invalid", label=label)
    if cadence not in ReportingCadence.values:
        raise DomainError(f"条款 {label} 的报告频次无法识别。", "reporting_cadence_invalid", label=label)
    if due_kind == DueKind.PERIODIC and cadence == ReportingCadence.NONE:
        raise DomainError(f"条款 {label} 按周期报送,须指定报告频次。", "reporting_cadence_required", label=label)
    return due_kind, cadence
