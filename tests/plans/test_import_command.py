import json

import pytest
from django.core.management import CommandError, call_command

from plans.models import Plan
from tests.plans.conftest import DEMO_PLAN

pytestmark = pytest.mark.django_db


def test_dry_run_json_prints_the_stable_shape_and_writes_nothing(directory, capsys):
    call_command("import_plan", str(DEMO_PLAN), "--dry-run", "--format", "json")
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"plans", "warnings"}
    (plan,) = out["plans"]
    assert {"title", "doc_number", "issuer", "issued_on", "clauses"} <= set(plan)
    clause = next(c for c in plan["clauses"] if c["path"] == "二、/(三)")
    assert clause["lead"] == ["市财政局"]
    assert clause["co"] == ["市教育局", "市发改委", "市人社局"]
    assert clause["due"] == "2026-06-30"
    assert set(clause) >= {"label", "path", "heading", "text", "due_text", "recurrence", "phases", "warnings", "span"}
    assert "id" not in clause and "content_hash" not in plan  # preview bookkeeping stays out of the stable shape
    assert Plan.objects.count() == 0


def test_import_creates_the_plan_and_summarises_it(directory, capsys):
    call_command("import_plan", str(DEMO_PLAN))
    out = capsys.readouterr().out
    assert "已导入" in out and "牵头:市财政局" in out
    assert Plan.objects.count() == 1
    with pytest.raises(CommandError, match="已经导入过"):
        call_command("import_plan", str(DEMO_PLAN))


def test_missing_file_and_bad_content_are_clear_errors(directory, tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_plan", str(tmp_path / "none.txt"))
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    with pytest.raises(CommandError):
        call_command("import_plan", str(junk))
    assert Plan.objects.count() == 0
