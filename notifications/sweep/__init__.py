"""The sweep: decide from the current state of tasks what each person hears today, and write it.

It reads state at run time, so completing an assignment stops its reminders and an approved
extension (which sets Assignment.due_date) restarts them against the new date, with no hook in
tasks. Each recipient gets one row per day holding all their items, written at the first run on
or after their chosen digest hour.

One step per module, in the order they run:
  candidates  the open assignments of active plans that may call for a notice today (the database
              picks them), and the plans, phase ends and policies their items name;
  deadlines   each policy's rules of the day, every deadline worked out once (`notifications.rules`
              is the definition);
  collector   the candidates made into items, filed by department, heads and supervisors;
  audience    one digest per person whose hour has come;
  writing     the digests into the outbox, once per person and day.
"""

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from notifications.models import Notification
from notifications.sweep import candidates
from notifications.sweep.audience import Planned, planned_digests
from notifications.sweep.collector import Collector
from notifications.sweep.writing import digests_write, taken
from notifications.workdays import is_working_day
from org.models import Department

__all__ = ["Planned", "SweepResult", "sweep_run"]


@dataclass
class SweepResult:
    at: datetime
    day: date
    working_day: bool
    planned: list[Planned] = field(default_factory=list)
    written: list[Notification] = field(default_factory=list)

    @property
    def new(self) -> list[Planned]:
        return [p for p in self.planned if not p.already_written]


@contextmanager
def _without_cycle_collection():
    """The sweep makes some 10^5 dicts and tuples and no reference cycles; left on, the cycle collector
    walks them again and again as they pile up (a quarter of the time at province scale)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _digests(*, day: date, hour: int) -> list[Planned]:
    """What each person hears today. The candidate rows and the collector end with this call, so that
    the cycle collector, back on, finds only the digests."""
    default_rules, rules_by_plan = candidates.day_rules(day)
    rows = candidates.candidate_rows(default_rules=default_rules, rules_by_plan=rules_by_plan)
    # Names are read after the rows, so that a plan or department made meanwhile is among them.
    departments = dict(Department.objects.values_list("pk", "name"))
    every_rules = list({id(r): r for r in (default_rules, *rules_by_plan.values())}.values())
    collected = Collector(
        plans=candidates.active_plans(),
        rules_by_plan=rules_by_plan,
        default_rules=default_rules,
        phase_ends=candidates.phase_ends(every_rules),
    )
    collected.add(rows, departments)
    return planned_digests(day=day, hour=hour, collected=collected, departments=departments)


def sweep_run(*, at: datetime, dry_run: bool = False) -> SweepResult:
    """Decide what goes out at `at` and, unless dry_run, write it to the outbox (delivery follows on commit).

    A constant number of queries whatever the number of assignments: the database returns only
    the assignments that may call for a notice today (`candidates.candidate_filter`), and the rules,
    which depend on dates alone, are worked out once per deadline.
    """
    local = timezone.localtime(at)
    day = local.date()
    result = SweepResult(at=at, day=day, working_day=is_working_day(day))
    if not result.working_day:
        return result

    with _without_cycle_collection():
        result.planned = _digests(day=day, hour=local.hour)

    already = taken([p.dedup_key for p in result.planned])
    for planned in result.planned:
        planned.already_written = planned.dedup_key in already
    if not dry_run:
        result.written = digests_write(planned=result.planned, day=day)
    return result
