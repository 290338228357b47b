"""The issue tests' small district, its site S001 a park (cgj's) with the default checklists written."""

import hashlib
import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import Photo, Zone
from app.models.base import utcnow
from app.services.inspections import seed_default_checklists
from tests.issues.conftest import LAT, LON, make_user_fast, offset, world  # noqa: F401

__all__ = ["LAT", "LON", "offset"]


@pytest.fixture
def site_world(world, session):  # noqa: F811
    site = session.exec(select(Zone).where(Zone.code == "S001")).one()
    site.category = "park_square"
    session.add(site)
    seed_default_checklists(session)
    session.commit()
    return world


@pytest.fixture
def photo_of(session):
    """A photo row uploaded by this user (no file), taken here and now."""

    def make(user, lon_lat=(LON, LAT)) -> str:
        pid = str(uuid.uuid4())
        session.add(
            Photo(
                id=pid,
                sha256=hashlib.sha256(pid.encode()).hexdigest(),
                phash=f"{uuid.uuid4().int & 0x7FFF_FFFF_FFFF_FFFF:016x}",
                phash_int=uuid.uuid4().int & 0x7FFF_FFFF_FFFF_FFFF,
                mime="image/jpeg",
                size_bytes=1000,
                width=640,
                height=480,
                exif_lat=lon_lat[1],
                exif_lon=lon_lat[0],
                exif_taken_at=utcnow() - timedelta(seconds=1),
                uploader_id=user.id,
            )
        )
        session.commit()
        return pid

    return make


@pytest.fixture
def answers(client, site_world):
    """The park checklist's items answered: every item passes but those given as {code: result}."""

    def make(who: str = "office", **results) -> list[dict]:
        form = client.get("/api/v1/checklists/park_square", headers=site_world.h(who)).json()
        return [{"code": i["code"], "result": results.get(i["code"], "pass")} for i in form["items"]]

    return make
