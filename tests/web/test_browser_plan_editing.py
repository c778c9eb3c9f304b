"""A supervisor keeps a confirmed plan right in a real browser (Debian's chromium through Playwright):
edits a task, adds a unit, removes a task, closes the plan. Photographed at 1366 and 375 px."""

from datetime import date

import pytest

from org.models import Department
from plans.models import Plan
from tasks.models import Task
from tests.web.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_supervisor_edits_a_task_adds_a_unit_removes_a_task_and_closes_the_plan(live_server, page, shots, world):
    Department.objects.create(name="市体育局")
    url = live_server.url
    sign_in(page, live_server, "supervisor")

    page.goto(f"{url}/tasks/{world.task_a.pk}/")
    page.click("a.button >> text=修改任务")
    page.wait_for_url(f"{url}/tasks/{world.task_a.pk}/edit/")
    shots.take("30-task-edit")
    page.fill("#id_due_date", "2027-06-30")
    page.click("#details button >> text=保存修改")
    page.wait_for_selector("#messages >> text=任务已修改")
    page.select_option("#id_department", label="市体育局")
    page.click("#units button >> text=增加单位")
    page.wait_for_selector("#messages >> text=已增加责任单位")
    assert page.locator("#units li", has_text="市体育局").count() == 1
    world.task_a.refresh_from_db()
    assert world.task_a.due_date == date(2027, 6, 30)
    assert sorted(world.task_a.assignments.values_list("department__name", flat=True)) == [
        "市体育局",
        "市教育局",
        "市财政局",
    ]

    page.goto(f"{url}/tasks/{world.task_b.pk}/edit/")
    page.click("#remove button >> text=删除任务")  # the confirm() dialog is accepted by the page fixture
    page.wait_for_url(f"{url}/plans/{world.plan.pk}/")
    page.wait_for_selector("#messages >> text=任务已删除")
    assert not Task.objects.filter(pk=world.task_b.pk).exists()

    page.click("a.button >> text=修改方案")
    page.wait_for_url(f"{url}/plans/{world.plan.pk}/edit/")
    shots.take("31-plan-edit")
    page.fill("#id_end-reason", "各项任务均已完成")
    page.click("#end button >> text=确认")
    page.wait_for_url(f"{url}/plans/{world.plan.pk}/")
    page.wait_for_selector("#closing >> text=各项任务均已完成")
    shots.take("32-plan-closed")
    assert Plan.objects.get(pk=world.plan.pk).status == "closed"
    assert page.locator("a.button", has_text="修改方案").count() == 0
    assert not page.js_errors, page.js_errors
