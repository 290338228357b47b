"""Issues: the use cases the routers (and Open311, exports, the dashboard) call.

The work is split in small modules; this one is the front door:
- create: create_issue(session, settings, reporter, data) -> (IssuePublic, created)
- actions: act(session, settings, user, key, data) -> IssuePublic
- listing: list_issues(session, user, filters, ..., sort, view, near, mine) -> a page, full or slim
- query: visible_clause, parse_issue_filters, filtered_issues_query, keyset pages
- render: render_issue(s) -> IssuePublic
"""

from sqlmodel import Session

from app.config import Settings
from app.models import User
from app.models.issue import IssuePublic
from app.services.issues.actions import act
from app.services.issues.create import create_issue, possible_duplicates
from app.services.issues.listing import MAX_LIMIT, list_issues
from app.services.issues.query import (
    IssueFilters,
    filtered_issues_query,
    overdue_clause,
    parse_issue_filters,
    visible_clause,
    visible_issue,
)
from app.services.issues.render import render_issue, render_issues
from app.services.issues.state import viewer_actions
from app.workflow.states import OPEN_STATUSES

__all__ = [
    "MAX_LIMIT",
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


def get_issue(session: Session, settings: Settings, user: User, key: str) -> IssuePublic:
    """One issue by id or ref (404 if the user may not see it); an open one lists its possible duplicates."""
    issue = visible_issue(session, user, key)
    shown = render_issue(session, issue)
    shown.actions = viewer_actions(session, user, issue)
    if issue.status in OPEN_STATUSES:
        shown.possible_duplicates = possible_duplicates(session, settings, user, issue)
    return shown
