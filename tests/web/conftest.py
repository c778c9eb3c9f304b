"""Web pages: a small world of two plans seen today, and (for the browser tests) Debian's chromium.

Playwright's sync API runs an event loop in this thread; Django refuses database
calls from a thread with a running loop unless told this is intended.
"""

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from plans.models import Clause, Plan
from tasks import services
from tasks.models import Assignment, Phase, Task

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "var" / "screenshots"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "Duban-test-2026"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def no_broker(settings):
    # Outbox rows enqueue delivery on commit; the pages never need a worker to answer.
    settings.CELERY_TASK_ALWAYS_EAGER = False


@dataclass
class World:
    plan: Plan
    other_plan: Plan
    task_a: Task  # lead dept_a, co dept_b, due in 10 days
    task_b: Task  # lead dept_b, overdue by 5 days
    task_c: Task  # other plan, lead dept_b only: dept_a's people never see it
    part_a: Assignment
    part_a_co_b: Assignment
    part_b: Assignment
    part_c: Assignment


@pytest.fixture
def world(personas):
    today = timezone.localdate()
    plan = Plan.objects.create(
        title="课后服务提质行动方案",
        doc_number="示教发〔2026〕12号",
        issued_on=today - timedelta(days=60),
        status="active",
    )
    other = Plan.objects.create(title="财政保障方案", issued_on=today - timedelta(days=30), status="active")
    top = Clause.objects.create(plan=plan, label="一、", path="一、", position=1, heading="重点任务")
    c_a = Clause.objects.create(
        plan=plan,
        parent=top,
        label="(一)",
        path="一、/(一)",
        position=2,
        heading="扩大覆盖面",
        text="各校每周开展5天课后服务。",
    )
    c_b = Clause.objects.create(
        plan=plan,
        parent=top,
        label="(二)",
        path="一、/(二)",
        position=3,
        heading="完善经费保障",
        text="出台经费保障办法。",
    )
    task_a = Task.objects.create(
        plan=plan, clause=c_a, title="扩大覆盖面", due_date=today + timedelta(days=10), due_text="年底前"
    )
    task_b = Task.objects.create(plan=plan, clause=c_b, title="完善经费保障", due_date=today - timedelta(days=5))
    task_c = Task.objects.create(plan=other, title="财政专项资金", due_date=today + timedelta(days=40))
    Phase.objects.create(
        task=task_a, kind="preparation", name="筹备阶段", position=0,
        start_date=today - timedelta(days=50), end_date=today - timedelta(days=20),
    )  # fmt: skip
    Phase.objects.create(
        task=task_a, kind="operation", name="推进阶段", position=1,
        start_date=today - timedelta(days=19), end_date=today + timedelta(days=10),
    )  # fmt: skip
    services.task_assign(task=task_a, leads=[personas.dept_a], co=[personas.dept_b])
    services.task_assign(task=task_b, leads=[personas.dept_b])
    services.task_assign(task=task_c, leads=[personas.dept_b])
    get = Assignment.objects.get
    return World(
        plan=plan,
        other_plan=other,
        task_a=task_a,
        task_b=task_b,
        task_c=task_c,
        part_a=get(task=task_a, department=personas.dept_a),
        part_a_co_b=get(task=task_a, department=personas.dept_b),
        part_b=get(task=task_b, department=personas.dept_b),
        part_c=get(task=task_c, department=personas.dept_b),
    )


@pytest.fixture
def signed_in(client, personas):
    """signed_in("liaison_a") → the test client signed in as that persona."""

    def sign_in(name):
        client.force_login(getattr(personas, name))
        return client

    return sign_in


# ---------------------------------------------------------------------------
# Browser


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (bin/ensure-chromium installs it; make test runs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Shots:
    """Screenshots of each page at desktop and phone width, kept under var/screenshots/ for CI artifacts."""

    DESKTOP = {"width": 1366, "height": 900}
    PHONE = {"width": 375, "height": 812}

    def __init__(self, page):
        self.page = page
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(self, name: str):
        self.page.wait_for_load_state("networkidle")  # parts loaded by htmx are in the picture
        for label, size in (("desktop", self.DESKTOP), ("phone", self.PHONE)):
            self.page.set_viewport_size(size)
            self.page.evaluate("window.scrollTo(0, 0)")  # sticky header and bars where a reader first sees them
            self.page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
            if label == "phone":
                # At 375 px nothing may stick out sideways: the page itself must not scroll horizontally.
                overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 1, f"{name} is {overflow}px wider than a 375px phone"
        self.page.set_viewport_size(self.DESKTOP)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport=Shots.DESKTOP, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.on("dialog", lambda dialog: dialog.accept())
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" and "Content Security Policy" in msg.text else None,
    )
    page.js_errors = errors
    yield page
    context.close()


@pytest.fixture
def shots(page):
    return Shots(page)


def sign_in(page, live_server, username, password=PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def sign_out(page):
    page.click("#who button[type=submit]")
    page.wait_for_url("**/accounts/login/")
