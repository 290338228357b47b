"""A small district for the issue tests: two zones, the units that own them, a user of every role, photos."""

import hashlib
import json
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from shapely.geometry import box, mapping

from app.models import Photo, Role, User, Zone
from app.models.base import utcnow
from app.security import create_token
from app.services.zones import bump_revision

# a 400 m square grid (owned by community sq01) holding a 100 m site (owned by the city-management bureau cgj)
LON, LAT = 112.9500, 28.2000  # the issue's point: inside the site
OUTSIDE = (112.9550, 28.2030)  # in neither zone
DEG_PER_M_LAT = 1 / 110_574
DEG_PER_M_LON = 1 / (111_320 * 0.8805)


def offset(metres_east: float, metres_north: float = 0.0) -> tuple[float, float]:
    """(lon, lat) this many metres from the issue's point."""
    return LON + metres_east * DEG_PER_M_LON, LAT + metres_north * DEG_PER_M_LAT


def _zone(layer, code, unit, geom) -> Zone:
    minx, miny, maxx, maxy = geom.bounds
    return Zone(
        layer=layer,
        code=code,
        name=f"{layer} {code}",
        unit_id=unit.id,
        geometry=json.dumps(mapping(geom)),
        min_lon=minx,
        min_lat=miny,
        max_lon=maxx,
        max_lat=maxy,
    )


@dataclass
class World:
    units: dict
    users: dict  # name -> {"user", "headers"}

    def h(self, name: str) -> dict:
        return self.users[name]["headers"]

    def user(self, name: str):
        return self.users[name]["user"]


@pytest.fixture
def make_user_fast(session, settings):
    """A signed-in user without a password round trip (argon2 at every sign-in would slow every test)."""

    def make(username: str, role: Role, unit=None) -> dict:
        user = User(username=username, role=role, unit_id=unit.id if unit else None, password_hash="!")
        session.add(user)
        session.commit()
        return {"user": user, "headers": {"Authorization": f"Bearer {create_token(user.id, settings)}"}}

    return make


@pytest.fixture
def world(session, make_unit, make_user_fast) -> World:
    make_user = make_user_fast
    units = {c: make_unit(c) for c in ("cjb", "cgj", "zjj", "sq01", "sq02")}
    half_site, half_grid = 50, 200
    site = box(*offset(-half_site, -half_site), *offset(half_site, half_site))
    grid = box(*offset(-half_grid, -half_grid), *offset(half_grid, half_grid))
    session.add(_zone("site", "S001", units["cgj"], site))
    session.add(_zone("grid", "G0101", units["sq01"], grid))
    bump_revision(session)
    session.commit()
    users = {
        "admin": make_user("admin", Role.admin),
        "office": make_user("office", Role.office, units["cjb"]),
        "office_cgj": make_user(
            "office_cgj", Role.office, units["cgj"]
        ),  # an office user of the fixer's unit
        "unit": make_user("unit", Role.unit, units["cgj"]),
        "unit2": make_user("unit2", Role.unit, units["cgj"]),
        "other_unit": make_user("other_unit", Role.unit, units["zjj"]),
        "grid": make_user("grid", Role.grid_worker, units["sq01"]),
        "grid2": make_user("grid2", Role.grid_worker, units["sq02"]),
        "road": make_user("road", Role.road_chief, units["zjj"]),
    }
    return World(units, users)


_rng = random.Random(7)


@pytest.fixture
def make_photo(session):
    """A photo row as the photos part would store it (no file): where and when it was taken, its hashes."""

    def make(
        lon_lat: tuple[float, float] | None = (LON, LAT),
        taken_at: datetime | None = "now",
        phash_int: int | None = None,
        exif: bool = True,
        by: int | None = None,
    ) -> str:
        if taken_at == "now":
            taken_at = utcnow() - timedelta(seconds=1)
        pid = str(uuid.uuid4())
        value = phash_int if phash_int is not None else _rng.getrandbits(64) - 2**63
        lon, lat = lon_lat if lon_lat else (None, None)
        photo = Photo(
            id=pid,
            sha256=hashlib.sha256(pid.encode()).hexdigest(),
            phash=f"{value & 0xFFFF_FFFF_FFFF_FFFF:016x}",
            phash_int=value,
            mime="image/jpeg",
            size_bytes=1000,
            width=640,
            height=480,
            exif_lat=lat if exif else None,
            exif_lon=lon if exif else None,
            exif_taken_at=taken_at if exif else None,
            form_lat=None if exif else lat,
            form_lon=None if exif else lon,
            form_taken_at=None if exif else taken_at,
            uploader_id=by,
        )
        session.add(photo)
        session.commit()
        return pid

    return make


def _upload_as(session, user, photo_ids) -> None:
    """Photos made by make_photo without an uploader become this user's (only its uploader may attach one)."""
    for photo_id in photo_ids or ():
        photo = session.get(Photo, photo_id)
        if photo is not None and photo.uploader_id is None:
            photo.uploader_id = user.id
            session.add(photo)
    session.commit()


@pytest.fixture
def report(client, world, make_photo, session):
    """POSTs a new issue (as the grid worker unless told) and returns the response."""

    def post(who: str = "grid", **body):
        body.setdefault("category", "env.litter")
        body.setdefault("lat", LAT)
        body.setdefault("lon", LON)
        if "photo_ids" not in body:
            body["photo_ids"] = [make_photo()]
        _upload_as(session, world.user(who), body["photo_ids"] + body.get("after_photo_ids", []))
        return client.post("/api/v1/issues", json=body, headers=world.h(who))

    return post


@pytest.fixture
def act(client, world, session):
    """POSTs an action (its photos, if nobody uploaded them, as the actor's own) and returns the response."""

    def post(issue_id: str, who: str, action: str, **body):
        _upload_as(session, world.user(who), body.get("photo_ids"))
        return client.post(
            f"/api/v1/issues/{issue_id}/actions", json={"action": action, **body}, headers=world.h(who)
        )

    return post
