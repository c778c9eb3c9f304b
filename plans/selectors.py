"""Reads for the import: the department directory as the importer's name registry; a job's progress."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from org.models import Department, DepartmentAlias, DepartmentGroup
from plans.importing.registry import GroupEntry, Registry, RegistryEntry


def import_registry():
    """The importer's name registry, built from the department directory."""
    aliases: dict[int, list[str]] = {}
    for department_id, alias in DepartmentAlias.objects.values_list("department_id", "name"):
        aliases.setdefault(department_id, []).append(alias)
    departments = [
        RegistryEntry(name=d.name, aliases=tuple(aliases.get(d.pk, [])) + ((d.short_name,) if d.short_name else ()))
        for d in Department.objects.filter(is_active=True)
    ]
    groups = [
        GroupEntry(
            name=g.name,
            members=tuple(m.name for m in g.members.all()),
            aliases=tuple(a.name for a in g.aliases.all()),
        )
        for g in DepartmentGroup.objects.prefetch_related("members", "aliases")
    ]
    return Registry(departments, groups)


def import_progress_key(plan_import_id: int) -> str:
    """Where a confirm job reports progress: the cache, since its rows are invisible until it commits."""
    return f"plans:import:{plan_import_id}:progress"


def job_lost(plan_import) -> bool:
    """A job in flight not heard of for longer than any job may run: its worker died."""
    if not plan_import.job_in_flight or plan_import.job_updated_at is None:
        return False
    limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    return timezone.now() - plan_import.job_updated_at > limit


def import_job(plan_import) -> dict:
    """The import's background job as the page and the API show it."""
    return {
        "kind": plan_import.job,
        "kind_label": plan_import.get_job_display(),
        "state": plan_import.job_state,
        "state_label": plan_import.get_job_state_display(),
        "progress": import_progress(plan_import),
        "error": plan_import.job_error,
        "in_flight": plan_import.job_in_flight,
        "lost": job_lost(plan_import),
    }


def import_progress(plan_import) -> int:
    """How far the import's job is, in percent."""
    if plan_import.job_state == plan_import.JobState.RUNNING:
        return max(plan_import.job_progress, cache.get(import_progress_key(plan_import.pk)) or 0)
    return plan_import.job_progress
