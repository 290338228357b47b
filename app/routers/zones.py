"""zones: import and export of zone layers (GeoJSON), and locating a point among them."""

import time
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Response
from starlette.concurrency import run_in_threadpool

from app.config import get_settings
from app.db import SessionDep, get_engine, new_session
from app.deps import AdminUser, CurrentUser, current_user, oauth2
from app.geo.crs import Crs
from app.models import User
from app.models.zone import Layer, LocatePublic, ZoneImportResult
from app.services import zones

router = APIRouter(prefix="/api/v1", tags=["zones"])

GEOJSON = "application/geo+json"
AUTH_REUSE_S = 5.0  # how long GET /locate trusts a token it has seen belong to an active user
_recent_users: dict[tuple[str, str], tuple[float, User]] = {}


def _sign_in(token: str | None) -> User:
    with new_session() as session:
        return current_user(session, get_settings(), token)


async def recent_user(token: Annotated[str | None, Depends(oauth2)]) -> User:
    """CurrentUser for a hot, read-only path: the same rules (deps.current_user), but a token seen valid in the
    last AUTH_REUSE_S seconds is not looked up again, so such a request waits on no thread and no query. A user
    deactivated meanwhile can still locate points for those few seconds."""
    key = (str(get_engine().url), token or "")
    now = time.monotonic()
    seen = _recent_users.get(key)
    if seen and seen[0] > now:
        return seen[1]
    user = await run_in_threadpool(_sign_in, token)
    if len(_recent_users) >= 10_000:
        _recent_users.clear()
    _recent_users[key] = (now + AUTH_REUSE_S, user)
    return user


RecentUser = Annotated[User, Depends(recent_user)]


@router.get("/zones", response_class=Response, responses={200: {"content": {GEOJSON: {}}}})
def list_zones(
    _: CurrentUser, session: SessionDep, layer: Layer | None = None, crs: Crs = Crs.wgs84
) -> Response:
    """A layer (or every layer) as a GeoJSON FeatureCollection."""
    return Response(zones.zones_geojson(session, layer, crs), media_type=GEOJSON)


@router.post("/zones/import")
def import_zones(
    _: AdminUser,
    session: SessionDep,
    layer: Layer,
    data: Annotated[Any, Body(description="a GeoJSON FeatureCollection")],
    crs: Crs = Crs.wgs84,
) -> ZoneImportResult:
    """Create or update (by code) a layer's zones: the whole file, or nothing and a 422 naming each problem."""
    return zones.import_zones(session, layer, data, crs)


@router.get("/locate")
async def locate(
    _: RecentUser,
    lat: Annotated[float, Query(ge=-90, le=90, allow_inf_nan=False, description="latitude in `crs`")],
    lon: Annotated[float, Query(ge=-180, le=180, allow_inf_nan=False, description="longitude in `crs`")],
    crs: Crs = Crs.wgs84,
    accuracy_m: Annotated[float | None, Query(ge=0, allow_inf_nan=False, description="GPS accuracy")] = None,
) -> LocatePublic:
    """The zones of every layer at a point, and the unit responsible for it."""
    return await zones.locate_public(get_settings(), lon, lat, crs, accuracy_m)
