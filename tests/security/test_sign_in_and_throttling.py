"""Sign-in lock-out on every door that takes a password, strong passwords, cookies and throttling."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework import throttling

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.axes
def test_a_lock_out_also_closes_the_admin_sign_in(client, personas, settings):
    personas.supervisor.is_staff = True
    personas.supervisor.save()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "supervisor", "password": f"wrong-{attempt}"})
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "supervisor", "password": "Duban-test-2026", "next": "/admin/"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.axes
def test_the_lock_out_page_is_in_chinese_and_locks_out_even_the_right_password(client, personas, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT + 3):
        response = client.post("/accounts/login/", {"username": "liaison_a", "password": f"x{attempt}"})
    assert response.status_code == 429
    assert "锁定" in response.content.decode() or "稍后" in response.content.decode()
    # another user from the same address is not locked out by someone else's failures
    client.post("/accounts/login/", {"username": "liaison_b", "password": "Duban-test-2026"})
    assert client.session.get("_auth_user_id") == str(personas.liaison_b.pk)


@pytest.mark.parametrize(
    "password",
    ["12345678901", "password123", "liaison_a2026", "short1!", "qwertyuiop"],
)
def test_weak_passwords_are_refused(password, personas):
    with pytest.raises(ValidationError):
        validate_password(password, user=personas.liaison_a)


def test_a_strong_password_passes(personas):
    validate_password("督办-Zq8#x!Lp2@", user=personas.liaison_a)


def _production_settings(**extra):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "k3y-" + "Zq8#x!Lp2@" * 5,
        "ALLOWED_HOSTS": "duban.example.cn",
        "DEBUG": "false",
        **extra,
    }
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({k: getattr(s, k)"
        " for k in ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_HTTPONLY',"
        " 'SESSION_COOKIE_AGE', 'SESSION_EXPIRE_AT_BROWSER_CLOSE', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS',"
        " 'SECURE_CONTENT_TYPE_NOSNIFF', 'X_FRAME_OPTIONS', 'AXES_FAILURE_LIMIT']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_sessions_and_transport():
    s = _production_settings()
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"]
    assert s["SESSION_COOKIE_HTTPONLY"] and s["CSRF_COOKIE_HTTPONLY"]
    assert s["SESSION_EXPIRE_AT_BROWSER_CLOSE"] and s["SESSION_COOKIE_AGE"] <= 12 * 3600
    assert s["SECURE_SSL_REDIRECT"] and s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["SECURE_CONTENT_TYPE_NOSNIFF"] and s["X_FRAME_OPTIONS"] == "DENY"
    assert s["AXES_FAILURE_LIMIT"] == 5


def test_an_idle_session_of_eight_hours_expires_and_one_of_seven_does_not(client, personas, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(personas.liaison_a)
        assert client.get("/").status_code == 200
        clock.move_to(start + timedelta(hours=7))
        assert client.get("/").status_code == 200  # seven idle hours: still signed in, and the clock restarts
        clock.move_to(start + timedelta(hours=7 + 8, seconds=-1))
        assert client.get("/").status_code == 200
        clock.move_to(start + timedelta(hours=7 + 8 + 8, seconds=1))
        response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_pages_and_api_send_the_security_headers(client, personas):
    client.force_login(personas.supervisor)
    for url in ("/", "/api/v1/tasks/", "/accounts/login/"):
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Referrer-Policy"] == "same-origin", url
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


@pytest.fixture
def fresh_cache():
    """Rate limits count in the shared cache: start and leave it empty so no other test is counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def low_rates(monkeypatch):
    monkeypatch.setattr(throttling.SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "5/min"})
    cache.clear()
    yield
    cache.clear()


def test_signed_in_users_are_throttled(low_rates, personas):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(personas.liaison_a)
    codes = [client.get("/api/v1/tasks/").status_code for _ in range(7)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]
    response = client.get("/api/v1/tasks/")
    assert int(response["Retry-After"]) > 0
    assert "请求" in response.json()["detail"]  # in Chinese
    # the count is per user: another user is not slowed by the first
    other = APIClient()
    other.force_authenticate(personas.liaison_b)
    assert other.get("/api/v1/tasks/").status_code == 200


def test_anonymous_callers_are_refused_and_counted(low_rates):
    from rest_framework.test import APIClient

    client = APIClient()
    responses = [client.get(url) for url in ("/api/v1/tasks/", "/api/v1/schema/", "/api/v1/plans/") * 2]
    # Nothing in the API is open to anonymous callers; the fourth call in a minute is slowed down.
    assert [r.status_code for r in responses] == [403, 403, 403, 429, 429, 429]
    assert int(responses[3]["Retry-After"]) > 0
    assert "请求" in responses[3].json()["detail"]
    # the count is per address: another caller is refused, not slowed
    assert APIClient(REMOTE_ADDR="10.1.1.1").get("/api/v1/tasks/").status_code == 403


def test_refused_tokens_count_as_anonymous_calls(low_rates):
    from rest_framework.test import APIClient

    client = APIClient(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert [client.get("/api/v1/tasks/").status_code for _ in range(5)] == [403, 403, 403, 429, 429]


def test_a_minute_later_anonymous_callers_are_counted_afresh(low_rates):
    from rest_framework.test import APIClient

    client = APIClient()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert [client.get("/api/v1/tasks/").status_code for _ in range(4)] == [403, 403, 403, 429]
        clock.move_to(start + timedelta(seconds=61))
        assert client.get("/api/v1/tasks/").status_code == 403


def test_password_reset_mails_one_address_at_most_three_times_an_hour(client, personas, smtp_settings, settings,
                                                                      fresh_cache):  # fmt: skip
    assert settings.PASSWORD_RESET_RATE_EMAIL == "3/h"
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        answers = [
            client.post(reverse("password_reset"), {"email": "liaison_a@example.cn"}, REMOTE_ADDR=f"10.2.0.{n}")
            for n in range(8)
        ]
        # The same answer every time, so the form tells nothing; only the first three send a mail.
        assert [a.status_code for a in answers] == [302] * 8
        assert len(smtp_settings.messages) == 3
        clock.move_to(start + timedelta(hours=1, seconds=1))
        client.post(reverse("password_reset"), {"email": "liaison_a@example.cn"}, REMOTE_ADDR="10.2.0.1")
    assert len(smtp_settings.messages) == 4


def test_password_reset_takes_ten_requests_an_hour_from_one_address(client, personas, smtp_settings, settings,
                                                                   fresh_cache):  # fmt: skip
    assert settings.PASSWORD_RESET_RATE_ADDRESS == "10/h"
    codes = [
        client.post(reverse("password_reset"), {"email": f"someone{n}@example.cn"}, REMOTE_ADDR="10.3.0.1").status_code
        for n in range(12)
    ]
    assert codes == [302] * 10 + [429, 429]
    refused = client.post(reverse("password_reset"), {"email": "liaison_a@example.cn"}, REMOTE_ADDR="10.3.0.1")
    assert "请求过于频繁" in refused.content.decode() and smtp_settings.messages == []
