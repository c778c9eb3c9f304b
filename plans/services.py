"""Plan import: preview a document, correct the preview, confirm it into a tracked plan.

The same functions serve the management command, the REST API and the web wizard.
The wizard and the API parse and confirm as background jobs (plans/tasks.py): they
submit (`plan_import_submit`, `plan_import_request_confirm`) and a worker runs the job
(`plan_import_run_parse`, `plan_import_run_confirm`); the command line parses and
confirms in one call. Either way confirm is one transaction: a worker that dies in
the middle leaves nothing behind.
"""

import hashlib
import json
import logging
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.utils import timezone

from core.errors import DomainError
from org.selectors import unit_by_name
from plans.checklist import record_proposals
from plans.corrections import apply_corrections
from plans.importing.errors import PlanImportError
from plans.importing.output import result_to_json
from plans.importing.parse import parse_document
from plans.importing.sandbox import check_isolated
from plans.models import Clause, Plan, PlanImport
from plans.outline import preview_outline
from plans.readiness import import_missing, missing_summary
from plans.selectors import import_progress_key, import_registry, job_lost
from plans.signals import task_clause_confirmed

log = logging.getLogger(__name__)

DUPLICATE = "duplicate"


def plan_content_hash(plan: dict) -> str:
    """A fingerprint of what a plan says, so the same document imported twice is recognised.

    It covers the title, the 文号 and every clause's label and text, not the file's
    bytes: the same plan pasted as text or uploaded as .docx is the same plan.
    """
    payload = [plan.get("title", ""), plan.get("doc_number", "")] + [
        [c.get("label", ""), c.get("text", "")] for c in plan.get("clauses", [])
    ]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def parse_to_preview(*, data: bytes | str, filename: str | None = None) -> tuple[dict, str]:
    """Parse a document against the department registry: (preview JSON, decoded text)."""
    try:
        result = parse_document(
            data, filename=filename, registry=import_registry(), max_bytes=settings.PLAN_IMPORT_MAX_BYTES
        )
    except PlanImportError as refusal:
        raise DomainError(refusal.message_zh, refusal.code) from refusal
    preview = result_to_json(result)
    record_proposals(preview)
    _mark_existing(preview)
    return preview, result.source_text


PREVIEW_ONLY_KEYS = ("id", "content_hash", "existing_plan_id")


def _mark_existing(preview: dict) -> None:
    """Give plans and clauses the ids corrections name them by, and spot plans already imported."""
    for plan_index, plan in enumerate(preview.get("plans", [])):
        plan["id"] = plan_index
        for clause_index, clause in enumerate(plan.get("clauses", [])):
            clause["id"] = clause_index
        plan["content_hash"] = plan_content_hash(plan)
        plan["existing_plan_id"] = (
            Plan.objects.filter(content_hash=plan["content_hash"]).values_list("pk", flat=True).first()
        )


def plan_import_preview(*, data: bytes | str, filename: str = "", user=None) -> PlanImport:
    preview, text = parse_to_preview(data=data, filename=filename or None)
    plan_import = PlanImport(
        created_by=user, filename=filename[:255], source_text=text, result=preview, outline=preview_outline(preview)
    )
    if isinstance(data, bytes):
        plan_import.source_file.save(filename or "upload", ContentFile(data), save=False)
    plan_import.save()
    return plan_import


def _known_unit(name: str) -> bool:
    return unit_by_name(name) is not None


@transaction.atomic
def plan_import_correct(*, plan_import: PlanImport, corrections: list[dict]) -> PlanImport:
    """Apply corrections (one clause, many, or a whole plan's proposals) and recompute the warnings."""
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if plan_import.state != PlanImport.State.PREVIEW:
        raise DomainError("该导入已确认,不能再修改。", "confirmed")
    _refuse_while_busy(plan_import)
    corrected = apply_corrections(plan_import.result, corrections, known_unit=_known_unit)
    _mark_existing(corrected)
    plan_import.result = corrected
    plan_import.outline = preview_outline(corrected)
    plan_import.save(update_fields=["result", "outline"])
    return plan_import


def _refuse_while_busy(plan_import: PlanImport) -> None:
    if plan_import.job_in_flight and not job_lost(plan_import):
        what = plan_import.get_job_display()
        raise DomainError(f"正在{what},请等它完成后再操作。", "job_running", conflict=True)


