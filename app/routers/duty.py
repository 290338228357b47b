"""Staff on post (到岗): posts (office), check-ins (the post's unit), who is on post when (office)."""

from fastapi import APIRouter
from pydantic import AwareDatetime

from app.db import SessionDep
from app.deps import CurrentUser, OfficeUser, SettingsDep
from app.models.duty import (
    CheckInCreate,
    CheckInPublic,
    DutyPostCreate,
    DutyPostPublic,
    DutyPostUpdate,
    DutyStatus,
    FindingCreate,
)
from app.services import duty

router = APIRouter(prefix="/api/v1/duty", tags=["duty"])


@router.post("/posts", status_code=201)
def create_post(data: DutyPostCreate, _: OfficeUser, session: SessionDep) -> DutyPostPublic:
    return duty.create_post(session, data)


@router.get("/posts")
def list_posts(user: CurrentUser, session: SessionDep) -> list[DutyPostPublic]:
    return duty.list_posts(session, user)


@router.patch("/posts/{post_id}")
def update_post(post_id: int, data: DutyPostUpdate, _: OfficeUser, session: SessionDep) -> DutyPostPublic:
    return duty.update_post(session, post_id, data)


@router.post("/checkins", status_code=201)
def check_in(
    data: CheckInCreate, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> CheckInPublic:
    return duty.check_in(session, settings, user, data)


@router.get("/status")
def duty_status(
    _: OfficeUser, session: SessionDep, settings: SettingsDep, at: AwareDatetime | None = None
) -> DutyStatus:
    """Each post at `at` (default now): staffed, short, empty or off duty."""
    return duty.duty_status(session, settings, at)


@router.post("/findings", status_code=201)
def record_empty(
    data: FindingCreate, user: OfficeUser, session: SessionDep, settings: SettingsDep
) -> DutyStatus:
    """An empty post found on the spot (costs the unit points); refused while anyone is checked in."""
    return duty.record_empty(session, settings, user, data)
