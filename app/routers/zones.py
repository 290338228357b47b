"""zones: import and export of zone layers (GeoJSON), and locating a point among them."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response

from app.config import get_settings
from app.db import SessionDep
from app.deps import AdminUser, CurrentUser, RecentUser
from app.geo.crs import Crs
from app.geo.layers import Layer
from app.models.zone import LocatePublic, ZoneImportResult
from app.routers.etag import cached_response
from app.services import zones

router = APIRouter(prefix="/api/v1", tags=["zones"])

GEOJSON = "application/geo+json"


@router.get("/zones", response_class=Response, responses={200: {"content": {GEOJSON: {}}}})
def list_zones(
    _: CurrentUser, request: Request, session: SessionDep, layer: Layer | None = None, crs: Crs = Crs.wgs84
) -> Response:
    """A layer (or every layer) as a GeoJSON FeatureCollection, each feature with its unit's code and name.
    With a strong ETag: If-None-Match answers 304 while nothing changed (the phone locates offline from it)."""
    return cached_response(request, zones.zones_geojson(session, layer, crs).encode(), GEOJSON)


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
