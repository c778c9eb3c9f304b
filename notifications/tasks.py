"""Celery tasks: thin doors to the services. Settings give them acks_late and
reject-on-worker-lost, so a task cut short by a dying worker runs again."""

from celery import shared_task
from celery.signals import worker_process_shutdown, worker_shutdown
from django.utils import timezone

from notifications.channels import worker_sessions
from notifications.delivery import longest_countdown, notification_deliver
from notifications.outbox import outbox_requeue_stale
from notifications.sweep import sweep_run


@shared_task(name="notifications.sweep")
def sweep() -> int:
    return len(sweep_run(at=timezone.now()).written)


@shared_task(name="notifications.deliver", bind=True)
def deliver(self, notification_id: int) -> str:
    outcome = notification_deliver(notification_id=notification_id, sessions=worker_sessions())
    if outcome.retry_in is not None:
        longest = longest_countdown()
        if longest is None or outcome.retry_in <= longest:
            raise self.retry(countdown=outcome.retry_in, max_retries=None)
        return "retry_later"  # the row stays due at its time; requeue_stale hands it out then
    return outcome.state


@shared_task(name="notifications.requeue_stale")
def requeue_stale() -> int:
    return len(outbox_requeue_stale())


@worker_shutdown.connect  # the solo pool: the worker itself delivers
@worker_process_shutdown.connect  # the prefork pool: each child delivers
def _close_kept_connections(**kwargs) -> None:
    worker_sessions().close()
