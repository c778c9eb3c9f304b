"""The preview as a checklist (corpus 000, the Yinchuan notice: three plans in one file).

What a supervisor does in the wizard, on the preview JSON: count what is left, fix it in
bulk, accept the importer's proposals, and see the counts and the missing list follow.
"""

from collections import Counter

import pytest

from core.errors import DomainError
from plans.checklist import checklist, checklist_counts, record_proposals, warning_resolved
from plans.corrections import apply_corrections
from plans.importing.output import result_to_json
from plans.importing.parse import parse_document
from plans.importing.registry import default_registry
from plans.readiness import clause_missing, import_missing
from tests.plans.conftest import CORPUS

YINCHUAN = CORPUS / "000_d4ef94a5bedde949.txt"
pytestmark = pytest.mark.skipif(not YINCHUAN.is_file(), reason="shared corpus not beside the project")


@pytest.fixture(scope="module")
def yinchuan():
    preview = result_to_json(parse_document(YINCHUAN.read_bytes(), filename=YINCHUAN.name, registry=default_registry()))
    record_proposals(preview)
    return preview


def codes(preview) -> Counter:
    return Counter(item.code for item in checklist(preview))


def test_every_warning_names_its_clause_and_links_to_it(yinchuan):
    items = checklist(yinchuan)
    assert len(items) == 71
    first_lead = next(i for i in items if i.code == "lead_from_issuer")
    assert (first_lead.plan, first_lead.clause, first_lead.clause_title) == (0, 2, "1.强化立德树人导向")
    assert first_lead.anchor == "clause-0-2"
    assert first_lead.label == "牵头单位取自发文单位"
    # a plan's date typo sits on the clause whose text holds it; the notice's own, on the document
    typo = next(i for i in items if i.code == "date_typo" and i.plan == 1)
    assert (typo.clause, typo.clause_title, typo.anchor) == (11, "2)实施步骤", "clause-1-11")
    notice = next(i for i in items if i.span == (672, 681))
    assert (notice.plan, notice.clause_title, notice.anchor) == (None, "全文", "plan-0")
    assert checklist_counts(items)[:3] == [
        ("lead_from_issuer", "牵头单位取自发文单位", 38),
        ("due_from_plan_period", "时限取自方案期末", 14),
        ("task_without_due", "没有完成时限", 13),
    ]


def test_a_bare_recurrence_is_proposed_as_periodic_reporting(yinchuan):
    clause = yinchuan["plans"][2]["clauses"][9]  # (三)开展教育科研协作: 每季度
    assert (clause["due"], clause["due_kind"], clause["reporting_cadence"]) == (None, "periodic", "quarterly")
    assert clause_missing(clause) == []


def test_confirm_lists_exactly_the_undated_tasks(yinchuan):
    missing = import_missing(yinchuan)
    assert len(missing) == 13
    assert {m.code for m in missing} == {"no_due"}
    assert [(m.plan, m.clause) for m in missing][:2] == [(1, 10), (1, 13)]
    assert missing[0].as_dict()["anchor"] == "clause-1-10"
    assert sum(1 for m in missing if m.plan == 2) == 3


def test_bulk_by_warning_marks_undated_tasks_and_the_warnings_go(yinchuan):
    ongoing = apply_corrections(
        yinchuan, [{"plan": 1, "select": {"warning": "task_without_due"}, "due_kind": "ongoing"}]
    )
    # 长期 without a cadence is still not followed: the same ten tasks now lack a cadence
    assert Counter(m.code for m in import_missing(ongoing)) == {"no_cadence": 10, "no_due": 3}
    assert codes(ongoing)["task_without_due"] == 13

    monthly = apply_corrections(
        ongoing, [{"plan": 1, "select": {"warning": "task_without_due"}, "reporting_cadence": "monthly"}]
    )
    assert Counter(m.code for m in import_missing(monthly)) == {"no_due": 3}
    assert codes(monthly)["task_without_due"] == 3
    assert len(checklist(monthly)) == 71 - 10


