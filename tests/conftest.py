"""Every test gets a clean, migrated database: SQLite by default, PostgreSQL when XUNCHA_DATABASE_URL names one.

On PostgreSQL each pytest run makes its own database on that server (and drops it at the end), so runs in
parallel never meet; between tests every table is emptied and the migration's reference data put back.
"""

import importlib.util
import os
import shutil
import uuid
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

from app import db as app_db
from app import deps
from app.config import get_settings
from app.main import create_app
from app.migrate import MIGRATIONS, head_revision, upgrade
from app.models import Role, Unit, User
from app.security import hash_password

# issue and zone factories, and a live HTTP server: the dashboard, Open311 and feed tests share them
pytest_plugins = ["tests.dashboard.factories", "tests.dashboard.live"]

BASE_URL = os.environ.get("XUNCHA_DATABASE_URL", "")
ON_POSTGRES = BASE_URL.startswith("postgresql")
PASSWORD = "correct-horse-battery"


def _reference_data():
    spec = importlib.util.spec_from_file_location("m0001", next(MIGRATIONS.glob("versions/0001_*.py")))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CATEGORIES


@pytest.fixture(scope="session")
def database_template(tmp_path_factory) -> Iterator[str]:
    """A migrated database: for SQLite a file to copy per test, for PostgreSQL this run's own database."""
    if not ON_POSTGRES:
        path = tmp_path_factory.mktemp("template") / "template.db"
        upgrade(f"sqlite:///{path}")
        yield str(path)
        return
    url = make_url(BASE_URL)
    name = f"{url.database}_t{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    test_url = url.set(database=name).render_as_string(hide_password=False)
    upgrade(test_url)
    yield test_url
    app_db.get_engine.cache_clear()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _reset_postgres() -> None:
    engine = app_db.get_engine()
    tables = ", ".join('"' + t.name + '"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        conn.execute(
            text(
                'INSERT INTO category (code, name, "group", deadline_value, deadline_unit, sort_order, active) '
                "VALUES (:c, :n, :g, :v, :u, :i, true)"
            ),
            [
                {"c": c, "n": n, "g": g, "v": v, "u": u, "i": i}
                for i, (c, n, g, v, u) in enumerate(_reference_data())
            ],
        )
        conn.execute(text("INSERT INTO zone_revision (id, version, changed_at) VALUES (1, 0, now())"))
        conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head_revision()})


@pytest.fixture
def database_url(database_template, tmp_path, monkeypatch) -> Iterator[str]:
    if ON_POSTGRES:
        url = database_template
    else:
        path = tmp_path / "xuncha.db"
        shutil.copy(database_template, path)
        url = f"sqlite:///{path}"
    monkeypatch.setenv("XUNCHA_DATABASE_URL", url)
    monkeypatch.setenv("XUNCHA_MEDIA_DIR", str(tmp_path / "media"))
    monkeypatch.setenv("XUNCHA_ENV", "test")
    monkeypatch.setenv("XUNCHA_WORKER_EMBEDDED", "false")  # tests drive the message worker themselves
    get_settings.cache_clear()
    deps._recent_users.clear()  # tokens are per database: a user id can come back in the next test
    deps._throttles.clear()  # sign-in failures of one test must not throttle the next
    if not ON_POSTGRES:
        app_db.get_engine.cache_clear()
    if ON_POSTGRES:
        _reset_postgres()
    yield url
    get_settings.cache_clear()
    if not ON_POSTGRES:
        app_db.get_engine().dispose()
        app_db.get_engine.cache_clear()


@pytest.fixture
def settings(database_url):
    return get_settings()


@pytest.fixture
def session(database_url) -> Iterator[Session]:
    with Session(app_db.get_engine(), expire_on_commit=False) as s:
        yield s


@pytest.fixture
def client(database_url) -> Iterator[TestClient]:
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def make_unit(session) -> Callable[..., Unit]:
    def make(code: str, name: str | None = None, kind: str = "department") -> Unit:
        unit = Unit(code=code, name=name or f"单位{code}", kind=kind)
        session.add(unit)
        session.commit()
        return unit

    return make


_HASH = hash_password(PASSWORD)


@pytest.fixture
def make_user(session, client) -> Callable[..., dict]:
    """Makes a user and signs it in: returns {"user": User, "headers": {...}}."""

    def make(username: str, role: Role | str, unit: Unit | None = None, active: bool = True) -> dict:
        user = User(
            username=username,
            role=role,
            unit_id=unit.id if unit else None,
            password_hash=_HASH,
            display_name=username,
            active=True,
        )
        session.add(user)
        session.commit()
        r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
        assert r.status_code == 200, r.text
        if not active:
            user.active = False
            session.add(user)
            session.commit()
        return {"user": user, "headers": {"Authorization": f"Bearer {r.json()['access_token']}"}}

    return make


@pytest.fixture
def admin(make_user) -> dict:
    return make_user("admin1", Role.admin)


def pytest_report_header(config) -> str:
    return f"database: {'postgresql' if ON_POSTGRES else 'sqlite'}"
