"""Geo test helpers: zones drawn in metres around a point in Changsha, as GeoJSON."""

import pytest

from app import deps
from app.models import Role

LON0, LAT0 = 113.0, 28.2  # inside China, so GCJ-02 and BD-09 shift points here
# metres per degree at 28.2° N on the WGS-84 ellipsoid (geodesic, good to 1e-6 within a few hundred metres)
M_PER_DEG_LAT = 110_822.68
M_PER_DEG_LON = 98_179.66


def at(east_m: float, north_m: float) -> tuple[float, float]:
    """(lon, lat) of a point east_m / north_m metres from (LON0, LAT0)."""
    return LON0 + east_m / M_PER_DEG_LON, LAT0 + north_m / M_PER_DEG_LAT


def rect(x0: float, y0: float, x1: float, y1: float) -> dict:
    """A GeoJSON Polygon of a rectangle given in metres."""
    corners = [at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1), at(x0, y0)]
    return {"type": "Polygon", "coordinates": [[list(c) for c in corners]]}


def line(*points_m: tuple[float, float]) -> dict:
    return {"type": "LineString", "coordinates": [list(at(x, y)) for x, y in points_m]}


def feature(code, unit, geometry, **props) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": {"code": code, "unit": unit, **props}}


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch):
    """GET /locate trusts its index for zone_check_s and a token for AUTH_REUSE_S. On PostgreSQL every test
    reuses one database URL, so a test could meet the previous test's zones or users: check every time here
    (the tests that are about those time windows set them again)."""
    monkeypatch.setenv("XUNCHA_ZONE_CHECK_S", "0")
    deps._recent_users.clear()
    yield
    deps._recent_users.clear()


@pytest.fixture
def units(make_unit) -> dict:
    return {code: make_unit(code) for code in ("sq01", "sq02", "cgj", "zjj", "sh01", "wy01")}


@pytest.fixture
def grid_worker(make_user, units) -> dict:
    return make_user("zhangmin", Role.grid_worker, units["sq01"])


@pytest.fixture
def import_layer(client, admin):
    """POST /zones/import as the admin; returns the response."""

    def run(layer: str, data, crs: str | None = None):
        params = {"layer": layer} | ({"crs": crs} if crs else {})
        return client.post("/api/v1/zones/import", params=params, json=data, headers=admin["headers"])

    return run
