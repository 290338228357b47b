"""The models and the migrations agree, and the migrations go down and up again, on this run's database."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app.db import get_engine, make_engine
from app.migrate import downgrade, head_revision, schema_state, upgrade
from tests.conftest import ON_POSTGRES


def _diff(engine):
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, SQLModel.metadata)


def test_models_match_migrations(database_url):
    engine = get_engine()
    assert schema_state(engine) == (head_revision(), head_revision())
    assert _diff(engine) == []


def test_downgrade_to_base_and_back_to_head(database_url, tmp_path):
    url = database_url if ON_POSTGRES else f"sqlite:///{tmp_path / 'roundtrip.db'}"
    if not ON_POSTGRES:
        upgrade(url)
    get_engine().dispose()
    downgrade(url, "base")
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(url)
    assert _diff(engine) == []
    engine.dispose()
