"""Checklists and site inspections."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import AwareDatetime

from app.db import SessionDep
from app.deps import AdminUser, CurrentUser, SettingsDep
from app.models.inspection import (
    ChecklistPublic,
    ChecklistUpdate,
    FailedItem,
    InspectionCreate,
    InspectionForm,
    InspectionPage,
    InspectionPublic,
)
from app.services import inspections
from app.services.inspections.query import MAX_LIMIT

router = APIRouter(prefix="/api/v1", tags=["inspections"])
SiteKind = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]


@router.get("/checklists")
def list_checklists(_: CurrentUser, session: SessionDep) -> list[ChecklistPublic]:
    """The latest checklist of every site kind."""
    return inspections.list_checklists(session)


@router.get("/checklists/{site_kind}")
def get_checklist(
    site_kind: SiteKind,
    _: CurrentUser,
    session: SessionDep,
    version: Annotated[int | None, Query(ge=1)] = None,
) -> ChecklistPublic:
    """A site kind's checklist: its latest version, or `version`."""
    return inspections.checklist_public(session, inspections.template(session, site_kind, version))


@router.put("/checklists/{site_kind}")
def put_checklist(
    site_kind: SiteKind, data: ChecklistUpdate, admin: AdminUser, session: SessionDep
) -> ChecklistPublic:
    """Saves the kind's checklist as its next version (admin); inspections keep the version they used."""
    return inspections.put_checklist(session, admin, site_kind, data)


@router.get("/sites/{code}/inspection-form")
def inspection_form(code: str, user: CurrentUser, session: SessionDep) -> InspectionForm:
    return inspections.inspection_form(session, user, code)


@router.post("/inspections", status_code=201)
def create_inspection(
    data: InspectionCreate, user: CurrentUser, session: SessionDep, settings: SettingsDep, response: Response
) -> InspectionPublic:
    inspection, created = inspections.create_inspection(session, settings, user, data)
    if not created:
        response.status_code = 200
    return inspection


@router.get("/inspections")
def list_inspections(
    user: CurrentUser,
    session: SessionDep,
    site: Annotated[str | None, Query(max_length=64)] = None,
    unit: Annotated[str | None, Query(max_length=64)] = None,
    self_check: bool | None = None,
    start: Annotated[AwareDatetime | None, Query(alias="from")] = None,
    end: Annotated[AwareDatetime | None, Query(alias="to")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> InspectionPage:
    return inspections.list_inspections(session, user, site, unit, self_check, start, end, limit, cursor)


@router.get("/inspections/failed-items")
def failed_items(
    user: CurrentUser,
    session: SessionDep,
    unit: Annotated[str | None, Query(max_length=64)] = None,
    start: Annotated[AwareDatetime | None, Query(alias="from")] = None,
    end: Annotated[AwareDatetime | None, Query(alias="to")] = None,
) -> list[FailedItem]:
    """Failed checklist items of a unit's sites in [from, to): the office any unit's, a unit its own."""
    return inspections.failed_items_for(session, user, unit, start, end)


@router.get("/inspections/{inspection_id}")
def get_inspection(inspection_id: str, user: CurrentUser, session: SessionDep) -> InspectionPublic:
    return inspections.get_inspection(session, user, inspection_id)
