from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _build_task(sender, *, plan, clause, item, **kwargs):
    from tasks.services import task_build_from_clause

    task_build_from_clause(plan=plan, clause=clause, item=item)


def _record_registry_change(sender, *, actor, verb, obj, before, after, **kwargs):
    from tasks.services import activity_record

    activity_record(actor=actor, verb=verb, obj=obj, before=before, after=after)


class TasksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tasks"
    verbose_name = "任务"

    def ready(self):
        from org.signals import registry_changed
        from plans.signals import task_clause_confirmed
        from tasks.schedule import ensure_periodic_tasks

        post_migrate.connect(ensure_periodic_tasks, sender=self, dispatch_uid="tasks.ensure_periodic_tasks")
        task_clause_confirmed.connect(_build_task, dispatch_uid="tasks.build_task_from_clause")
        registry_changed.connect(_record_registry_change, dispatch_uid="tasks.record_registry_change")