def test_bulk_by_hand_and_by_section_set_lead_co_and_due_in_one_action(yinchuan):
    corrected = apply_corrections(
        yinchuan,
        [
            {"plan": 2, "clauses": [4, 11, 12], "lead": ["市教育局"], "co": ["永宁县人民政府"], "due": "2019-12-31"},
            {"plan": 1, "select": {"section": "五、"}, "due": "2019-12-31"},
        ],
    )
    plan = corrected["plans"][2]
    for index in (4, 11, 12):
        assert (plan["clauses"][index]["lead"], plan["clauses"][index]["due"]) == (["市教育局"], "2019-12-31")
        assert plan["clauses"][index]["warnings"] == []  # lead changed and a date given: both warnings resolved
    assert plan["clauses"][5]["lead"] == ["市教育局", "永宁县教体局"]  # not selected, not touched
    assert all(c["due"] == "2019-12-31" for c in corrected["plans"][1]["clauses"] if c["path"].startswith("五、"))
    assert Counter(m.code for m in import_missing(corrected)) == {"no_due": 8}
    assert len(checklist(corrected)) == 71 - 3 * 2 - 2


def test_accepting_the_proposals_is_one_correction_per_plan(yinchuan):
    accepted = apply_corrections(yinchuan, [{"plan": 0, "accept_defaults": True}])
    assert codes(accepted)["due_from_plan_period"] == 0
    assert codes(accepted)["lead_from_issuer"] == 38 - 16
    assert len(checklist(accepted)) == 71 - 16 - 14
    assert accepted["plans"][0]["clauses"][2]["lead"] == ["市委办公室"]  # the values stay: accepted
    assert accepted["plans"][0]["clauses"][2]["due"] == "2023-12-31"


def test_a_warning_marked_checked_goes_and_a_bad_selection_is_refused(yinchuan):
    checked = apply_corrections(yinchuan, [{"plan": 0, "clause": 18, "dismiss": ["numbering"]}])
    assert codes(checked)["numbering"] == 0
    with pytest.raises(DomainError, match="没有符合所选条件的条款"):
        apply_corrections(yinchuan, [{"plan": 0, "select": {"warning": "task_without_due"}, "due": "2023-12-31"}])
    with pytest.raises(DomainError, match="批量修改不能修改字段 text"):
        apply_corrections(yinchuan, [{"plan": 0, "clauses": [2], "text": "改写"}])
    with pytest.raises(DomainError, match="报送周期应为"):
        apply_corrections(yinchuan, [{"plan": 0, "clauses": [2], "reporting_cadence": "daily"}])


def _clause(**fields):
    return {"is_task": True, "lead": ["市教育局"], "co": [], "due": None, "warnings": [], "marks": [], **fields}


@pytest.mark.parametrize(
    ("clause", "code", "resolved"),
    [
        (_clause(lead=[]), "task_without_unit", False),
        (_clause(), "task_without_unit", True),
        (_clause(is_task=False, lead=[]), "task_without_unit", True),
        (_clause(), "task_without_due", False),
        (_clause(due="2026-12-31"), "task_without_due", True),
        (_clause(due_kind="periodic", reporting_cadence="none"), "task_without_due", False),
        (_clause(due_kind="periodic", reporting_cadence="semester"), "task_without_due", True),
        (_clause(proposed={"lead": ["市教育局"]}), "lead_from_issuer", False),
        (_clause(lead=["市财政局"], proposed={"lead": ["市教育局"]}), "lead_from_issuer", True),
        (_clause(due="2023-12-31", proposed={"due": "2023-12-31"}), "due_from_plan_period", False),
        (_clause(due="2023-06-30", proposed={"due": "2023-12-31"}), "due_from_plan_period", True),
        (_clause(due="2023-12-31", due_kind="ongoing", proposed={"due": "2023-12-31"}), "due_from_plan_period", True),
        (_clause(co=["某某办"], marks=[{"kind": "co", "span": [3, 6], "unit": "某某办"}]), "unknown_unit", False),
        (_clause(co=[], marks=[{"kind": "co", "span": [3, 6], "unit": "某某办"}]), "unknown_unit", True),
        (_clause(), "numbering", False),
    ],
)
def test_which_warnings_a_clause_has_resolved(clause, code, resolved):
    assert warning_resolved(clause, {"code": code, "span": [3, 6]}) is resolved


def test_a_unit_registered_in_the_directory_resolves_its_warning():
    clause = _clause(co=["某某办"], marks=[{"kind": "co", "span": [3, 6], "unit": "某某办"}])
    warning = {"code": "unknown_unit", "span": [3, 6]}
    assert warning_resolved(clause, warning, known_unit=lambda name: name == "某某办")
