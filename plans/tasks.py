"""Celery front doors of the import jobs: parse a submitted document, confirm a preview.

Settings give every task acks_late and reject-on-worker-lost, so a job cut short by a
dying worker is handed out again; the services make a second run harmless (a parsed
import is not parsed twice, a confirmed one not confirmed twice).

Without a worker to hand jobs to (PLAN_IMPORT_JOBS_INLINE or CELERY_TASK_ALWAYS_EAGER,
as tests and scripts run), a job runs at once in the calling process.
"""

import logging

from celery import current_app, shared_task
from django.conf import settings
from django.db import transaction

from plans.selectors import IMPORT_JOB_TIME_LIMIT
from plans.services import plan_import_job_fail, plan_import_run_confirm, plan_import_run_parse

log = logging.getLogger(__name__)


# A large plan takes longer than the default limits of a task (settings): the jobs have their own.
LIMITS = {"time_limit": IMPORT_JOB_TIME_LIMIT, "soft_time_limit": IMPORT_JOB_TIME_LIMIT - 60}


@shared_task(name="plans.parse_import", **LIMITS)
def parse_import(plan_import_id: int) -> None:
    plan_import_run_parse(plan_import_id=plan_import_id)


@shared_task(name="plans.confirm_import", **LIMITS)
def confirm_import(plan_import_id: int) -> None:
    plan_import_run_confirm(plan_import_id=plan_import_id)


JOBS = {"parse": parse_import, "confirm": confirm_import}


def _send(job: str, plan_import_id: int) -> None:
    try:
        JOBS[job].apply_async((plan_import_id,), retry=False, ignore_result=True)
    except Exception as exc:  # kombu, redis and socket errors alike: the broker could not take it
        log.warning("import %s: %s job not queued (%s)", plan_import_id, job, exc)
        plan_import_job_fail(plan_import_id=plan_import_id, message="后台任务队列暂时不可用,请稍后重试。")


def enqueue_job(job: str, plan_import_id: int) -> None:
    """Hand a job to a worker once the row that names it is committed."""
    if settings.PLAN_IMPORT_JOBS_INLINE or current_app.conf.task_always_eager:
        JOBS[job].apply((plan_import_id,))
        return
    transaction.on_commit(lambda: _send(job, plan_import_id))
