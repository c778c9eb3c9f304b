"""Each role's main path in a real browser (Debian's chromium through Playwright).

A supervisor imports a plan (from ../shared/corpus, or demo/plan.txt without it), corrects
a clause and confirms; a liaison acknowledges and reports progress with evidence; the
supervisor approves it and the department board changes. Every page visited is
photographed at desktop and phone width into var/screenshots/.
"""

import re

import pytest

from org.models import Department, Membership
from plans.demo import seed_directory
from plans.models import Plan
from tasks.models import Assignment, ProgressReport
from tests.conftest import make_user
from tests.web.conftest import PDF, ROOT, sign_in, sign_out

CORPUS_PLAN = ROOT.parent / "shared" / "corpus" / "004_72fade767b193fd1.txt"
DEMO_PLAN = ROOT / "demo" / "plan.txt"


def plan_file():
    return CORPUS_PLAN if CORPUS_PLAN.is_file() else DEMO_PLAN


def completion_of(page, department: str) -> str:
    return page.locator(f'tr[data-department="{department}"] .completion').inner_text().strip()


@pytest.mark.django_db(transaction=True)
def test_import_report_approve_moves_the_board(live_server, page, shots, personas, tmp_path):
    seed_directory()
    education = Department.objects.get(name="市教育局")
    assert personas.dept_a == education
    url = live_server.url

    # --- The supervisor imports a plan and confirms it -------------------------------------------
    sign_in(page, live_server, "supervisor")
    assert "督查员" in page.locator("#who").inner_text()
    shots.take("01-home-supervisor-empty")
    page.click("nav.mainnav >> text=导入方案")
    page.wait_for_url(f"{url}/plans/import/")
    shots.take("02-import-start")
    page.set_input_files("#id_file", str(plan_file()))
    page.click("text=解析并预览")
    page.wait_for_url(re.compile(r".*/plans/import/\d+/$"))
    assert page.locator(".source mark.m-lead").count() > 0, "units are highlighted in the source"
    assert page.locator(".clauses .clause").count() > 3
    shots.take("03-import-preview")

    # Correct one clause in place (htmx): a new due date for the first task clause.
    first_task = page.locator(".clauses .clause:has(.badge.lead)").first
    first_task.locator("a.edit-link", has_text="修改此条").click()  # the card comes back with its form (htmx)
    first_task.locator("input[type=date][name$='-due']").fill("2027-12-31")
    first_task.locator("button", has_text="保存此条").click()
    page.wait_for_selector("#messages >> text=已保存修改")
    assert page.locator(".clauses .clause:has(.badge.lead)").first.locator("dd", has_text="2027-12-31").count() == 1

    # Confirm is refused while tasks have no date; one bulk action marks them all 按周期报送, quarterly.
    if page.locator("#missing").count():
        bulk = page.locator("#plan-0 details.bulk")
        bulk.locator("summary").click()
        bulk.locator("input[value=warning]").check()
        bulk.locator("select[name$='-warning']").select_option("task_without_due")
        bulk.locator("select[name$='-due_kind']").select_option("periodic")
        bulk.locator("select[name$='-reporting_cadence']").select_option("quarterly")
        bulk.locator("button", has_text="应用到所选条款").click()
        page.wait_for_selector("#messages >> text=已批量修改")
        assert page.locator("#missing").count() == 0

    page.click("#confirm-import")  # the confirm() dialog is accepted by the page fixture
    page.wait_for_url(re.compile(r".*/plans/\d+/$"))
    assert page.locator("#messages", has_text="已导入").count() == 1
    plan = Plan.objects.get()
    assert plan.tasks.count() > 3
    assert page.locator("svg.gantt").count() == 1 or page.locator("#timeline .empty").count() == 1
    shots.take("04-plan-page")

    page.goto(f"{url}/plans/")
    shots.take("05-plan-list")
    page.goto(f"{url}/board/?plan={plan.pk}")
    before = completion_of(page, "市教育局")

    # The same document a second time: the preview says it exists and links it.
    page.goto(f"{url}/plans/import/")
    page.set_input_files("#id_file", str(plan_file()))
    page.click("text=解析并预览")
    page.wait_for_url(re.compile(r".*/plans/import/\d+/$"))
    assert page.locator(f'a[href="/plans/{plan.pk}/"]').count() >= 1
    sign_out(page)

    # --- A liaison of 市教育局 acknowledges and reports with evidence -----------------------------
    part = (
        Assignment.objects.filter(task__plan=plan, department=education, role=Assignment.Role.LEAD)
        .order_by("task__due_date", "pk")
        .first()
    )
    assert part is not None, "the plan names 市教育局 as a lead"
    sign_in(page, live_server, "liaison_a")
    assert "市教育局 · 联络员" in page.locator("#who").inner_text()
    shots.take("06-home-liaison")
    link = page.locator(f'a[href$="#report-{part.pk}"]')
    if link.count():
        link.first.click()
    else:
        page.goto(f"{url}/tasks/{part.task_id}/#report-{part.pk}")
    page.wait_for_url(re.compile(rf".*/tasks/{part.task_id}/.*"))
    card = page.locator(f"#assignment-{part.pk}")
    card.locator("button", has_text="签收").click()
    page.wait_for_selector(f"#assignment-{part.pk} >> text=签收", state="attached")
    page.wait_for_selector("#messages >> text=已签收")

    evidence = tmp_path / "验收报告.pdf"
    evidence.write_bytes(PDF)
    card = page.locator(f"#assignment-{part.pk}")
    card.locator("input[name$='-percent']").fill("100")
    card.locator("textarea[name$='-text']").fill("已全部完成,验收报告见附件。")
    card.locator("input[type=file]").set_input_files(str(evidence))
    card.locator("button", has_text="提交进展").click()
    page.wait_for_selector("#messages >> text=进展已报送")
    assert page.locator(f"#assignment-{part.pk} .files a", has_text="验收报告.pdf").count() == 1
    shots.take("07-task-liaison")
    sign_out(page)

    # --- The supervisor approves; the board changes ---------------------------------------------
    sign_in(page, live_server, "supervisor")
    report = ProgressReport.objects.get(assignment=part)
    assert page.locator("#pending-reports", has_text=part.task.title[:10]).count() == 1
    shots.take("08-home-supervisor")
    page.locator(f'#pending-reports a[href$="#report-review-{report.pk}"]').first.click()
    item = page.locator(f"#report-review-{report.pk}")
    item.locator("label", has_text="通过").click()
    item.locator("button", has_text="提交审核").click()
    page.wait_for_selector("#messages >> text=已通过")
    assert page.locator(f"#report-review-{report.pk} .badge", has_text="已通过").count() == 1
    shots.take("09-task-supervisor")

    page.goto(f"{url}/board/?plan={plan.pk}")
    after = completion_of(page, "市教育局")
    assert after != before, f"市教育局's completion rate stays {before}"
    shots.take("10-board")

    page.goto(f"{url}/reports/supervision/?plan={plan.pk}")
    assert page.locator("#report-ranking", has_text="市教育局").count() == 1
    shots.take("11-report")
    with page.expect_download() as download:
        page.click("text=下载 Excel")
    assert download.value.suggested_filename.endswith(".xlsx")

    page.goto(f"{url}/departments/{education.pk}/")
    shots.take("12-department")
    page.goto(f"{url}/registry/")
    shots.take("13-registry")
    page.goto(f"{url}/registry/departments/{education.pk}/")
    shots.take("14-registry-department")
    page.goto(f"{url}/notifications/")
    shots.take("15-notifications")
    page.goto(f"{url}/tasks/{part.task_id}/")
    page.locator(f"#assignment-{part.pk}")  # the chase button is gone once the work is done
    assert page.locator(f"#assignment-{part.pk} button", has_text="催办").count() == 0
    assert not page.js_errors, page.js_errors


