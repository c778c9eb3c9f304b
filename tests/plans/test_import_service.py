from datetime import date

import pytest

from core.errors import DomainError
from org.models import Department
from plans.models import Clause, Plan, PlanImport
from plans.services import (
    plan_import_confirm,
    plan_import_correct,
    plan_import_document,
    plan_import_preview,
)
from tasks.models import Assignment, Phase, Task
from tests.plans.conftest import CORPUS

pytestmark = pytest.mark.django_db

COUNTY_GOVERNMENTS = {"城东区政府", "城中区政府", "城西区政府", "城北区政府", "大通县政府", "湟中县政府", "湟源县政府"}


def _task(plan, path):
    return Task.objects.get(plan=plan, clause__path=path)


def _units(task, role):
    return set(task.assignments.filter(role=role).values_list("department__name", flat=True))


def test_confirmed_preview_becomes_a_tracked_plan(directory, demo_plan_bytes, personas):
    plan_import = plan_import_preview(data=demo_plan_bytes, filename="plan.txt", user=personas.supervisor)
    assert Plan.objects.count() == 0  # a preview creates nothing
    (plan,) = plan_import_confirm(plan_import=plan_import, user=personas.supervisor)

    assert plan.doc_number == "示教发〔2026〕12号"
    assert plan.issued_on == date(2026, 3, 2)
    assert plan.status == Plan.Status.ACTIVE
    assert plan.created_by == personas.supervisor
    # the clause tree keeps labels as written and parents by numbering
    section = Clause.objects.get(plan=plan, path="二、")
    assert set(section.children.values_list("label", flat=True)) == {"(一)", "(二)", "(三)", "(四)"}
    assert not hasattr(section, "task") or section.task is None

    # (一) 责任单位 with 列第一位的单位为牵头单位: a collective lead expands to every county government
    coverage = _task(plan, "二、/(一)")
    assert _units(coverage, Assignment.Role.LEAD) == COUNTY_GOVERNMENTS
    assert _units(coverage, Assignment.Role.CO) == {"市教育局"}
    assert coverage.due_date == date(2026, 9, 30)
    # (二) 下同 carries the convention on
    content = _task(plan, "二、/(二)")
    assert _units(content, Assignment.Role.LEAD) == {"市教育局"}
    assert _units(content, Assignment.Role.CO) == {"市科技局", "市文旅局", "市体育局"}
    # (三) 牵头单位/配合单位 on lines of their own after the text
    funding = _task(plan, "二、/(三)")
    assert _units(funding, Assignment.Role.LEAD) == {"市财政局"}
    assert _units(funding, Assignment.Role.CO) == {"市教育局", "市发改委", "市人社局"}
    assert funding.due_date == date(2026, 6, 30)
    # (四) prose lead and a yearly deadline
    review = _task(plan, "二、/(四)")
    assert _units(review, Assignment.Role.LEAD) == {"市教育局"}
    assert review.recurrence.startswith("yearly")

    # phases: the steps keep their own names and dates
    preparation = Phase.objects.get(task__plan=plan, name__contains="筹备")
    assert preparation.kind == Phase.Kind.PREPARATION
    assert (preparation.start_date, preparation.end_date) == (date(2026, 3, 1), date(2026, 5, 31))
    evaluation = Phase.objects.get(task__plan=plan, name__contains="总结评估")
    assert evaluation.kind == Phase.Kind.EVALUATION

    plan_import.refresh_from_db()
    assert plan_import.state == PlanImport.State.CONFIRMED
    assert list(plan_import.plans.all()) == [plan]


def test_importing_the_same_document_twice_says_it_exists(directory, demo_plan_bytes):
    (first,) = plan_import_document(data=demo_plan_bytes, filename="plan.txt")
    second = plan_import_preview(data=demo_plan_bytes.decode("utf-8"))  # pasted this time
    assert second.result["plans"][0]["existing_plan_id"] == first.pk
    with pytest.raises(DomainError) as excinfo:
        plan_import_confirm(plan_import=second)
    assert "已经导入过" in excinfo.value.message_zh
    assert (excinfo.value.code, excinfo.value.details) == ("duplicate", {"plan": first.pk})
    assert Plan.objects.count() == 1


def test_unknown_unit_is_kept_for_review_never_dropped(directory):
    text = (
        "某市教育局关于印发某某工作方案的通知\n\n某某工作方案\n\n一、主要任务\n\n"
        "(一)建设智慧校园,2026年底前完成。(牵头单位:市教育局;配合单位:市智慧城市办)\n"
    )
    (plan,) = plan_import_document(data=text)
    task = plan.tasks.get()
    unknown = Department.objects.get(name="市智慧城市办")
    assert unknown.needs_review
    assert task.assignments.get(department=unknown).role == Assignment.Role.CO


def test_corrections_change_what_confirm_builds(directory, demo_plan_bytes):
    plan_import = plan_import_preview(data=demo_plan_bytes)
    clauses = plan_import.result["plans"][0]["clauses"]
    index = next(i for i, c in enumerate(clauses) if c["path"] == "二、/(二)")
    plan_import_correct(
        plan_import=plan_import,
        corrections=[{"plan": 0, "clause": index, "lead": ["市科技局"], "co": [], "due": "2026-11-30"}],
    )
    (plan,) = plan_import_confirm(plan_import=plan_import)
    task = _task(plan, "二、/(二)")
    assert _units(task, Assignment.Role.LEAD) == {"市科技局"}
    assert _units(task, Assignment.Role.CO) == set()
    assert task.due_date == date(2026, 11, 30)


def test_a_failed_confirm_leaves_nothing_half_written(directory, demo_plan_bytes):
    plan_import = plan_import_preview(data=demo_plan_bytes)
    # a second copy of the same plan in one import: the second fails after the first was built
    plan_import.result["plans"].append(plan_import.result["plans"][0])
    plan_import.save()
    with pytest.raises(DomainError, match="已经导入过"):
        plan_import_confirm(plan_import=plan_import)
    assert (Plan.objects.count(), Clause.objects.count(), Task.objects.count(), Assignment.objects.count()) == (
        0,
        0,
        0,
        0,
    )
    plan_import.refresh_from_db()
    assert plan_import.state == PlanImport.State.PREVIEW


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "empty"), (bytes(range(256)) * 40, None), (b"PK\x03\x04broken zip", None)],
)
def test_bad_input_gets_a_clear_error_and_creates_nothing(directory, data, code):
    with pytest.raises(DomainError) as excinfo:
        plan_import_document(data=data, filename="upload.bin")
    assert excinfo.value.message_zh  # a message for the user, in Chinese
    assert any("\u4e00" <= ch <= "\u9fff" for ch in excinfo.value.message_zh)
    if code:
        assert excinfo.value.code == code
    assert (Plan.objects.count(), PlanImport.objects.count()) == (0, 0)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not beside the project")
def test_corpus_plan_with_collective_leads_imports_whole(directory):
    (plan,) = plan_import_document(data=(CORPUS / "004_72fade767b193fd1.txt").read_bytes(), undated_cadence="quarterly")
    assert plan.doc_number == "寧政辦〔2017〕164號"
    assert plan.tasks.count() >= 20
    assert not Department.objects.filter(needs_review=True).exists()
    # every task has a lead; 各縣區政府 as first unit makes every county government a lead
    assert not plan.tasks.filter(assignments__isnull=True).exists()
    led_by_counties = [t for t in plan.tasks.all() if COUNTY_GOVERNMENTS <= _units(t, Assignment.Role.LEAD)]
    assert led_by_counties
