"""Indexes the dashboard's aggregates need on the issue tables (declared here so issue.py stays the workflow's).

Each one is covering for a hot query, so 1,000,000 issues are counted from the index alone:
- ix_issue_unit_kpi: per-unit figures, one unit's figures, on-time and rework rates (all columns they read).
- ix_issue_overdue_due: the overdue list, most overdue first; partial, so it holds only open work.
- ix_issue_status_due_unit: overdue counts per unit, from the overdue entries alone (a range of it).
- ix_issue_closed_at: closures per day (trend) and hot spots' closed problems.
- ix_issue_category_created: hot spots' recurrences, by category and time.
- ix_issue_zone_layer_code_issue: per-site figures (site -> its issues without touching the table).
"""

from sqlalchemy import Index, TextClause, text

from app.models.issue import Issue, IssueZone
from app.workflow.states import WORKING_STATUSES


def overdue_predicate(column: str = "status") -> TextClause:
    """`status IN ('dispatched', 'in_progress')`: the issues whose clock runs (WORKING_STATUSES).

    Kept literal (not bound parameters) so SQLite and PostgreSQL can match a query to the partial index; the
    migration that made the index spells it out, and tests/test_migrations.py proves the two agree."""
    return text(f"{column} IN ({', '.join(repr(str(s)) for s in WORKING_STATUSES)})")


_issue = Issue.__table__.c
_zone = IssueZone.__table__.c

DASHBOARD_INDEXES = (
    Index(
        "ix_issue_unit_kpi",
        _issue.unit_id,
        _issue.status,
        _issue.due_at,
        _issue.closed_at,
        _issue.rectified_at,
        _issue.reopen_count,
        _issue.extension_pending,
    ),
    Index(
        "ix_issue_overdue_due",
        _issue.due_at,
        _issue.id,
        sqlite_where=overdue_predicate(),
        postgresql_where=overdue_predicate(),
    ),
    Index("ix_issue_status_due_unit", _issue.status, _issue.due_at, _issue.unit_id),
    Index("ix_issue_closed_at", _issue.closed_at),
    Index("ix_issue_category_created", _issue.category, _issue.created_at),
    Index("ix_issue_zone_layer_code_issue", _zone.layer, _zone.code, _zone.issue_id),
)
