"""Sign-in lock-outs by account and by address, their cool-off, and the client address behind proxies."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core.client import client_address

pytestmark = [pytest.mark.django_db, pytest.mark.axes]
RIGHT = "Duban-test-2026"


def _sign_in(client, username, password, address="10.0.0.1", **headers):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_fifth_wrong_password_locks_the_account_at_that_address(client, personas, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    codes = [_sign_in(client, "supervisor", f"wrong-{n}").status_code for n in range(1, 6)]
    assert codes == [200, 200, 200, 200, 429]
    response = _sign_in(client, "supervisor", RIGHT)
    assert response.status_code == 429 and not _signed_in(client)
    assert "登录已被暂时锁定" in response.content.decode()
    # the same account from another address is not locked by these failures
    _sign_in(client, "supervisor", RIGHT, address="10.0.0.2")
    assert _signed_in(client)


def test_the_lock_out_lasts_the_cool_off_and_no_longer(client, personas, settings):
    assert settings.AXES_COOLOFF_TIME == 0.5
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for n in range(5):
            _sign_in(client, "liaison_a", f"wrong-{n}")
        clock.move_to(start + timedelta(minutes=30, seconds=1))
        _sign_in(client, "liaison_a", RIGHT)
        assert _signed_in(client)


def test_trying_during_the_lock_out_starts_the_cool_off_again(client, personas, settings):
    assert settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is True
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for n in range(5):
            _sign_in(client, "liaison_a", f"wrong-{n}")
        clock.move_to(start + timedelta(minutes=29, seconds=59))
        assert _sign_in(client, "liaison_a", RIGHT).status_code == 429
        clock.move_to(start + timedelta(minutes=59, seconds=57))
        assert _sign_in(client, "liaison_a", RIGHT).status_code == 429
        clock.move_to(start + timedelta(minutes=89, seconds=58))
        _sign_in(client, "liaison_a", RIGHT)
        assert _signed_in(client)


def test_spraying_from_one_address_stops_at_the_address_limit(client, personas, settings, django_user_model):
    """Four wrong passwords on each of twelve accounts: no account reaches its own limit of five."""
    assert settings.SIGNIN_ADDRESS_FAILURE_LIMIT == 20
    for n in range(12):
        django_user_model.objects.create_user(f"user{n:02}", password=RIGHT)
    codes = [_sign_in(client, f"user{n:02}", f"guess-{guess}").status_code for guess in range(4) for n in range(12)]
    assert codes[:19] == [200] * 19
    assert codes[19:] == [429] * 29  # the 20th failure locks the address for every account
    assert _sign_in(client, "liaison_b", RIGHT).status_code == 429 and not _signed_in(client)
    # the bureau next door, at another address, signs in as usual
    _sign_in(client, "liaison_b", RIGHT, address="10.9.9.9")
    assert _signed_in(client)


def test_an_address_lock_ends_with_the_cool_off(client, personas, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for n in range(20):
            _sign_in(client, f"nobody{n}", "guess")
        assert _sign_in(client, "liaison_a", RIGHT).status_code == 429
        clock.move_to(start + timedelta(minutes=30, seconds=1))
        _sign_in(client, "liaison_a", RIGHT)
        assert _signed_in(client)


def test_a_caller_cannot_pick_the_address_it_is_counted_under(client, personas, settings):
    # No proxy configured: X-Forwarded-For is the caller's own words and is ignored.
    assert settings.TRUSTED_PROXY_COUNT == 0
    for n in range(5):
        _sign_in(client, "supervisor", f"wrong-{n}", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert _sign_in(client, "supervisor", RIGHT, HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429


def test_behind_one_proxy_the_forwarded_client_is_counted(client, personas, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        _sign_in(client, "supervisor", f"wrong-{n}", address="172.16.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert (
        _sign_in(client, "supervisor", RIGHT, address="172.16.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code
        == 429
    )
    # another client behind the same proxy is someone else
    _sign_in(client, "supervisor", RIGHT, address="172.16.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert _signed_in(client)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.1"),
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.9, 198.51.100.7", "198.51.100.7"),  # the caller wrote the first entry itself
        (2, "203.0.113.9, 198.51.100.7", "203.0.113.9"),
        (3, "198.51.100.7", "198.51.100.7"),  # fewer entries than proxies: the furthest one known
        (1, "", "10.0.0.1"),
    ],
)
def test_client_address(rf, settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