def _refuse_incomplete(result: dict) -> None:
    missing = import_missing(result)
    if missing:
        raise DomainError(missing_summary(missing), "incomplete", missing=[m.as_dict() for m in missing])


def _refuse_known_twins(result: dict) -> None:
    for plan in result.get("plans", []):
        existing = Plan.objects.filter(content_hash=plan_content_hash(plan)).first()
        if existing:
            raise DomainError(
                f"方案《{existing.title}》已经导入过(编号 {existing.pk}),不会重复创建。",
                DUPLICATE,
                conflict=True,
                plan=existing.pk,
            )


@transaction.atomic
def plan_import_confirm(*, plan_import: PlanImport, user=None, on_progress=None) -> list[Plan]:
    """Create every plan of the preview with its clauses, tasks, assignments and phases, or nothing.

    Refused while a task clause lacks a lead or a way to be followed (plans/readiness.py).
    on_progress(done, total) is told after each clause, from inside the transaction.
    """
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if plan_import.state != PlanImport.State.PREVIEW:
        raise DomainError("该导入已确认过。", "confirmed", conflict=True)
    sources = plan_import.result.get("plans", [])
    if not sources:
        raise DomainError("没有可导入的方案。", "empty")
    _refuse_incomplete(plan_import.result)
    total = sum(len(plan.get("clauses", [])) for plan in sources) or 1
    built = [0]

    def clause_built():
        built[0] += 1
        if on_progress:
            on_progress(built[0], total)

    plans = [
        plan_build(
            plan=plan,
            user=user,
            source_text=plan_import.source_text,
            source_file=plan_import.source_file,
            on_clause=clause_built,
        )
        for plan in sources
    ]
    plan_import.state = PlanImport.State.CONFIRMED
    plan_import.confirmed_at = timezone.now()
    plan_import.save(update_fields=["state", "confirmed_at"])
    plan_import.plans.set(plans)
    return plans


# ---------------------------------------------------------------------------
# Background jobs: submit (in the request), run (in the worker).


def _job_update(plan_import_id: int, **fields) -> int:
    """Write job fields at once, outside any job transaction, so the page polling them sees them."""
    return PlanImport.objects.filter(pk=plan_import_id).update(job_updated_at=timezone.now(), **fields)


def plan_import_job_fail(*, plan_import_id: int, message: str) -> None:
    """Record why a job could not run, for the page and the API to show."""
    _job_update(plan_import_id, job_state=PlanImport.JobState.FAILED, job_error=message)


def _enqueue(job: str, plan_import_id: int) -> None:
    from plans.tasks import enqueue_job  # the tasks module imports services, not the other way round

    enqueue_job(job, plan_import_id)


def plan_import_submit(*, data: bytes | str, filename: str = "", user=None) -> PlanImport:
    """Keep the document and queue its parsing; the preview appears when the job is done."""
    _refuse_unreadable(data, filename)
    with transaction.atomic():
        plan_import = PlanImport(
            created_by=user,
            job_user=user,
            filename=filename[:255],
            job=PlanImport.Job.PARSE,
            job_state=PlanImport.JobState.QUEUED,
            job_updated_at=timezone.now(),
        )
        if isinstance(data, bytes):
            plan_import.source_file.save(filename or "upload", ContentFile(data), save=False)
        else:
            plan_import.source_text = data
        plan_import.save()
    _enqueue(PlanImport.Job.PARSE, plan_import.pk)
    return plan_import


JOB_CRASHED = "处理时出现系统错误,没有写入任何数据。请稍后重试;如仍出错,请联系管理员。"


def _refuse_unreadable(data: bytes | str, filename: str) -> None:
    """What takes little time is refused before a job is queued (plans.importing.decode.check_document),
    read in a child process with its limits, as the job reads the whole document."""
    try:
        check_isolated(data, filename=filename or None, max_bytes=settings.PLAN_IMPORT_MAX_BYTES)
    except PlanImportError as refusal:
        raise DomainError(refusal.message_zh, refusal.code) from refusal


