"""The beat schedule, kept in the database (django-celery-beat) so that an
administrator sees and edits it in the admin. Created after migrate when missing;
an existing entry is left as the administrator set it."""

from django.conf import settings

SCHEDULES = {
    "提醒扫描(每小时)": {"task": "notifications.sweep", "crontab": {"minute": "0", "hour": "*"}},
    "补发未送达的通知(每分钟)": {"task": "notifications.requeue_stale", "crontab": {"minute": "*", "hour": "*"}},
}


def schedules_setup(*, using: str = "default") -> list[str]:
    """Create the missing periodic tasks; returns the names created."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    created = []
    for name, spec in SCHEDULES.items():
        if PeriodicTask.objects.using(using).filter(name=name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.using(using).get_or_create(
            **spec["crontab"], day_of_week="*", day_of_month="*", month_of_year="*", timezone=settings.TIME_ZONE
        )
        PeriodicTask.objects.using(using).create(name=name, task=spec["task"], crontab=crontab)
        created.append(name)
    return created
