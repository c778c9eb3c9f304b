"""The import wizard through the test client: paste, preview with the source marked, correct, confirm, twice."""

import pytest
from django.urls import reverse

from org.models import Department, DepartmentAlias
from plans.demo import seed_directory
from plans.models import Plan, PlanImport
from tests.web.conftest import ROOT

pytestmark = pytest.mark.django_db

DEMO = (ROOT / "demo" / "plan.txt").read_text(encoding="utf-8")


@pytest.fixture
def supervisor(signed_in, personas):
    seed_directory()
    return signed_in("supervisor")


def start(client, **data):
    return client.post(reverse("plans:import"), data)


def test_paste_previews_with_the_source_beside_the_clauses(supervisor):
    response = start(supervisor, text=DEMO)
    plan_import = PlanImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/plans/import/{plan_import.pk}/"
    assert plan_import.source_text.startswith("示范市教育局"), "spans point into the stored source text"
    body = supervisor.get(response["Location"]).content.decode()
    # highlights come from the importer's own marks: the units where it read them
    assert '<mark class="m-lead">市财政局</mark>' in body
    assert '<mark class="m-unit">市发改委</mark>' in body
    assert '<mark class="m-date">2026年6月前</mark>' in body
    assert 'id="src-0-2"' in body and 'href="#src-0-2"' in body  # each clause links to its place in the source
    assert "示范市中小学课后服务提质行动方案" in body


def test_an_empty_or_unreadable_submission_says_what_to_do(supervisor):
    response = start(supervisor)
    assert response.status_code == 400 and "请上传方案文件,或把方案全文粘贴到文本框里" in response.content.decode()
    response = start(supervisor, text="这不是一份方案。")
    assert response.status_code in (302, 400)
    if response.status_code == 400:  # the importer's own words, shown beside the text box
        assert 'id="id_text_error_1"' in response.content.decode()


def test_the_source_is_escaped(supervisor):
    start(supervisor, text=DEMO.replace("制定本方案。", "制定本方案。<script>alert(1)</script>"))
    body = supervisor.get(f"/plans/import/{PlanImport.objects.get().pk}/").content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def _clause_index(plan_import, label):
    return next(i for i, c in enumerate(plan_import.result["plans"][0]["clauses"]) if c["label"] == label)


def test_correct_a_clause_then_confirm(supervisor, personas):
    start(supervisor, text=DEMO)
    plan_import = PlanImport.objects.get()
    index = _clause_index(plan_import, "(三)")
    url = reverse("plans:import_clause", args=[plan_import.pk, 0, index])
    prefix = f"c0_{index}"
    original = plan_import.result["plans"][0]["clauses"][index]
    data = {  # heading and text kept: they make the plan's fingerprint, which finds it when imported again
        f"{prefix}-heading": original["heading"],
        f"{prefix}-text": original["text"],
        f"{prefix}-is_task": "on",
        f"{prefix}-lead": "市财政局",
        f"{prefix}-co": "市教育局、市人社局",
        f"{prefix}-due": "2026-07-31",
        f"{prefix}-due_text": "2026年7月底前",
        f"{prefix}-phase_0_kind": "preparation",
        f"{prefix}-phase_0_start": "2026-05-01",
        f"{prefix}-phase_0_end": "2026-04-01",
    }
    response = supervisor.post(url, data)
    assert response.status_code == 400 and "结束日期不能早于开始日期" in response.content.decode()
    data[f"{prefix}-phase_0_end"] = "2026-06-01"
    response = supervisor.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith(f"#clause-0-{index}")
    plan_import.refresh_from_db()
    clause = plan_import.result["plans"][0]["clauses"][index]
    assert clause["due"] == "2026-07-31" and clause["co"] == ["市教育局", "市人社局"]
    assert clause["phases"][0]["start"] == "2026-05-01"

    response = supervisor.post(reverse("plans:import_confirm", args=[plan_import.pk]))
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/"
    task = plan.tasks.get(clause__label="(三)")
    assert str(task.due_date) == "2026-07-31"
    assert "已导入" in supervisor.get(response["Location"]).content.decode()

    # The same document again: the preview says it exists; confirming links the plan instead of a twin.
    start(supervisor, text=DEMO)
    again = PlanImport.objects.exclude(pk=plan_import.pk).get()
    body = supervisor.get(f"/plans/import/{again.pk}/").content.decode()
    assert "这份方案已经导入过" in body and f'href="/plans/{plan.pk}/"' in body
    response = supervisor.post(reverse("plans:import_confirm", args=[again.pk]))
    assert response["Location"] == f"/plans/import/{again.pk}/?duplicate={plan.pk}"
    body = supervisor.get(response["Location"]).content.decode()
    assert "已经导入过,不会重复创建" in body and Plan.objects.count() == 1


