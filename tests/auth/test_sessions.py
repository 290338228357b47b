"""Device sessions: rotating refresh tokens, theft detection, a retry window, sign-out, an admin ending them."""

import threading
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from sqlalchemy import update

from app import deps
from app.config import get_settings
from app.db import new_session
from app.models import DeviceSession, Role
from app.security import token_hash
from app.services import sessions
from tests.conftest import PASSWORD


@pytest.fixture
def worker(make_user) -> dict:
    return make_user("grid1", Role.grid_worker)


def sign_in(client, username: str = "grid1", agent: str = "phone A") -> dict:
    r = client.post(
        "/api/v1/auth/token",
        data={"username": username, "password": PASSWORD},
        headers={"User-Agent": agent},
    )
    assert r.status_code == 200, r.text
    return r.json()


def bearer(pair: dict) -> dict:
    return {"Authorization": f"Bearer {pair['access_token']}"}


def row_of(session, pair: dict) -> DeviceSession:
    session.expire_all()
    sid = jwt.decode(pair["access_token"], options={"verify_signature": False})["sid"]
    return session.get(DeviceSession, sid)


def refresh(client, token: str):
    return client.post("/api/v1/auth/refresh", json={"refresh_token": token})


def test_sign_in_gives_a_refresh_token_and_the_access_lifetime(client, worker):
    pair = sign_in(client)
    assert set(pair) == {"access_token", "token_type", "refresh_token", "expires_in"}
    assert pair["token_type"] == "bearer" and pair["expires_in"] == 3600
    claims = jwt.decode(pair["access_token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 3600 and claims["sid"]
    assert client.get("/api/v1/me", headers=bearer(pair)).json()["username"] == "grid1"


def test_access_token_minutes_is_a_setting(client, worker, monkeypatch):
    monkeypatch.setenv("XUNCHA_ACCESS_TOKEN_MINUTES", "15")
    get_settings.cache_clear()
    pair = sign_in(client)
    assert pair["expires_in"] == 900
    claims = jwt.decode(pair["access_token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 900


def test_only_the_hash_of_a_refresh_token_is_stored(client, worker, session):
    pair = sign_in(client)
    row = row_of(session, pair)
    assert row.refresh_hash == token_hash(pair["refresh_token"])
    assert pair["refresh_token"] not in str(row.model_dump())


def test_refresh_rotates_and_slides_the_session(client, worker, session):
    first = sign_in(client)
    before = row_of(session, first).expires_at
    r = refresh(client, first["refresh_token"])
    assert r.status_code == 200, r.text
    second = r.json()
    assert set(second) == {"access_token", "token_type", "refresh_token", "expires_in"}
    assert second["refresh_token"] != first["refresh_token"]
    assert client.get("/api/v1/me", headers=bearer(second)).status_code == 200
    row = row_of(session, first)
    assert row.generation == 1 and row.expires_at >= before
    third = refresh(client, second["refresh_token"]).json()
    assert client.get("/api/v1/me", headers=bearer(third)).status_code == 200


def test_a_retry_within_the_window_gets_the_same_new_pair(client, worker, session):
    first = sign_in(client)
    second = refresh(client, first["refresh_token"]).json()
    again = refresh(client, first["refresh_token"])
    assert again.status_code == 200
    assert again.json()["refresh_token"] == second["refresh_token"]
    assert row_of(session, first).generation == 1
    assert refresh(client, second["refresh_token"]).status_code == 200  # the phone carries on


def _age_rotation(session, seconds: float) -> None:
    session.execute(update(DeviceSession).values(refreshed_at=datetime.now(UTC) - timedelta(seconds=seconds)))
    session.commit()


def test_a_reused_refresh_token_ends_the_whole_session(client, worker, session):
    first = sign_in(client)
    second = refresh(client, first["refresh_token"]).json()
    _age_rotation(session, 60)
    r = refresh(client, first["refresh_token"])
    assert r.status_code == 401
    assert "already used" in r.json()["detail"]
    # the thief's and the owner's tokens are both dead now
    assert refresh(client, second["refresh_token"]).status_code == 401
    r = client.get("/api/v1/me", headers=bearer(second))
    assert r.status_code == 401 and r.json()["detail"] == "this session was ended; sign in again"
    assert row_of(session, first).end_reason == "reused"


def test_a_token_two_rotations_old_ends_the_session_even_at_once(client, worker):
    first = sign_in(client)
    second = refresh(client, first["refresh_token"]).json()
    third = refresh(client, second["refresh_token"]).json()
    assert refresh(client, first["refresh_token"]).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(third)).status_code == 401


def test_a_forged_or_garbled_refresh_token_is_401_and_ends_nothing(client, worker):
    pair = sign_in(client)
    sid, gen, _mac = pair["refresh_token"].split(".")
    for bad in (f"{sid}.{gen}.AAAA", f"{sid}.7.{_mac}", "nonsense", "", "a.b.c"):
        r = refresh(client, bad)
        assert r.status_code == 401, bad
        assert r.json()["detail"] == "invalid refresh token; sign in again"
    assert refresh(client, pair["refresh_token"]).status_code == 200
    assert client.post("/api/v1/auth/refresh", json={}).status_code == 422


def test_an_idle_session_expires(client, worker, session):
    pair = sign_in(client)
    session.execute(update(DeviceSession).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    session.commit()
    r = refresh(client, pair["refresh_token"])
    assert r.status_code == 401 and r.json()["detail"] == "session expired; sign in again"
    assert client.get("/api/v1/me", headers=bearer(pair)).status_code == 401


def test_logout_ends_this_session_only(client, worker):
    phone = sign_in(client, agent="phone")
    laptop = sign_in(client, agent="laptop")
    r = client.post("/api/v1/auth/logout", headers=bearer(phone))
    assert r.status_code == 204
    assert client.get("/api/v1/me", headers=bearer(phone)).status_code == 401
    assert refresh(client, phone["refresh_token"]).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(laptop)).status_code == 200
    assert client.post("/api/v1/auth/logout").status_code == 401


def test_admin_lists_and_ends_a_users_sessions(client, worker, admin, make_user):
    phone = sign_in(client, agent="Mozilla/5.0 (Linux; Android 14) phone")
    sign_in(client, agent="old tablet")
    uid = worker["user"].id
    r = client.get(f"/api/v1/users/{uid}/sessions", headers=admin["headers"])
    assert r.status_code == 200
    listed = r.json()
    assert len(listed) == 3  # the fixture's own sign-in, and these two
    assert listed[0]["user_agent"] == "old tablet" and all(s["active"] for s in listed)
    assert set(listed[0]) == {
        "id", "user_agent", "created_at", "refreshed_at", "expires_at", "ended_at", "end_reason", "active"
    }  # fmt: skip
    assert client.get(f"/api/v1/users/{uid}/sessions", headers=phone and bearer(phone)).status_code == 403
    assert client.get("/api/v1/users/999999/sessions", headers=admin["headers"]).status_code == 404
    assert client.delete("/api/v1/users/999999/sessions", headers=admin["headers"]).status_code == 404

    assert client.delete(f"/api/v1/users/{uid}/sessions", headers=admin["headers"]).status_code == 204
    assert client.get("/api/v1/me", headers=bearer(phone)).status_code == 401
    assert client.get("/api/v1/me", headers=worker["headers"]).status_code == 401
    assert refresh(client, phone["refresh_token"]).status_code == 401
    assert client.get(f"/api/v1/users/{uid}/sessions", headers=admin["headers"]).json() == []
    ended = client.get(f"/api/v1/users/{uid}/sessions?include_ended=true", headers=admin["headers"]).json()
    assert [s["end_reason"] for s in ended] == ["admin"] * 3 and not any(s["active"] for s in ended)
    assert client.get("/api/v1/me", headers=admin["headers"]).status_code == 200  # others untouched
    assert sign_in(client)["access_token"]  # the user may sign in again


@pytest.mark.parametrize("how", ["delete", "patch"])
def test_deactivating_a_user_ends_its_sessions(client, worker, admin, how):
    pair = sign_in(client)
    uid = worker["user"].id
    if how == "delete":
        assert client.delete(f"/api/v1/users/{uid}", headers=admin["headers"]).status_code == 204
    else:
        r = client.patch(f"/api/v1/users/{uid}", json={"active": False}, headers=admin["headers"])
        assert r.status_code == 200
    ended = client.get(f"/api/v1/users/{uid}/sessions?include_ended=true", headers=admin["headers"]).json()
    assert {s["end_reason"] for s in ended} == {"deactivated"}
    client.patch(f"/api/v1/users/{uid}", json={"active": True}, headers=admin["headers"])
    assert client.get("/api/v1/me", headers=bearer(pair)).status_code == 401  # reactivating revives nothing
    assert refresh(client, pair["refresh_token"]).status_code == 401


def test_the_sign_in_reuse_of_hot_paths_forgets_an_ended_session(client, worker):
    pair = sign_in(client)
    url = "/api/v1/locate?lat=28.2&lon=112.97"
    assert client.get(url, headers=bearer(pair)).status_code == 200
    assert any(key[1] == pair["access_token"] for key in deps._recent_users)
    assert client.post("/api/v1/auth/logout", headers=bearer(pair)).status_code == 204
    r = client.get(url, headers=bearer(pair))
    assert r.status_code == 401 and r.json()["detail"] == "this session was ended; sign in again"


def test_the_live_feed_refuses_an_ended_session(client, make_user):
    office = make_user("office1", Role.office)
    client.post("/api/v1/auth/logout", headers=office["headers"])
    token = office["headers"]["Authorization"].split()[1]
    r = client.get(f"/api/v1/events/stream?access_token={token}")
    assert r.status_code == 401


def test_concurrent_refreshes_with_one_token_rotate_once(client, worker, settings):
    pair = sign_in(client)
    barrier = threading.Barrier(4)
    results: list = []

    def go() -> None:
        barrier.wait()
        with new_session() as s:
            try:
                results.append(sessions.refresh(s, pair["refresh_token"], settings).refresh_token)
            except Exception as e:
                results.append(e)

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1 and isinstance(results[0], str), results
    with new_session() as s:
        row = row_of(s, pair)
        assert row.generation == 1 and row.ended_at is None
