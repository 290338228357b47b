"""The dashboard's aggregates are served by their indexes: each statement is EXPLAINed as it runs."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.db import get_engine
from app.models import Role, User
from app.services.stats import figures as stats
from app.services.stats.filters import StatsFilter
from tests.conftest import ON_POSTGRES

OFFICE = User(id=0, username="o", role=Role.office, password_hash="-")


@contextmanager
def plans() -> Iterator[list[str]]:
    """Collects the query plan of every SELECT run meanwhile (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN,
    with sequential scans priced out, as on a table of a million rows)."""
    engine = get_engine()
    seen: list[str] = []

    def explain(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith("SELECT"):
            return
        if ON_POSTGRES:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + statement, parameters)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
        seen.append("\n".join(str(row[-1]) for row in cursor.fetchall()))

    event.listen(engine, "before_cursor_execute", explain)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", explain)


@pytest.fixture
def unit(make_unit):
    return make_unit("cgj")


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's planner: covering index scans, no table lookups")
@pytest.mark.parametrize(
    ("figure", "index"),
    [
        (lambda s: stats.summary(s, StatsFilter()), "COVERING INDEX ix_issue_status_due"),
        (lambda s: stats.unit_stats(s, StatsFilter()), "COVERING INDEX ix_issue_unit_status"),
        (lambda s: stats.indicators(s, StatsFilter(unit_id=1)), "COVERING INDEX ix_issue_unit_kpi"),
        (lambda s: stats.unit_figures(s, OFFICE, "cgj", StatsFilter()), "COVERING INDEX ix_issue_unit_kpi"),
        (lambda s: stats.site_stats(s, StatsFilter()), "COVERING INDEX ix_issue_zone_layer_code_issue"),
        # without ANALYZE statistics SQLite takes (status, due_at) and sorts; with them (a real table) it
        # takes the partial index in due_at order and stops at the page: see benchmarks/stats_dashboard.py
        (
            lambda s: stats.overdue_page(s, StatsFilter()),
            "(status=? AND due_at<?)",
        ),
    ],
)
def test_sqlite_serves_each_figure_from_its_index(session, unit, figure, index):
    with plans() as seen:
        figure(session)
    assert any(index in plan for plan in seen), seen


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL proves the partial index's predicate matches")
def test_postgres_serves_the_overdue_list_from_the_partial_index(session, unit):
    with plans() as seen:
        stats.overdue_page(session, StatsFilter())
    assert any("ix_issue_overdue_due" in plan for plan in seen), seen
