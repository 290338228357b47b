import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app import db as app_db
from app.config import Settings
from app.db import get_engine
from app.main import create_app
from tests.conftest import ON_POSTGRES


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite settings")
def test_sqlite_runs_in_wal_mode_with_foreign_keys(database_url):
    with get_engine().connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_unexpected_error_is_500_without_a_stack_trace(database_url, caplog):
    app = create_app()

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as c, caplog.at_level(logging.ERROR):
        r = c.get("/boom", headers={"X-Request-ID": "0123456789abcdef0123456789abcdef"})
    assert r.status_code == 500
    assert r.json() == {"detail": "internal error; request id 0123456789abcdef0123456789abcdef"}
    assert "secret internals" not in r.text


def test_readyz_when_the_database_is_unreachable(database_url, monkeypatch):
    unreachable = app_db.make_engine("postgresql+psycopg://nobody@127.0.0.1:1/x")
    monkeypatch.setattr("app.routers.health.get_engine", lambda: unreachable)
    with TestClient(create_app()) as c:
        r = c.get("/readyz")
    assert r.status_code == 503
    assert r.json()["detail"].startswith("database unreachable")


def test_production_refuses_the_default_secret():
    with pytest.raises(ValueError, match="XUNCHA_SECRET_KEY"):
        Settings(env="production")
    assert Settings(env="production", secret_key="s" * 40).env == "production"


def test_validation_errors_are_one_readable_detail(client, admin):
    r = client.post("/api/v1/units", json={"code": "bad code!", "name": ""}, headers=admin["headers"])
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert isinstance(detail, str)
    assert "code:" in detail and "name:" in detail
