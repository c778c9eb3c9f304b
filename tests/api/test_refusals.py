"""A service's refusal (DomainError) answers the same way at every door: its Chinese message and code."""

import pytest
from django import forms

from core.errors import DomainError, form_action

pytestmark = pytest.mark.django_db


def test_a_refusal_answers_400_with_its_message_and_code(world, api):
    url = f"/api/v1/progress-reports/{world.report_a.pk}/review/"
    assert api("supervisor").post(url, {"decision": "approve"}).status_code == 200
    again = api("supervisor").post(url, {"decision": "approve"})
    assert (again.status_code, again.json()) == (
        400,
        {"detail": "该报告已审核,不能重复审核。", "code": "already_reviewed"},
    )


def test_a_conflict_with_the_data_answers_409_with_its_details(world, api, personas):
    personas.liaison_b.memberships.all().delete()  # dept_b has no liaison left, and no head
    response = api("supervisor").post(f"/api/v1/assignments/{world.part_b.pk}/chase/", {"note": ""})
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "市财政局 没有设置联络员或负责人的邮箱,无法催办。", "code": "no_recipients"},
    )


class NoteForm(forms.Form):
    note = forms.CharField()


def test_the_form_helper_shows_a_refusal_beside_the_form_or_its_field():
    def refuse(data):
        raise DomainError("请填写意见。", "comment_required")

    form = NoteForm({"note": "好"})
    assert form_action(form, refuse) == (False, None)
    assert form.non_field_errors() == ["请填写意见。"]
    form = NoteForm({"note": "好"})
    assert form_action(form, refuse, field="note") == (False, None)
    assert form.errors == {"note": ["请填写意见。"]}
    assert form_action(NoteForm({"note": "好"}), lambda data: data["note"] * 2) == (True, "好好")
    assert form_action(NoteForm({}), lambda data: pytest.fail("an invalid form never acts")) == (False, None)
