"""The periodic work of the tasks app, registered with django-celery-beat after every migrate."""

from django.conf import settings
from django.db import connections

SNAPSHOT_SCHEDULE_NAME = "每日单位完成情况快照"


def ensure_periodic_tasks(using="default", **kwargs) -> None:
    """Create or refresh the beat entry; running it again changes nothing (post_migrate)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    from tasks.tasks import SNAPSHOT_TASK

    # `migrate tasks` alone runs before django_celery_beat's tables exist; the next full migrate registers it.
    if PeriodicTask._meta.db_table not in connections[using].introspection.table_names():
        return
    # 00:20 local time: yesterday is over.
    schedule, _ = CrontabSchedule.objects.using(using).get_or_create(
        minute="20", hour="0", day_of_week="*", day_of_month="*", month_of_year="*", timezone=settings.TIME_ZONE
    )
    PeriodicTask.objects.using(using).update_or_create(
        name=SNAPSHOT_SCHEDULE_NAME, defaults={"task": SNAPSHOT_TASK, "crontab": schedule, "interval": None}
    )
