from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _setup_schedules(sender, using="default", **kwargs):
    from django.db import connections
    from django_celery_beat.models import PeriodicTask

    from notifications.schedules import schedules_setup

    # `migrate notifications` alone may run before django_celery_beat's tables exist.
    if PeriodicTask._meta.db_table in connections[using].introspection.table_names():
        schedules_setup(using=using)


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "通知"

    def ready(self):
        post_migrate.connect(_setup_schedules, sender=self, dispatch_uid="notifications_setup_schedules")
