"""A supervisor takes a real notice (corpus 000: three plans in one) from paste to a plan kept right, in
a real browser (Debian's chromium through Playwright), photographed at 1366 and 375 px at each step:
the ownerless clauses get their lead in one action, confirm is refused while a task has no date, the
importer's proposals are accepted with one click per plan, and after confirm a task is edited, a
unit added, a task removed and the plan closed."""

import re

import pytest

from org.models import Department
from plans.demo import seed_directory
from plans.models import Plan, PlanImport
from tests.plans.conftest import CORPUS
from tests.web.conftest import sign_in

YINCHUAN = CORPUS / "000_d4ef94a5bedde949.txt"
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not YINCHUAN.is_file(), reason="shared corpus not beside the project"),
]
OWNERLESS = ["4", "11", "12"]  # the clauses of the notice's third plan that name no unit at all


def _count(page, pattern: str) -> int:
    found = re.search(pattern, page.locator("main").inner_text())
    return int(found.group(1)) if found else 0


def _warnings(page) -> int:
    return _count(page, r"需要核对的提示[(（](\d+)[)）]")


def _missing(page) -> int:
    return _count(page, r"确认前还要补齐:(\d+) 项任务")


def _show_plan(page, index: int) -> None:
    """The preview is paged by section: go to the page that holds this plan's clauses."""
    elsewhere = page.locator(f"#plan-{index} a", has_text="在第")
    if elsewhere.count():
        elsewhere.click()
        page.wait_for_selector(f"#plan-{index} details.bulk")


def _bulk(page, index: int, **choices) -> None:
    bulk = page.locator(f"#plan-{index} details.bulk")
    bulk.locator("summary").click()
    for name, value in choices.items():
        field = bulk.locator(f"[name='bulk{index}-{name}']")
        if name == "select":
            bulk.locator(f"input[name='bulk{index}-select'][value='{value}']").check()
        elif field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    bulk.locator("button", has_text="应用到所选条款").click()
    page.wait_for_selector("#messages >> text=已批量修改")


def test_from_a_pasted_notice_to_a_closed_plan(live_server, page, shots, personas):
    seed_directory()
    Department.objects.get_or_create(name="市体育局")
    url = live_server.url
    sign_in(page, live_server, "supervisor")

    page.goto(f"{url}/plans/import/")
    page.fill("#id_text", YINCHUAN.read_text(encoding="utf-8"))
    page.click("text=解析并预览")
    page.wait_for_url(re.compile(r".*/plans/import/\d+/(\?.*)?$"))
    preview = f"{url}/plans/import/{PlanImport.objects.get().pk}/"
    assert (_warnings(page), _missing(page)) == (71, 13)
    shots.take("40-import-checklist")

    # The third plan's ownerless clauses, ticked by hand, get their lead in one action.
    _show_plan(page, 2)
    for value in OWNERLESS:
        page.check(f"input[name='bulk2-clauses'][value='{value}']")
    _bulk(page, 2, select="ticked", lead="市教育局")
    after_leads = _warnings(page)
    assert after_leads < 71
    assert "缺少牵头单位" not in page.locator("#missing").inner_text()
    shots.take("41-ownerless-clauses-led")

    # Confirm is refused while a task has no date, and says what is missing.
    page.click("#confirm-import")  # the confirm() dialog is accepted by the page fixture
    page.wait_for_url(re.compile(r".*/plans/import/\d+/.*#missing$"))
    assert page.locator("#missing", has_text="没有完成时限").count() == 1
    assert Plan.objects.count() == 0
    shots.take("42-confirm-refused")

    # The importer's proposals (issuer as lead, the plan period's end as due date): one click per plan.
    for index in range(3):
        page.goto(preview)
        _show_plan(page, index)
        accept = page.locator(f"#plan-{index} form.accept-defaults button")
        if accept.count():
            accept.click()
            page.wait_for_selector("#messages")
    page.goto(preview)
    assert _warnings(page) < after_leads
    # What no proposal dates is followed by its reports instead: 按周期报送, quarterly, in one action a plan.
    for index in range(3):
        page.goto(preview)
        _show_plan(page, index)
        if page.locator(f"select[name='bulk{index}-warning'] option[value='task_without_due']").count():
            _bulk(page, index, select="warning", warning="task_without_due", due_kind="periodic",
                  reporting_cadence="quarterly")  # fmt: skip
    page.goto(preview)
    assert _missing(page) == 0
    shots.take("43-import-ready")

    page.click("#confirm-import")
    page.wait_for_url(re.compile(r".*/plans/\d+/$"))
    plans = list(Plan.objects.order_by("pk"))
    assert len(plans) == 3
    assert all(t.assignments.filter(role="lead").exists() for p in plans for t in p.tasks.all())
    assert all(t.due_date or t.due_kind != "dated" for p in plans for t in p.tasks.all())
    shots.take("44-plan-confirmed")

    # After confirm: edit a task, add a unit, remove a task, close the plan.
    plan = plans[0]
    first, second = list(plan.tasks.order_by("pk")[:2])
    page.goto(f"{url}/tasks/{first.pk}/")
    page.click("a.button >> text=修改任务")
    page.wait_for_url(f"{url}/tasks/{first.pk}/edit/")
    page.fill("#id_due_date", "2027-06-30")
    page.click("#details button >> text=保存修改")
    page.wait_for_selector("#messages >> text=任务已修改")
    page.select_option("#id_department", label="市体育局")
    page.click("#units button >> text=增加单位")
    page.wait_for_selector("#messages >> text=已增加责任单位")
    shots.take("45-task-edited")
    first.refresh_from_db()
    assert str(first.due_date) == "2027-06-30"
    assert first.assignments.filter(department__name="市体育局").exists()

    page.goto(f"{url}/tasks/{second.pk}/edit/")
    page.click("#remove button >> text=删除任务")
    page.wait_for_url(f"{url}/plans/{plan.pk}/")
    assert not plan.tasks.filter(pk=second.pk).exists()

    page.click("a.button >> text=修改方案")
    page.wait_for_url(f"{url}/plans/{plan.pk}/edit/")
    page.fill("#id_end-reason", "各项任务均已完成")
    page.click("#end button >> text=确认")
    page.wait_for_url(f"{url}/plans/{plan.pk}/")
    page.wait_for_selector("#closing >> text=各项任务均已完成")
    shots.take("46-plan-closed")
    assert Plan.objects.get(pk=plan.pk).status == "closed"
    assert not page.js_errors, page.js_errors
