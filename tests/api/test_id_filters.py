"""Filters naming a row by id take whole numbers a database can store; anything else is a 400 in Chinese."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/department-groups/?member=-43842021955503309887147870011970872903",
        "/api/v1/departments/?group=9223372036854775808",
        "/api/v1/progress-reports/?plan=0",
        "/api/v1/phases/?plan=1.5",
    ],
)
def test_an_id_no_database_can_hold_is_a_bad_request(api, world, url):
    response = api("supervisor").get(url)
    assert response.status_code == 400, response.content
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(response.json()))


def test_the_largest_id_is_asked_for_and_found_missing(api, world):
    response = api("supervisor").get("/api/v1/department-groups/?member=9223372036854775807")
    assert response.status_code == 200 and response.json()["results"] == []