def test_unknown_unit_becomes_a_department_or_an_alias(supervisor):
    start(supervisor, text=DEMO.replace("市文旅局", "市青少年宫").replace("市体育局", "市体育总局"))
    plan_import = PlanImport.objects.get()
    body = supervisor.get(f"/plans/import/{plan_import.pk}/").content.decode()
    assert "名录中没有的单位" in body and "市青少年宫" in body
    url = reverse("plans:import_unit", args=[plan_import.pk])
    response = supervisor.post(
        url, {"prefix": "u0", "u0-name": "市青少年宫", "u0-action": "department", "u0-kind": "other"}
    )
    assert response.status_code == 302 and Department.objects.filter(name="市青少年宫").exists()
    sports = Department.objects.get(name="市体育局")
    response = supervisor.post(
        url, {"prefix": "u1", "u1-name": "市体育总局", "u1-action": "alias", "u1-kind": "bureau"}
    )
    assert response.status_code == 400 and "请选择这个名称所指的已有单位" in response.content.decode()
    response = supervisor.post(
        url,
        {
            "prefix": "u1",
            "u1-name": "市体育总局",
            "u1-action": "alias",
            "u1-department": sports.pk,
            "u1-kind": "bureau",
        },
    )
    assert response.status_code == 302
    assert DepartmentAlias.objects.get(name="市体育总局").department == sports
    assert "名录中没有的单位" not in supervisor.get(f"/plans/import/{plan_import.pk}/").content.decode()


@pytest.mark.parametrize("who", ["viewer", "liaison_a", "head_a"])
def test_only_supervisors_import(signed_in, personas, who):
    client = signed_in(who)
    assert client.post(reverse("plans:import"), {"text": DEMO}).status_code == 403
    assert not PlanImport.objects.exists()


def test_registry_pages_change_the_registry(supervisor, personas):
    dept = personas.dept_a
    response = supervisor.post(reverse("org:alias_add", args=[dept.pk]), {"alias-name": "示范市教育局"})
    assert response.status_code == 302 and dept.aliases.filter(name="示范市教育局").exists()
    response = supervisor.post(reverse("org:alias_add", args=[dept.pk]), {"alias-name": "市财政局"})
    assert response.status_code == 400 and "已在单位名录中" in response.content.decode()
    response = supervisor.post(
        reverse("org:member_add", args=[dept.pk]),
        {"member-username": "new_liaison", "member-full_name": "周联络", "member-email": "", "member-role": "liaison"},
    )
    assert response.status_code == 400 and "新用户请填写电子邮箱" in response.content.decode()
    response = supervisor.post(
        reverse("org:member_add", args=[dept.pk]),
        {"member-username": "new_liaison", "member-email": "zhou@example.cn", "member-role": "liaison"},
    )
    assert response.status_code == 302 and dept.memberships.filter(user__username="new_liaison").exists()
    body = supervisor.get(reverse("org:registry_department", args=[dept.pk])).content.decode()
    assert "zhou@example.cn" in body


def test_clause_boundaries_are_fixed_in_the_wizard(supervisor):
    start(supervisor, text=DEMO)
    plan_import = PlanImport.objects.get()
    index = _clause_index(plan_import, "(三)")
    clauses = plan_import.result["plans"][0]["clauses"]
    count = len(clauses)
    text = clauses[index]["text"]
    cut = text.index("2026年6月前")  # split just before the deadline sentence
    url = f"/plans/import/{plan_import.pk}/plans/0/clauses/{index}/boundary/"
    response = supervisor.post(
        url, {f"b0_{index}-action": "split", f"b0_{index}-split_at": cut, f"b0_{index}-label": "(三之二)"}
    )
    assert response.status_code == 302
    plan_import.refresh_from_db()
    clauses = plan_import.result["plans"][0]["clauses"]
    assert len(clauses) == count + 1
    assert clauses[index + 1]["label"] == "(三之二)" and clauses[index + 1]["text"].startswith("2026年6月前")

    # and joined again
    response = supervisor.post(url.replace(f"/{index}/", f"/{index + 1}/"), {f"b0_{index + 1}-action": "merge"})
    assert response.status_code == 302
    plan_import.refresh_from_db()
    assert len(plan_import.result["plans"][0]["clauses"]) == count

    # a split without a label is refused beside the form, in Chinese
    response = supervisor.post(url, {f"b0_{index}-action": "split", f"b0_{index}-split_at": 3})
    assert response.status_code == 400
    assert "拆分需要填写拆分位置和新条款的编号" in response.content.decode()
