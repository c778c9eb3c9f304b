"""The wizard on corpus 000 (three plans in one notice): the checklist, bulk fixes, proposals, refusal, discard."""

import os
import re

import pytest
from django.urls import reverse

from plans.demo import seed_directory
from plans.models import Plan, PlanImport
from tests.plans.conftest import CORPUS

YINCHUAN = CORPUS / "000_d4ef94a5bedde949.txt"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not YINCHUAN.is_file(), reason="shared corpus not beside the project"),
]


@pytest.fixture
def supervisor(signed_in, personas):
    seed_directory()
    return signed_in("supervisor")


@pytest.fixture
def yinchuan(supervisor):
    text = YINCHUAN.read_text(encoding="utf-8")
    response = supervisor.post(reverse("plans:import"), {"text": text})
    plan_import = PlanImport.objects.get()
    assert response["Location"] == f"/plans/import/{plan_import.pk}/"
    return plan_import


def page(client, plan_import) -> str:
    return client.get(reverse("plans:import_preview", args=[plan_import.pk])).content.decode()


def total(body: str) -> int:
    return int(re.search(r"需要核对的提示[(（](\d+)[)）]", body).group(1))


def missing_tasks(body: str) -> int:
    found = re.search(r"确认前还要补齐:(\d+) 项任务", body)
    return int(found.group(1)) if found else 0


def bulk(client, plan_import, plan_index, **fields):
    data = {f"bulk{plan_index}-{k}": v for k, v in fields.items()}
    return client.post(reverse("plans:import_bulk", args=[plan_import.pk, plan_index]), data)


def test_every_warning_is_named_by_its_clause_and_sits_on_it(supervisor, yinchuan):
    body = page(supervisor, yinchuan)
    assert total(body) == 71 and missing_tasks(body) == 13
    assert '<tr data-code="lead_from_issuer"><td>牵头单位取自发文单位</td><td>38</td></tr>' in body
    # the list names the clause and links to its card, which carries the same warning
    assert '<a href="#clause-0-2">1.强化立德树人导向</a> · <span class="tag">牵头单位取自发文单位</span>' in body
    card = body[body.index('id="clause-0-2"') : body.index('id="clause-0-3"')]
    assert card.count('data-code="lead_from_issuer"') == 1 and card.count('data-code="due_from_plan_period"') == 1
    # each missing item links to its clause
    missing = body[body.index('id="missing"') : body.index('id="warnings"')]
    assert len(re.findall(r'<li><a href="(\?page=\d+)?#clause-\d+-\d+">', missing)) == 13
    assert re.search(r'<a href="\?page=2#clause-1-10">[^<]*7个学校发展共同体组成</a>:没有完成时限', missing)


def test_confirm_is_refused_while_a_task_has_no_date_and_nothing_is_built(supervisor, yinchuan):
    response = supervisor.post(reverse("plans:import_confirm", args=[yinchuan.pk]))
    assert response["Location"] == f"/plans/import/{yinchuan.pk}/#missing"
    body = supervisor.get(response["Location"]).content.decode()
    assert "还有 13 项任务缺少牵头单位或完成时限" in body
    assert Plan.objects.count() == 0 and PlanImport.objects.get().job_state == "done"


def test_bulk_fixes_and_proposals_clear_the_checklist_then_confirm_builds_everything(supervisor, yinchuan):
    # every clause of plan 2 with no date: 按周期报送, monthly — ten warnings go, the counts follow
    response = bulk(
        supervisor, yinchuan, 1, select="warning", warning="task_without_due", due_kind="periodic",
        reporting_cadence="monthly",
    )  # fmt: skip
    assert response.status_code == 302
    body = supervisor.get(response["Location"]).content.decode()
    assert "已批量修改;提示减少 10 条。" in body
    assert total(body) == 61 and missing_tasks(body) == 3

    # ticked by hand in plan 3: a lead and a date for three clauses in one action
    ticked = ["4", "11", "12"]
    response = bulk(supervisor, yinchuan, 2, select="ticked", clauses=ticked, lead="市教育局", due="2019-12-31")
    body = supervisor.get(response["Location"]).content.decode()
    assert "提示减少 6 条" in body and total(body) == 55 and missing_tasks(body) == 0

    # the importer's proposals for plan 1, accepted in one click
    response = supervisor.post(reverse("plans:import_accept", args=[yinchuan.pk, 0]))
    body = supervisor.get(response["Location"]).content.decode()
    assert total(body) == 55 - 30

    response = supervisor.post(reverse("plans:import_confirm", args=[yinchuan.pk]))
    plans = list(Plan.objects.order_by("pk"))
    assert response["Location"] == f"/plans/{plans[0].pk}/"
    assert [p.tasks.count() for p in plans] == [16, 21, 8]
    assert not any(t.assignments.filter(role="lead").count() == 0 for p in plans for t in p.tasks.all())


def test_a_bulk_action_without_a_selection_or_a_change_says_what_is_missing(supervisor, yinchuan):
    response = bulk(supervisor, yinchuan, 0, select="ticked", lead="市教育局")
    assert response.status_code == 400 and "请先勾选要修改的条款" in response.content.decode()
    response = bulk(supervisor, yinchuan, 0, select="section", section="二、")
    assert response.status_code == 400 and "请至少填写一项要修改的内容" in response.content.decode()
    assert total(page(supervisor, yinchuan)) == 71


def test_a_warning_marked_checked_leaves_the_list(supervisor, yinchuan):
    url = reverse("plans:import_clause_dismiss", args=[yinchuan.pk, 0, 18])
    response = supervisor.post(url, {"code": "numbering"})
    assert response["Location"].endswith("#clause-0-18")
    assert total(page(supervisor, yinchuan)) == 70


def test_an_unfinished_import_is_discarded_with_its_file(supervisor, tmp_path, django_capture_on_commit_callbacks):
    upload = tmp_path / "plan.txt"
    upload.write_bytes(YINCHUAN.read_bytes())
    with upload.open("rb") as handle:
        supervisor.post(reverse("plans:import"), {"file": handle})
    plan_import = PlanImport.objects.get()
    stored = plan_import.source_file.path
    assert os.path.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the row's deletion is committed
        response = supervisor.post(reverse("plans:import_discard", args=[plan_import.pk]))
    assert response["Location"] == reverse("plans:import")
    assert PlanImport.objects.count() == 0
    assert not os.path.exists(stored)


def test_the_job_panel_tells_the_polling_page_to_reload_once_the_job_is_done(supervisor, yinchuan):
    response = supervisor.get(reverse("plans:import_job", args=[yinchuan.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
