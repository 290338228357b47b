"""Road-chief patrols (路长制): start, track batches, end; coverage; the office's daily figures."""

import json
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.db import SessionDep
from app.deps import CurrentUser, SettingsDep
from app.models.patrol import (
    BatchAccepted,
    PatrolEnd,
    PatrolPublic,
    PatrolStart,
    PatrolSummary,
    TrackBatch,
    UnitPatrolDay,
    UnpatrolledSegment,
)
from app.routers.zones import GEOJSON
from app.services import patrols

router = APIRouter(prefix="/api/v1", tags=["patrols"])
UnitCode = Annotated[str | None, Query(max_length=64, description="a unit's code")]


@router.post("/patrols", status_code=201)
def start_patrol(
    data: PatrolStart, user: CurrentUser, session: SessionDep, settings: SettingsDep, response: Response
) -> PatrolPublic:
    patrol, created = patrols.start_patrol(session, settings, user, data)
    if not created:
        response.status_code = 200
    return patrol


@router.post("/patrols/{patrol_id}/points", status_code=201)
def add_points(
    patrol_id: str,
    data: TrackBatch,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
) -> BatchAccepted:
    accepted, created = patrols.add_points(session, settings, user, patrol_id, data)
    if not created:
        response.status_code = 200
    return accepted


@router.post("/patrols/{patrol_id}/end")
def end_patrol(
    patrol_id: str, data: PatrolEnd, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> PatrolPublic:
    return patrols.end_patrol(session, settings, user, patrol_id, data)


@router.get("/patrols")
def list_patrols(
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    day: Annotated[
        date | None, Query(alias="date", description="patrols with a point on this local day")
    ] = None,
    unit: UnitCode = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[PatrolSummary]:
    return patrols.list_patrols(session, settings, user, day, unit, limit)


@router.get("/patrols/daily")
def daily(
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    day: Annotated[date | None, Query(alias="date", description="a local day; default today")] = None,
    unit: UnitCode = None,
) -> list[UnitPatrolDay]:
    """Per unit with road segments: segments due and patrolled, coverage, distance, issues found that day."""
    return patrols.daily(session, settings, user, day, unit)


@router.get("/patrols/unpatrolled")
def unpatrolled(
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    days: Annotated[int | None, Query(ge=1, le=366)] = None,
    unit: UnitCode = None,
) -> list[UnpatrolledSegment]:
    """Road segments nobody patrolled for `days` due days (default XUNCHA_PATROL_UNPATROLLED_DAYS)."""
    return patrols.unpatrolled(session, settings, user, days, unit)


@router.get(
    "/patrols/{patrol_id}/track",
    response_class=Response,
    responses={200: {"content": {GEOJSON: {}}, "description": "a GeoJSON FeatureCollection (WGS-84)"}},
)
def get_track(patrol_id: str, user: CurrentUser, session: SessionDep, settings: SettingsDep) -> Response:
    """The patrol's track for a map: its trusted points as a line, each point left out with its flag."""
    body = json.dumps(patrols.patrol_track(session, settings, user, patrol_id), separators=(",", ":"))
    return Response(body, media_type=GEOJSON)


@router.get("/patrols/{patrol_id}")
def get_patrol(patrol_id: str, user: CurrentUser, session: SessionDep, settings: SettingsDep) -> PatrolPublic:
    return patrols.get_patrol(session, settings, user, patrol_id)