def plan_import_run_parse(*, plan_import_id: int) -> None:
    """The parse job: read the kept document, write the preview (or the refusal) into the row."""
    plan_import = PlanImport.objects.filter(pk=plan_import_id, job=PlanImport.Job.PARSE).first()
    if (
        plan_import is None
        or plan_import.state != PlanImport.State.PREVIEW
        or plan_import.job_state == PlanImport.JobState.DONE
    ):
        return  # discarded, or already parsed by an earlier delivery of the same job
    _job_update(plan_import_id, job_state=PlanImport.JobState.RUNNING, job_progress=10, job_error="")
    if plan_import.source_file:
        with plan_import.source_file.open("rb") as handle:
            data: bytes | str = handle.read()
    else:
        data = plan_import.source_text
    try:
        preview, text = parse_to_preview(data=data, filename=plan_import.filename or None)
    except DomainError as refusal:
        _job_update(plan_import_id, job_state=PlanImport.JobState.FAILED, job_error=refusal.message_zh)
        return
    except Exception:
        _job_update(plan_import_id, job_state=PlanImport.JobState.FAILED, job_error=JOB_CRASHED)
        raise
    _job_update(
        plan_import_id,
        result=preview,
        outline=preview_outline(preview),
        source_text=text,
        job_state=PlanImport.JobState.DONE,
        job_progress=100,
        job_error="",
    )


def plan_import_request_confirm(*, plan_import: PlanImport, user=None) -> PlanImport:
    """Check what can be checked at once (completeness, twins), then queue the confirm job."""
    with transaction.atomic():
        plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
        if plan_import.state != PlanImport.State.PREVIEW:
            raise DomainError("该导入已确认过。", "confirmed", conflict=True)
        _refuse_while_busy(plan_import)
        if not plan_import.result.get("plans"):
            raise DomainError("没有可导入的方案。", "empty")
        _refuse_incomplete(plan_import.result)
        _refuse_known_twins(plan_import.result)
        plan_import.job = PlanImport.Job.CONFIRM
        plan_import.job_state = PlanImport.JobState.QUEUED
        plan_import.job_progress = 0
        plan_import.job_error = ""
        plan_import.job_user = user
        plan_import.job_updated_at = timezone.now()
        plan_import.save(update_fields=["job", "job_state", "job_progress", "job_error", "job_user", "job_updated_at"])
    _enqueue(PlanImport.Job.CONFIRM, plan_import.pk)
    return plan_import


