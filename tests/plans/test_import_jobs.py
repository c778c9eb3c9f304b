"""The import's background jobs as services: their states, refusals while one runs, a lost job, discard.

Jobs run in the test's own process here (PLAN_IMPORT_JOBS_INLINE); tests/plans/test_import_worker.py
runs them in a real worker.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core.errors import DomainError
from plans.models import Plan, PlanImport
from plans.selectors import IMPORT_JOB_TIME_LIMIT, import_job
from plans.services import (
    plan_import_correct,
    plan_import_discard,
    plan_import_request_confirm,
    plan_import_retry,
    plan_import_submit,
)
from tests.pdfs import pages_pdf

pytestmark = pytest.mark.django_db


def test_a_paste_is_parsed_by_its_job(directory, demo_plan_bytes, personas):
    plan_import = plan_import_submit(data=demo_plan_bytes.decode(), user=personas.supervisor)
    plan_import.refresh_from_db()
    assert import_job(plan_import) == {
        "kind": "parse",
        "kind_label": "解析",
        "state": "done",
        "state_label": "已完成",
        "progress": 100,
        "error": "",
        "in_flight": False,
        "lost": False,
    }
    assert plan_import.outline["plans"][0]["clauses"][0].keys() <= plan_import.result["plans"][0]["clauses"][0].keys()
    assert "text" not in plan_import.outline["plans"][0]["clauses"][0]


def test_a_document_the_job_cannot_read_fails_it_in_chinese(directory, personas):
    scan = pages_pdf(1, line="")  # a sound PDF with no text layer: only reading its pages tells
    plan_import = plan_import_submit(data=scan, filename="plan.pdf", user=personas.supervisor)
    plan_import.refresh_from_db()
    assert plan_import.job_state == "failed"
    assert "PDF 没有文字层" in plan_import.job_error
    assert plan_import.result == {}


def test_a_damaged_pdf_is_refused_before_any_job(directory, personas):
    with pytest.raises(DomainError, match="PDF 文件已损坏或已加密,无法读取"):
        plan_import_submit(data=b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", filename="plan.pdf",
                           user=personas.supervisor)  # fmt: skip
    assert PlanImport.objects.count() == 0


def test_a_broken_docx_is_refused_before_any_job(directory, personas):
    with pytest.raises(DomainError, match="压缩格式损坏,无法作为 .docx 文件读取"):
        plan_import_submit(data=b"PK\x03\x04broken zip", filename="plan.docx", user=personas.supervisor)
    assert PlanImport.objects.count() == 0


def test_plain_junk_is_refused_before_any_job(directory, personas):
    with pytest.raises(DomainError) as refusal:
        plan_import_submit(data=bytes(range(256)) * 40, filename="x.bin", user=personas.supervisor)
    assert refusal.value.code == "encoding"
    assert PlanImport.objects.count() == 0


def _confirm_in_flight(plan_import, *, at=None):
    PlanImport.objects.filter(pk=plan_import.pk).update(
        job="confirm", job_state="running", job_updated_at=at or timezone.now()
    )
    plan_import.refresh_from_db()
    return plan_import


def test_while_a_confirm_runs_the_preview_cannot_change_or_be_discarded(directory, demo_plan_bytes, personas):
    plan_import = _confirm_in_flight(plan_import_submit(data=demo_plan_bytes.decode(), user=personas.supervisor))
    with pytest.raises(DomainError, match="正在确认导入,请等它完成后再操作") as refusal:
        plan_import_correct(plan_import=plan_import, corrections=[{"plan": 0, "title": "另一个标题"}])
    assert refusal.value.conflict
    with pytest.raises(DomainError, match="正在确认导入"):
        plan_import_discard(plan_import=plan_import)
    with pytest.raises(DomainError, match="正在确认导入"):
        plan_import_request_confirm(plan_import=plan_import)


def test_a_job_not_heard_of_past_its_time_limit_is_lost_and_may_be_confirmed_again(
    directory, demo_plan_bytes, personas
):
    started = timezone.now()
    plan_import = _confirm_in_flight(
        plan_import_submit(data=demo_plan_bytes.decode(), user=personas.supervisor), at=started
    )
    with time_machine.travel(started + timedelta(seconds=IMPORT_JOB_TIME_LIMIT + 59)):
        assert import_job(plan_import)["lost"] is False
    with time_machine.travel(started + timedelta(seconds=IMPORT_JOB_TIME_LIMIT + 61)):
        assert import_job(plan_import)["lost"] is True
        plan_import_request_confirm(plan_import=plan_import, user=personas.supervisor)
    plan_import.refresh_from_db()
    assert (plan_import.state, plan_import.job_state) == ("confirmed", "done")
    assert Plan.objects.count() == 1


def test_a_confirmed_import_is_not_discarded_nor_parsed_again(directory, demo_plan_bytes, personas):
    plan_import = plan_import_submit(data=demo_plan_bytes.decode(), user=personas.supervisor)
    plan_import_request_confirm(plan_import=plan_import, user=personas.supervisor)
    with pytest.raises(DomainError, match="这次导入已确认,不能丢弃"):
        plan_import_discard(plan_import=plan_import)
    with pytest.raises(DomainError, match="没有需要重新解析的内容"):
        plan_import_retry(plan_import=plan_import)
    assert PlanImport.objects.count() == 1 and Plan.objects.count() == 1


def test_an_incomplete_preview_is_refused_with_the_list_of_what_is_missing(directory, personas):
    text = (
        "某市教育局关于印发某某工作方案的通知\n\n某某工作方案\n\n一、主要任务\n\n"
        "(一)建设智慧校园。(牵头单位:市教育局)\n"
    )
    plan_import = plan_import_submit(data=text, user=personas.supervisor)
    with pytest.raises(DomainError) as refusal:
        plan_import_request_confirm(plan_import=plan_import, user=personas.supervisor)
    assert refusal.value.code == "incomplete"
    [missing] = refusal.value.details["missing"]
    assert (missing["code"], missing["anchor"]) == ("no_due", f"clause-0-{missing['clause']}")
    plan_import.refresh_from_db()
    assert (plan_import.job, plan_import.job_state) == ("parse", "done")  # no confirm job was queued
