"""Sign-in throttling: per username and per address, 429 with Retry-After, bounded hashing, a log line a burst."""

import logging
import threading

import pytest

from app.config import get_settings
from app.models import Role
from app.services.throttle import SignInThrottle
from tests.conftest import PASSWORD

TOKEN = "/api/v1/auth/token"


def _sign_in(client, username: str, password: str, address: str | None = None):
    return client.post(TOKEN, data={"username": username, "password": password})


def test_a_username_is_throttled_after_five_failures_with_retry_after(client, make_user, caplog):
    make_user("office1", Role.office)
    for _ in range(5):
        assert _sign_in(client, "office1", "wrong-password").status_code == 401
    with caplog.at_level(logging.WARNING, logger="xuncha.signin"):
        refused = [_sign_in(client, "office1", "wrong-password") for _ in range(3)]
    assert [r.status_code for r in refused] == [429] * 3
    assert 1 <= int(refused[0].headers["Retry-After"]) <= 300
    assert "username" in refused[0].json()["detail"]
    # even the right password waits: guessing on is pointless
    assert _sign_in(client, "office1", PASSWORD).status_code == 429
    lines = [r for r in caplog.records if r.name == "xuncha.signin"]
    assert len(lines) == 1, [r.getMessage() for r in lines]  # one line for the burst, not one per request
    assert "office1" in lines[0].getMessage()


def test_another_username_is_not_throttled_by_the_first(client, make_user):
    make_user("office1", Role.office)
    make_user("office2", Role.office)
    for _ in range(6):
        _sign_in(client, "office1", "wrong-password")
    assert _sign_in(client, "office2", PASSWORD).status_code == 200


def test_an_address_trying_many_usernames_is_throttled(client, monkeypatch):
    monkeypatch.setenv("XUNCHA_SIGNIN_MAX_FAILURES_ADDRESS", "10")
    get_settings.cache_clear()
    codes = [_sign_in(client, f"user{i}", "wrong-password").status_code for i in range(12)]
    assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]


def test_a_success_forgives_the_usernames_failures(client, make_user):
    make_user("office1", Role.office)
    for _ in range(4):
        _sign_in(client, "office1", "wrong-password")
    assert _sign_in(client, "office1", PASSWORD).status_code == 200
    for _ in range(4):
        assert _sign_in(client, "office1", "wrong-password").status_code == 401


def test_failures_age_out_of_the_window():
    throttle = SignInThrottle(window_s=60, max_per_user=2, max_per_address=100)
    throttle.failed("a", "1.2.3.4", now=0)
    throttle.failed("a", "1.2.3.4", now=10)
    with pytest.raises(Exception) as refused:
        throttle.check("a", "1.2.3.4", now=30)
    assert refused.value.retry_after == 30
    throttle.check("a", "1.2.3.4", now=61)  # the first failure has aged out


def test_a_control_character_in_the_username_is_422_naming_it(client):
    r = _sign_in(client, "admin\x00", "x")
    assert r.status_code == 422 and r.json()["detail"].startswith("username: "), r.text


def test_password_hashes_run_at_most_the_bound_at_once(client, make_user, monkeypatch):
    import app.security as security

    make_user("office1", Role.office)
    running, most = 0, 0
    lock = threading.Lock()
    real_verify = security._hasher.verify

    def counted(password, hashed):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        try:
            return real_verify(password, hashed)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(security._hasher, "verify", counted)
    threads = [
        threading.Thread(target=_sign_in, args=(client, "office1", PASSWORD if i % 2 else "wrong"))
        for i in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert 1 <= most <= get_settings().max_password_hashes


def test_a_burst_sent_all_at_once_is_counted_while_its_hashes_run(client, make_user):
    make_user("office1", Role.office)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(_sign_in(client, "office1", "wrong").status_code))
        for _ in range(12)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(401) == 5 and results.count(429) == 7, results
