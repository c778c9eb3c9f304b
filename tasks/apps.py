from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TasksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tasks"
    verbose_name = "任务"

    def ready(self):
        from tasks.schedule import ensure_periodic_tasks

        post_migrate.connect(ensure_periodic_tasks, sender=self, dispatch_uid="tasks.ensure_periodic_tasks")
