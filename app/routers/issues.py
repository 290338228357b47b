"""Issues: report, list, read, and act on them."""

from fastapi import APIRouter, Query, Response

from app.db import SessionDep
from app.deps import CurrentUser, IssueFiltersDep, SettingsDep
from app.models.issue import IssueAction, IssuePage, IssuePublic, IssueReport
from app.models.issue_list import IssueSlimPage, ListSort, ListView
from app.services import issues

router = APIRouter(prefix="/api/v1", tags=["issues"])


@router.post("/issues", status_code=201)
def create_issue(
    data: IssueReport, user: CurrentUser, session: SessionDep, settings: SettingsDep, response: Response
) -> IssuePublic:
    issue, created = issues.create_issue(session, settings, user, data)
    if not created:
        response.status_code = 200
    return issue


@router.get("/issues")
def list_issues(
    user: CurrentUser,
    session: SessionDep,
    filters: IssueFiltersDep,
    limit: int = Query(default=50, ge=1, le=issues.MAX_LIMIT),
    cursor: str | None = Query(default=None, max_length=200),
    sort: ListSort = Query(
        default=ListSort.new,
        description="new (newest first), due (soonest deadline "
        "first, none last) or near (nearest to `near` first: one page of `limit`)",
    ),
    view: ListView = Query(default=ListView.full, description="slim: items without events, for phones"),
    near: str | None = Query(default=None, max_length=60, description="lat,lon in WGS-84, with sort=near"),
    mine: bool = Query(default=False, description="only the issues I reported"),
) -> IssuePage | IssueSlimPage:
    return issues.list_issues(
        session, user, filters, limit, cursor, sort=sort, view=view, near=near, mine=mine
    )


@router.get("/issues/{key}")
def get_issue(key: str, user: CurrentUser, session: SessionDep, settings: SettingsDep) -> IssuePublic:
    return issues.get_issue(session, settings, user, key)


@router.post("/issues/{key}/actions")
def act(
    key: str, data: IssueAction, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> IssuePublic:
    return issues.act(session, settings, user, key, data)
