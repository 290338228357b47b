"""Directives (指令): sent by the office, acknowledged and reported done by the units they were sent to."""

from fastapi import APIRouter, Query

from app.db import SessionDep
from app.deps import CurrentUser, OfficeUser, SettingsDep
from app.models.directive import DirectiveCreate, DirectiveDone, DirectivePublic
from app.services import directives

router = APIRouter(prefix="/api/v1", tags=["directives"])


@router.post("/directives", status_code=201)
def send_directive(
    data: DirectiveCreate, user: OfficeUser, session: SessionDep, settings: SettingsDep
) -> DirectivePublic:
    return directives.send_directive(session, settings, user, data)


@router.get("/directives")
def list_directives(
    user: CurrentUser,
    session: SessionDep,
    state: str | None = Query(default=None, description="unread, read, done or late"),
) -> list[DirectivePublic]:
    return directives.list_directives(session, user, state)


@router.get("/directives/{directive_id}")
def get_directive(directive_id: int, user: CurrentUser, session: SessionDep) -> DirectivePublic:
    return directives.get_directive(session, user, directive_id)


@router.post("/directives/{directive_id}/read")
def mark_read(directive_id: int, user: CurrentUser, session: SessionDep) -> DirectivePublic:
    return directives.mark_read(session, user, directive_id)


@router.post("/directives/{directive_id}/done")
def report_done(
    directive_id: int, data: DirectiveDone, user: CurrentUser, session: SessionDep
) -> DirectivePublic:
    return directives.report_done(session, user, directive_id, data)
