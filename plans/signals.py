"""What plans announce to the layers above (tasks builds on plans, plans never imports tasks).

Receivers run inside the sender's transaction, so what they build stands or falls with the plan.
"""

from django.dispatch import Signal

# A confirmed import made a clause its preview marks as a task: plan, clause, and item (the clause's
# preview dict: heading, text, due, lead, co, phases …). tasks.apps connects the builder.
task_clause_confirmed = Signal()
