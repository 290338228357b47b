"""The models and the migrations agree, and the migrations go down and up again, on this run's database."""

import re

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app.db import get_engine, make_engine
from app.migrate import downgrade, head_revision, schema_state, upgrade
from app.workflow.states import WORKING_STATUSES
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


def _index_statuses(engine, name: str) -> set[str]:
    """The status literals in a partial index's predicate, as the database holds it."""
    if engine.dialect.name == "sqlite":
        query = text("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name")
    else:
        query = text("SELECT indexdef FROM pg_indexes WHERE indexname = :name")
    with engine.connect() as conn:
        definition = conn.execute(query, {"name": name}).scalar_one()
    where = definition.split("WHERE", 1)[1]
    return set(re.findall(r"'([a-z_]+)'", where))


def test_the_overdue_index_holds_exactly_the_working_statuses(database_url):
    """The migration spells the partial index's predicate out; it must name WORKING_STATUSES, no more or less."""
    assert _index_statuses(get_engine(), "ix_issue_overdue_due") == {s.value for s in WORKING_STATUSES}
