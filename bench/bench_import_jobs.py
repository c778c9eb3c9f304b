"""Benchmark: the import jobs in a real Celery worker, each beside a floor measured in the same run.

* parse a 2 MB paste through the job (submit → worker → preview stored), floor: the same parse in
  this process (``parse_to_preview``), so the ratio is what the queue, the worker and storing cost;
* confirm a 4,000-task plan through the job (one transaction in the worker), floor: the same rows
  (plan, clauses, tasks, assignments) written with ``bulk_create`` in one transaction, rolled back.

Needs PostgreSQL and Redis (``make bench`` sets both); rows it makes are deleted afterwards.

    .venv/bin/python bench/bench_import_jobs.py
"""

from __future__ import annotations

import time

from common import ROOT, row, section  # noqa: F401  (sets Django up)
from django.db import transaction

from config.celery import app as celery_app
from org.models import Department, User
from plans.demo import demo_task_list, seed_directory
from plans.models import Clause, Plan, PlanImport
from plans.services import parse_to_preview, plan_import_preview, plan_import_request_confirm, plan_import_submit
from tasks.models import Assignment, Task
from tests.worker import celery_worker

CORPUS = ROOT.parent / "shared" / "corpus"
TWO_MB = 2 * 1024 * 1024


class _Rollback(Exception):
    pass


def two_mb_paste() -> str:
    docs = [p.read_text("utf-8") for p in sorted(CORPUS.glob("*.txt"))] or [demo_task_list(2000)]
    parts, size = [], 0
    while size < TWO_MB:
        parts.append(docs[len(parts) % len(docs)])
        size += len(parts[-1].encode()) + 2
    return "\n\n".join(parts)


def _wait(plan_import, timeout: float) -> float:
    started = time.perf_counter()
    deadline = time.monotonic() + timeout
    while PlanImport.objects.filter(pk=plan_import.pk, job_state__in=("queued", "running")).exists():
        if time.monotonic() > deadline:
            raise SystemExit("the import job did not finish in time")
        time.sleep(0.05)
    return time.perf_counter() - started


def _floor_rows(preview: dict) -> float:
    """The confirm's rows, written as fast as the database takes them, then rolled back."""
    plan = preview["plans"][0]
    leads = {d.name: d for d in Department.objects.all()}
    started = time.perf_counter()
    try:
        with transaction.atomic():
            record = Plan.objects.create(title=plan["title"], status=Plan.Status.ACTIVE, content_hash="bench-floor")
            clauses = Clause.objects.bulk_create(
                Clause(plan=record, label=c["label"][:20], path=c["path"][:200], position=n, text=c["text"])
                for n, c in enumerate(plan["clauses"], start=1)
            )
            items = [(clause, c) for clause, c in zip(clauses, plan["clauses"], strict=True) if c["is_task"]]
            tasks = Task.objects.bulk_create(
                Task(plan=record, clause=clause, title=(c["heading"] or c["text"])[:200], due_date=c["due"])
                for clause, c in items
            )
            Assignment.objects.bulk_create(
                Assignment(task=task, department=leads[name], role=role)
                for task, (_, c) in zip(tasks, items, strict=True)
                for role, names in (("lead", c["lead"]), ("co", c["co"]))
                for name in names
            )
            raise _Rollback
    except _Rollback:
        pass
    return time.perf_counter() - started


def main(results: list | None = None) -> None:
    seed_directory()
    supervisor, _ = User.objects.get_or_create(username="bench-importer", defaults={"role": User.Role.SUPERVISOR})
    celery_app.control.purge()
    text = two_mb_paste()
    with celery_worker():
        with section(f"import job: parse a {len(text.encode()) / 1e6:.1f} MB paste in the worker"):
            started = time.perf_counter()
            parse_to_preview(data=text)
            floor = time.perf_counter() - started
            plan_import = plan_import_submit(data=text, user=supervisor)
            figure = _wait(plan_import, 600) + 0.0
            plan_import.refresh_from_db()
            clauses = sum(len(p["clauses"]) for p in plan_import.result["plans"])
            extra = f"{clauses} clauses; floor: the same parse in this process"
            line = row("parse job (submit → preview stored)", figure, floor, unit="s", extra=extra)
            if results is not None:
                results.append(("import job: parse of a 2 MB paste", figure, floor, extra, line))
            plan_import.delete()

        with section("import job: confirm a 4,000-task plan in the worker"):
            plan_import = plan_import_preview(data=demo_task_list(4000), user=supervisor)
            floor = _floor_rows(plan_import.result)
            plan_import_request_confirm(plan_import=plan_import, user=supervisor)
            figure = _wait(plan_import, 1800)
            plan_import.refresh_from_db()
            tasks = Task.objects.filter(plan__in=plan_import.plans.all()).count()
            extra = f"{tasks} tasks, job {plan_import.job_state}; floor: the same rows by bulk_create, rolled back"
            line = row("confirm job (one transaction)", figure, floor, unit="s", extra=extra)
            if results is not None:
                results.append(("import job: confirm of 4,000 tasks", figure, floor, extra, line))
            plan_import.plans.all().delete()
            plan_import.delete()


if __name__ == "__main__":
    main()
