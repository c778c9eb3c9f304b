"""A dropped PostgreSQL connection gives a clear 503 and the next request recovers."""

import psycopg
import pytest
from django.db import connection
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db(transaction=True)


def _kill_our_backend():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"], dbname="postgres", autocommit=True
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_dropped_database_connection_answers_503_then_recovers(personas):
    client = APIClient()
    client.force_authenticate(personas.supervisor)
    assert client.get("/api/v1/imports/").status_code == 200

    _kill_our_backend()
    response = client.get("/api/v1/imports/")
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"
    assert "数据库暂时无法连接" in response.json()["detail"]
    assert response["Retry-After"] == "30"

    assert client.get("/api/v1/imports/").status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_pages_get_a_chinese_503_page(personas, client):
    client.force_login(personas.supervisor)
    _kill_our_backend()
    response = client.get("/")
    assert response.status_code == 503
    assert "数据库暂时无法连接" in response.content.decode()
