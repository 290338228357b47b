from sqlalchemy import text

from app.db import get_engine


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_at_head(client):
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.json()["status"] == "ready"


def test_readyz_not_ready_when_schema_is_behind(client):
    with get_engine().begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    r = client.get("/readyz")
    assert r.status_code == 503
    assert "schema at 0001" in r.json()["detail"]


def test_errors_carry_a_request_id_and_no_stack_trace(client):
    r = client.get("/api/v1/no-such-thing")
    assert r.status_code == 404
    assert r.json() == {"detail": "Not Found"}
    assert r.headers["x-request-id"]
