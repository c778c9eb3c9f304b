"""Concurrent reports, reviews and requests on one assignment: no lost update, no double decision.

Real threads, each with its own PostgreSQL connection, released together by a barrier.
"""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from core.errors import DomainError
from tasks import services
from tasks.models import ActivityLog, Assignment, ExtensionRequest, ProgressReport, Task
from tests.figures import record

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]
THREADS = 8


def together(calls):
    """Run each call in its own thread, all released at once; return (results, errors) in order."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as exc:  # collected and asserted on by the test
            errors[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results, errors


def test_simultaneous_reports_are_all_kept(world, personas):
    part = world.part_a
    before = part.reports.count()
    logged = ActivityLog.objects.filter(verb="progress_report_submit").count()
    _, errors = together(
        [
            lambda n=n: services.progress_report_submit(
                assignment=part, author=personas.liaison_a, text=f"第{n}次报告", percent=10 + n
            )
            for n in range(THREADS)
        ]
    )
    assert errors == [None] * THREADS
    assert part.reports.count() == before + THREADS
    assert ActivityLog.objects.filter(verb="progress_report_submit").count() == logged + THREADS
    record("concurrent reports", threads=THREADS, stored=THREADS, lost=0)


def test_one_report_reviewed_at_once_by_many_is_decided_once(world, personas):
    report = world.report_a
    results, errors = together(
        [
            lambda approve=(n % 2 == 0): services.progress_report_review(
                report=report, reviewer=personas.supervisor, approve=approve, comment="并发审核"
            )
            for n in range(THREADS)
        ]
    )
    decided = [r for r in results if r is not None]
    assert len(decided) == 1
    assert all(isinstance(e, DomainError) and "已审核" in str(e) for e in errors if e is not None)
    report.refresh_from_db()
    assert report.review_state == decided[0].review_state
    assert (
        ActivityLog.objects.filter(object_id=report.pk, verb__startswith="progress_report_a").count()
        + (ActivityLog.objects.filter(object_id=report.pk, verb="progress_report_return").count())
        == 1
    )
    assert report.history.filter(review_state__in=["approved", "returned"]).count() == 1
    record("concurrent reviews of one report", threads=THREADS, decisions=1)


def test_two_leads_completed_at_once_complete_the_task(world, personas):
    """Each approval recomputes the task from its leads; without the task lock one would overwrite the other."""
    task = Task.objects.create(plan=world.plan_a, title="联合督导", due_date=date(2026, 12, 31))
    leads = services.task_assign(task=task, leads=[personas.dept_a, personas.dept_b])
    authors = {personas.dept_a.pk: personas.liaison_a, personas.dept_b.pk: personas.liaison_b}
    reports = [
        services.progress_report_submit(assignment=a, author=authors[a.department_id], text="完成", percent=100)
        for a in leads
    ]
    for _ in range(3):
        _, errors = together(
            [
                lambda r=r: services.progress_report_review(report=r, reviewer=personas.supervisor, approve=True)
                for r in reports
            ]
        )
        assert errors == [None, None]
        task.refresh_from_db()
        assert (task.state, task.progress) == ("completed", 100)
        assert set(Assignment.objects.filter(task=task).values_list("state", flat=True)) == {"completed"}
        # again, from the start
        ProgressReport.objects.filter(pk__in=[r.pk for r in reports]).update(
            review_state="pending", reviewer=None, reviewed_at=None
        )
        Assignment.objects.filter(task=task).update(state="not_started", progress=0, completed_on=None)
        Task.objects.filter(pk=task.pk).update(state="not_started", progress=0, completed_on=None)


def test_progress_approvals_race_with_completion(world, personas):
    """A late approval of 40% never undoes a completion approved at the same moment."""
    part = world.part_a
    low = world.report_a  # 40 %
    full = services.progress_report_submit(assignment=part, author=personas.liaison_a, text="完成", percent=100)
    _, errors = together(
        [
            lambda: services.progress_report_review(report=low, reviewer=personas.supervisor, approve=True),
            lambda: services.progress_report_review(report=full, reviewer=personas.supervisor, approve=True),
        ]
    )
    assert errors == [None, None]
    part.refresh_from_db()
    assert (part.state, part.progress) == ("completed", 100)


def test_simultaneous_extension_requests_leave_one_pending(world, personas):
    # a fresh assignment: the world's have pending requests already
    task = Task.objects.create(plan=world.plan_b, title="预算执行", due_date=date(2026, 9, 30))
    (part,) = services.task_assign(task=task, leads=[personas.dept_b])
    results, errors = together(
        [
            lambda n=n: services.extension_request_create(
                assignment=part, user=personas.liaison_b, requested_due_date=date(2026, 10, 1 + n), reason="并发申请"
            )
            for n in range(THREADS)
        ]
    )
    assert sum(r is not None for r in results) == 1
    assert all("待审批" in str(e) for e in errors if e is not None)
    assert ExtensionRequest.objects.filter(assignment=part, decision="pending").count() == 1
    record("concurrent extension requests", threads=THREADS, pending_after=1)
