from datetime import UTC, datetime, timedelta

import jwt

from app.models import Role
from app.security import create_token
from tests.conftest import PASSWORD


def test_sign_in_and_me(client, make_unit, make_user):
    unit = make_unit("cgj", "区城管局")
    make_user("li", Role.unit, unit)
    r = client.post("/api/v1/auth/token", data={"username": "li", "password": PASSWORD})
    assert r.status_code == 200
    assert r.json()["token_type"] == "bearer"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"})
    assert me.status_code == 200
    assert me.json()["username"] == "li"
    assert me.json()["role"] == "unit"
    assert me.json()["unit"] == "cgj"
    assert me.json()["unit_name"] == "区城管局"


def test_wrong_password_is_401(client, make_user):
    make_user("wang", Role.office)
    r = client.post("/api/v1/auth/token", data={"username": "wang", "password": "nope-nope-nope"})
    assert r.status_code == 401
    assert r.json() == {"detail": "wrong username or password"}


def test_unknown_user_is_401_with_the_same_detail(client):
    r = client.post("/api/v1/auth/token", data={"username": "ghost", "password": PASSWORD})
    assert r.status_code == 401
    assert r.json() == {"detail": "wrong username or password"}


def test_inactive_user_cannot_sign_in_nor_use_an_old_token(client, make_user):
    u = make_user("gone", Role.grid_worker, active=False)
    r = client.post("/api/v1/auth/token", data={"username": "gone", "password": PASSWORD})
    assert r.status_code == 401
    assert "deactivated" in r.json()["detail"]
    r = client.get("/api/v1/me", headers=u["headers"])
    assert r.status_code == 401
    assert "deactivated" in r.json()["detail"]


def test_expired_token_is_401(client, make_user, settings):
    u = make_user("old", Role.office)
    token = create_token(u["user"].id, settings, now=datetime.now(UTC) - timedelta(days=2))
    r = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    assert r.json()["detail"] == "token expired; sign in again"
    assert r.headers["www-authenticate"] == "Bearer"


def test_forged_token_is_401(client, make_user):
    u = make_user("victim", Role.admin)
    forged = jwt.encode(
        {"sub": str(u["user"].id), "exp": datetime.now(UTC) + timedelta(hours=1)}, "guess", algorithm="HS256"
    )
    r = client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401
    assert r.json()["detail"] == "invalid token; sign in again"


def test_garbage_and_missing_tokens_are_401(client):
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer not.a.jwt"}).status_code == 401
    r = client.get("/api/v1/me")
    assert r.status_code == 401
    assert "not signed in" in r.json()["detail"]


def test_token_of_a_user_that_no_longer_exists_is_401(client, settings):
    token = create_token(999_999, settings)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
