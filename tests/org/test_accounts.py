"""A member added on the registry page gets an emailed link, sets a password and signs in."""

import re

import pytest
from django.urls import reverse

from org.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def _link(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://[^\s]+/accounts/reset/[^\s]+/", body).group()


def test_new_member_is_invited_and_sets_a_password(client, personas, smtp_settings, settings):
    settings.SITE_URL = "http://duban.example.cn"
    client.force_login(personas.supervisor)
    response = client.post(
        reverse("org:member_add", args=[personas.dept_b.pk]),
        {
            "member-username": "zhangsan",
            "member-full_name": "张三",
            "member-email": "zhangsan@example.cn",
            "member-role": "liaison",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="zhangsan")
    assert not user.has_usable_password()
    (message,) = smtp_settings.messages
    assert message["To"] == "zhangsan@example.cn" and "设置登录密码" in message["Subject"]
    link = _link(message)
    assert link.startswith("http://duban.example.cn/accounts/reset/")

    client.logout()
    path = link.removeprefix("http://duban.example.cn")
    form_page = client.get(path, follow=True)
    assert "设置新密码" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Jiaoyu-ju-2026!", "new_password2": "Jiaoyu-ju-2026!"},
        follow=True,
    )
    assert "密码已设置" in done.content.decode()
    assert client.login(username="zhangsan", password="Jiaoyu-ju-2026!")


def test_forgotten_password_is_reset_by_email_and_unknown_addresses_learn_nothing(client, personas, smtp_settings):
    response = client.post(reverse("password_reset"), {"email": "liaison_a@example.cn"}, follow=True)
    assert "请查收邮件" in response.content.decode()
    assert [m["To"] for m in smtp_settings.messages] == ["liaison_a@example.cn"]
    response = client.post(reverse("password_reset"), {"email": "nobody@example.cn"}, follow=True)
    assert "请查收邮件" in response.content.decode()  # the same answer: no account is revealed
    assert len(smtp_settings.messages) == 1
