"""The issue tests' district with two road segments of zjj (the road chief's unit), and a track maker."""

import json
import uuid
from datetime import datetime, timedelta

import pytest
from shapely.geometry import LineString, mapping

from app.models import Zone
from app.services.zones import bump_revision
from tests.issues.conftest import LAT, LON, make_photo, make_user_fast, offset, report, world  # noqa: F401

__all__ = ["LAT", "LON", "offset"]


def _road(code, unit, a, b) -> Zone:
    line = LineString([offset(*a), offset(*b)])
    minx, miny, maxx, maxy = line.bounds
    return Zone(
        layer="road",
        code=code,
        name=f"路段{code}",
        unit_id=unit.id,
        width_m=20,
        geometry=json.dumps(mapping(line)),
        min_lon=minx,
        min_lat=miny,
        max_lon=maxx,
        max_lat=maxy,
    )


@pytest.fixture
def road_world(world, session, make_user_fast):  # noqa: F811
    session.add(_road("R001", world.units["zjj"], (-500, 0), (500, 0)))  # 1 km east-west through the site
    session.add(_road("R002", world.units["zjj"], (0, 600), (0, 1100)))  # 500 m north-south, further north
    bump_revision(session)
    session.commit()
    world.users["road2"] = make_user_fast("road2", "road_chief", world.units["zjj"])
    world.users["road_cgj"] = make_user_fast("road_cgj", "road_chief", world.units["cgj"])
    return world


def walk(
    start: datetime, frm: tuple[float, float], to: tuple[float, float], speed=1.4, every_s=5.0
) -> list[dict]:
    """Points every `every_s` seconds walking in a straight line (metres from the site's centre)."""
    (x0, y0), (x1, y1) = frm, to
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    n = int(length / (speed * every_s)) + 1
    points = []
    for i in range(n + 1):
        share = min(i * speed * every_s / length, 1.0)
        lon, lat = offset(x0 + share * (x1 - x0), y0 + share * (y1 - y0))
        t = start + timedelta(seconds=i * every_s)
        points.append({"t": t.isoformat(), "lat": lat, "lon": lon, "accuracy_m": 8})
    return points


@pytest.fixture
def patrol(client, road_world):
    """Starts a patrol as this road chief, posts these points as batches, ends it; returns the last response."""

    def run(points: list[dict], who="road", batch=100, end=True, started_at=None):
        h = road_world.h(who)
        pid = str(uuid.uuid4())
        r = client.post(
            "/api/v1/patrols", json={"id": pid, "started_at": started_at or points[0]["t"]}, headers=h
        )
        assert r.status_code == 201, r.text
        for k in range(0, len(points), batch):
            body = {"batch_id": str(uuid.uuid4()), "points": points[k : k + batch]}
            r = client.post(f"/api/v1/patrols/{pid}/points", json=body, headers=h)
            assert r.status_code == 201, r.text
        if end:
            r = client.post(f"/api/v1/patrols/{pid}/end", json={"ended_at": points[-1]["t"]}, headers=h)
            assert r.status_code == 200, r.text
            return r.json()
        return r.json()["patrol"]

    return run
