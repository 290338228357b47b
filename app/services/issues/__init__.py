"""Issues: the use cases the routers (and Open311, exports, the dashboard) call.

The work is split in small modules; this one is the front door:
- create: create_issue(session, settings, reporter, data) -> (IssuePublic, created)
- actions: act(session, settings, user, key, data) -> IssuePublic
- query: visible_clause, parse_issue_filters, filtered_issues_query, keyset pages
- render: render_issue(s) -> IssuePublic
"""

from datetime import datetime

from sqlmodel import Session

from app.config import Settings
from app.models import User
from app.models.base import utcnow
from app.models.issue import IssuePage, IssuePublic
from app.services.issues.actions import act
from app.services.issues.create import create_issue, possible_duplicates
from app.services.issues.query import (
    IssueFilters,
    encode_cursor,
    filtered_issues_query,
    overdue_clause,
    page_query,
    parse_issue_filters,
    visible_clause,
    visible_issue,
)
from app.services.issues.render import render_issue, render_issues
from app.workflow.states import OPEN_STATUSES

__all__ = [
    "IssueFilters",
    "act",
    "create_issue",
    "filtered_issues_query",
    "get_issue",
    "list_issues",
    "overdue_clause",
    "parse_issue_filters",
    "render_issue",
    "render_issues",
    "visible_clause",
]

MAX_LIMIT = 200


def list_issues(
    session: Session,
    user: User,
    filters: IssueFilters,
    limit: int = 50,
    cursor: str | None = None,
    now: datetime | None = None,
) -> IssuePage:
    """One page of the issues this user may see, newest first; next_cursor continues after its last item."""
    now = now or utcnow()
    rows = list(
        session.execute(page_query(filtered_issues_query(user, filters, now), limit, cursor)).scalars()
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return IssuePage(
        items=render_issues(session, rows, now), next_cursor=encode_cursor(rows[-1]) if more else None
    )


def get_issue(session: Session, settings: Settings, user: User, key: str) -> IssuePublic:
    """One issue by id or ref (404 if the user may not see it); an open one lists its possible duplicates."""
    issue = visible_issue(session, user, key)
    shown = render_issue(session, issue)
    if issue.status in OPEN_STATUSES:
        shown.possible_duplicates = possible_duplicates(session, settings, user, issue)
    return shown
