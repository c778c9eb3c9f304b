"""Reads for the import: the department directory as the importer's name registry; a job's progress."""

import json
from datetime import timedelta

from django.core.cache import cache
from django.db import connection
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


# How long an import job may run: a 4,000-task confirm is one transaction of minutes on a busy server.
IMPORT_JOB_TIME_LIMIT = 30 * 60


def job_lost(plan_import) -> bool:
    """A job in flight not heard of for longer than any job may run: its worker died."""
    if not plan_import.job_in_flight or plan_import.job_updated_at is None:
        return False
    limit = timedelta(seconds=IMPORT_JOB_TIME_LIMIT + 60)
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


def import_clause_slice(plan_import, plan_index: int, start: int, stop: int) -> list[dict]:
    """Clauses start…stop-1 of one plan of the preview, read by the database out of the stored JSON.

    A page of a long preview needs a few dozen clauses of thousands: PostgreSQL and SQLite hand out
    just those, without the whole document being decoded in Python.
    """
    table = plan_import._meta.db_table
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT e.value FROM {table} p, jsonb_array_elements(p.result -> 'plans' -> %s -> 'clauses') "
            "WITH ORDINALITY AS e(value, n) WHERE p.id = %s AND e.n > %s AND e.n <= %s ORDER BY e.n"
        )
    elif connection.vendor == "sqlite":
        sql = (
            f"SELECT e.value FROM {table} p, json_each(p.result, '$.plans[' || %s || '].clauses') e "
            "WHERE p.id = %s AND e.key >= %s AND e.key < %s ORDER BY e.key"
        )
    else:
        return plan_import.result["plans"][plan_index]["clauses"][start:stop]
    with connection.cursor() as cursor:
        cursor.execute(sql, [plan_index, plan_import.pk, start, stop])
        values = [row[0] for row in cursor.fetchall()]
    return [json.loads(v) if isinstance(v, (str, bytes)) else v for v in values]