@pytest.mark.django_db(transaction=True)
def test_viewer_and_head_paths(live_server, page, shots, world, personas):
    url = live_server.url
    sign_in(page, live_server, "viewer")
    shots.take("20-home-viewer")
    page.goto(f"{url}/plans/{world.plan.pk}/")
    assert page.locator("svg.gantt").count() == 1
    assert page.locator("button", has_text="提交").count() == 0
    page.goto(f"{url}/tasks/{world.task_a.pk}/")
    page.wait_for_selector("#task-reminders")  # loaded by htmx from the notifications app
    shots.take("21-task-viewer")
    sign_out(page)

    sign_in(page, live_server, "head_a")
    shots.take("22-home-head")
    page.goto(f"{url}/tasks/{world.task_a.pk}/")
    card = page.locator(f"#assignment-{world.part_a.pk}")
    card.locator("summary", has_text="申请延期").click()
    card.locator("input[type=date]").fill("2099-12-31")
    card.locator("button", has_text="提交延期申请").click()
    # The reason is required: the error is shown beside the field, nothing is saved.
    page.wait_for_selector(f"#assignment-{world.part_a.pk} .error")
    assert not world.part_a.extension_requests.exists()
    card = page.locator(f"#assignment-{world.part_a.pk}")
    card.locator("textarea[name$='-reason']").fill("场地改造推迟")
    card.locator("button", has_text="提交延期申请").click()
    page.wait_for_selector("#messages >> text=延期申请已提交")
    shots.take("23-task-head-extension")
    sign_out(page)

    sign_in(page, live_server, "supervisor")
    page.goto(f"{url}/tasks/{world.task_a.pk}/")
    extension = world.part_a.extension_requests.get()
    item = page.locator(f"#extension-{extension.pk}")
    item.locator("label", has_text="批准").first.click()
    item.locator("button", has_text="提交审批").click()
    page.wait_for_selector("#messages >> text=已批准")
    world.part_a.refresh_from_db()
    assert str(world.part_a.due_date) == "2099-12-31"
    assert not page.js_errors, page.js_errors


def test_liaison_without_department_gets_a_next_step(db):
    user = make_user("newcomer")
    assert not Membership.objects.filter(user=user).exists()
