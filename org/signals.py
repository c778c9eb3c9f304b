"""What org announces to the layers above: each change a supervisor makes to the registry.

The change record (tasks.models.ActivityLog) lives above org; tasks.apps connects it. Receivers run
inside the service's transaction, so the record stands or falls with the change.
"""

from django.dispatch import Signal

# actor, verb (the service's name, e.g. department_update), obj, before, after (dicts of plain values)
registry_changed = Signal()
