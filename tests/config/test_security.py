import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.axes
def test_the_right_password_still_signs_in_before_the_limit(client, personas):
    client.post("/accounts/login/", {"username": "supervisor", "password": "wrong"})
    client.post("/accounts/login/", {"username": "supervisor", "password": "Duban-test-2026"})
    assert client.session["_auth_user_id"] == str(personas.supervisor.pk)


def test_security_headers_are_sent(client):
    response = client.get("/accounts/login/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/api/v1/tasks/", "/api/v1/no-such-endpoint/", "/no-such-page/"])
def test_every_answer_carries_the_security_headers_json_errors_included(client, url):
    response = client.get(url)
    assert response.status_code in (200, 401, 403, 404)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] and response["Cross-Origin-Opener-Policy"]