def plan_import_run_confirm(*, plan_import_id: int) -> None:
    """The confirm job: everything in one transaction; progress goes to the cache, visible outside it."""
    plan_import = PlanImport.objects.filter(pk=plan_import_id, job=PlanImport.Job.CONFIRM).first()
    if plan_import is None or plan_import.state != PlanImport.State.PREVIEW:
        return  # discarded, or confirmed by an earlier delivery of the same job
    _job_update(plan_import_id, job_state=PlanImport.JobState.RUNNING, job_progress=1, job_error="")
    key = import_progress_key(plan_import_id)
    step = [0]

    def on_progress(done: int, total: int) -> None:
        percent = min(99, done * 100 // total)
        if percent > step[0]:
            step[0] = percent
            cache.set(key, percent, timeout=3600)

    try:
        plan_import_confirm(plan_import=plan_import, user=plan_import.job_user, on_progress=on_progress)
    except DomainError as refusal:
        _job_update(plan_import_id, job_state=PlanImport.JobState.FAILED, job_error=refusal.message_zh)
        return
    except Exception:
        _job_update(plan_import_id, job_state=PlanImport.JobState.FAILED, job_error=JOB_CRASHED)
        raise  # logged by the worker; the transaction has already rolled back
    finally:
        cache.delete(key)
    _job_update(plan_import_id, job_state=PlanImport.JobState.DONE, job_progress=100, job_error="")


def plan_import_retry(*, plan_import: PlanImport, user=None) -> PlanImport:
    """Run a failed or lost parse again (a confirm is retried by confirming again)."""
    with transaction.atomic():
        plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
        if plan_import.job != PlanImport.Job.PARSE or plan_import.state != PlanImport.State.PREVIEW:
            raise DomainError("这次导入没有需要重新解析的内容。", "nothing_to_retry", conflict=True)
        if plan_import.job_state == PlanImport.JobState.DONE:
            raise DomainError("这次导入已经解析完成。", "nothing_to_retry", conflict=True)
        _refuse_while_busy(plan_import)
        _job_update(plan_import.pk, job_state=PlanImport.JobState.QUEUED, job_progress=0, job_error="", job_user=user)
    _enqueue(PlanImport.Job.PARSE, plan_import.pk)
    plan_import.refresh_from_db()
    return plan_import


def plan_import_discard(*, plan_import: PlanImport, user=None) -> None:
    """Throw away an import that was not confirmed, with its kept file. Refused during a confirm."""
    with transaction.atomic():
        try:
            plan_import = PlanImport.objects.select_for_update(nowait=True).get(pk=plan_import.pk)
        except PlanImport.DoesNotExist:
            return
        except DatabaseError:  # the confirm job holds the row
            raise DomainError("正在确认导入,不能丢弃。", "job_running", conflict=True) from None
        if plan_import.state == PlanImport.State.CONFIRMED:
            raise DomainError("这次导入已确认,不能丢弃;请到方案页面修改或终止方案。", "confirmed", conflict=True)
        if plan_import.job == PlanImport.Job.CONFIRM:
            _refuse_while_busy(plan_import)
        source = plan_import.source_file.name if plan_import.source_file else ""
        plan_import.delete()
        if source:
            storage = plan_import.source_file.storage
            transaction.on_commit(lambda: storage.delete(source))
    log.info("import %s discarded by %s", plan_import.pk, getattr(user, "pk", None))


def plan_import_document(
    *, data: bytes | str, filename: str = "", user=None, undated_cadence: str | None = None
) -> list[Plan]:
    """Preview and confirm in one step, as the command line and demo data do.

    Nobody reviews such an import, so a task without a date is refused like in the wizard,
    unless undated_cadence is given: then every such task is marked 长期 and reports at that
    cadence (a correction like any other, so the preview records it).
    """
    with transaction.atomic():
        plan_import = plan_import_preview(data=data, filename=filename, user=user)
        if undated_cadence:
            undated = _undated_as_ongoing(plan_import.result, undated_cadence)
            if undated:
                plan_import = plan_import_correct(plan_import=plan_import, corrections=undated)
        return plan_import_confirm(plan_import=plan_import, user=user)


def _undated_as_ongoing(result: dict, cadence: str) -> list[dict]:
    by_plan: dict[int, list[int]] = {}
    for missing in import_missing(result):
        if missing.code in ("no_due", "no_cadence"):
            by_plan.setdefault(missing.plan, []).append(missing.clause)
    return [
        {"plan": plan, "clauses": clauses, "due_kind": "ongoing", "reporting_cadence": cadence}
        for plan, clauses in by_plan.items()
    ]


def preview_date(value) -> date | None:
    """A date of the preview JSON (ISO text or empty)."""
    return date.fromisoformat(value) if value else None


@transaction.atomic
def plan_build(*, plan: dict, user=None, source_text: str = "", source_file=None, on_clause=None) -> Plan:
    """One plan of a preview into the database. A twin is refused with code "duplicate" and its id as `plan`."""
    content_hash = plan_content_hash(plan)
    existing = Plan.objects.filter(content_hash=content_hash).first()
    if existing:
        raise DomainError(
            f"方案《{existing.title}》已经导入过(编号 {existing.pk}),不会重复创建。",
            DUPLICATE,
            conflict=True,
            plan=existing.pk,
        )
    record = Plan.objects.create(
        title=(plan.get("title") or "未命名方案")[:300],
        doc_number=(plan.get("doc_number") or "")[:100],
        issuer=(plan.get("issuer") or "")[:200],
        issued_on=preview_date(plan.get("issued_on")),
        status=Plan.Status.ACTIVE,
        source_text=source_text,
        source_file=source_file.name if source_file else "",
        content_hash=content_hash,
        created_by=user,
    )
    by_path: dict[str, Clause] = {}
    for position, item in enumerate(plan.get("clauses", []), start=1):
        path = item.get("path") or item.get("label") or str(position)
        parent_path = path.rsplit("/", 1)[0] if "/" in path else None
        span = item.get("span") or [0, 0]
        clause = Clause.objects.create(
            plan=record,
            parent=by_path.get(parent_path),
            label=(item.get("label") or "")[:20],
            path=path[:200],
            position=position,
            heading=(item.get("heading") or "")[:300],
            text=item.get("text") or "",
            span_start=span[0],
            span_end=max(span[0], span[1]),
        )
        by_path[path] = clause
        if item.get("is_task"):
            task_clause_confirmed.send(sender=Plan, plan=record, clause=clause, item=item)
        if on_clause:
            on_clause()
    return record
