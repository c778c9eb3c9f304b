"""Plan import: preview a document, correct the preview, confirm it into a tracked plan.

The same functions serve the management command, the REST API and the web wizard.
"""

import hashlib
import json
import logging
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from plans.corrections import apply_corrections
from plans.importing.errors import PlanImportError
from plans.importing.output import result_to_json
from plans.importing.parse import parse_document
from plans.models import Clause, Plan, PlanImport
from plans.selectors import import_registry
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
    plan_import = PlanImport(created_by=user, filename=filename[:255], source_text=text, result=preview)
    if isinstance(data, bytes):
        plan_import.source_file.save(filename or "upload", ContentFile(data), save=False)
    plan_import.save()
    return plan_import


@transaction.atomic
def plan_import_correct(*, plan_import: PlanImport, corrections: list[dict]) -> PlanImport:
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if plan_import.state != PlanImport.State.PREVIEW:
        raise DomainError("该导入已确认,不能再修改。", "confirmed")
    corrected = apply_corrections(plan_import.result, corrections)
    _mark_existing(corrected)
    plan_import.result = corrected
    plan_import.save(update_fields=["result"])
    return plan_import


@transaction.atomic
def plan_import_confirm(*, plan_import: PlanImport, user=None) -> list[Plan]:
    """Create every plan of the preview with its clauses, tasks, assignments and phases, or nothing."""
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if plan_import.state != PlanImport.State.PREVIEW:
        raise DomainError("该导入已确认过。", "confirmed", conflict=True)
    plans = [
        plan_build(plan=plan, user=user, source_text=plan_import.source_text, source_file=plan_import.source_file)
        for plan in plan_import.result.get("plans", [])
    ]
    if not plans:
        raise DomainError("没有可导入的方案。", "empty")
    plan_import.state = PlanImport.State.CONFIRMED
    plan_import.confirmed_at = timezone.now()
    plan_import.save(update_fields=["state", "confirmed_at"])
    plan_import.plans.set(plans)
    return plans


def plan_import_document(*, data: bytes | str, filename: str = "", user=None) -> list[Plan]:
    """Preview and confirm in one step, as the command line and demo data do."""
    with transaction.atomic():
        plan_import = plan_import_preview(data=data, filename=filename, user=user)
        return plan_import_confirm(plan_import=plan_import, user=user)


def preview_date(value) -> date | None:
    """A date of the preview JSON (ISO text or empty)."""
    return date.fromisoformat(value) if value else None


@transaction.atomic
def plan_build(*, plan: dict, user=None, source_text: str = "", source_file=None) -> Plan:
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
    return record
