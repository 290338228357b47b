"""Staff on post: posts at sites, check-ins on the site with a fresh photo of one's own, who was on post when,
empty posts found on the spot (and what they cost)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.models import Photo
from app.models.base import utcnow
from app.models.duty import DutyCheckIn, DutyPost
from app.services.duty import on_duty, post_periods
from app.workflow.deadlines import WorkCalendar
from tests.issues.conftest import LAT, LON, offset

ALWAYS = "00:00-24:00"  # the whole day: "00:00-23:59" left 23:59 Beijing off duty


@pytest.fixture
def post(client, world):
    def make(unit: str = "cgj", headcount: int = 2, hours: str | None = ALWAYS) -> dict:
        r = client.post(
            "/api/v1/duty/posts",
            json={"site": "S001", "unit": unit, "headcount": headcount, "hours": hours},
            headers=world.h("office"),
        )
        assert r.status_code == 201, r.text
        return r.json()

    return make


@pytest.fixture
def checkin(client, world, own_photo, session):
    def post(who: str, post_id: int, at=(LON, LAT), photo: str | None = None):
        photo = photo or own_photo(who)
        body = {"post_id": post_id, "lon": at[0], "lat": at[1], "photo_id": photo}
        return client.post("/api/v1/duty/checkins", json=body, headers=world.h(who))

    return post


def test_the_office_sets_up_posts_and_only_the_office(client, world, post):
    p = post()
    assert p["site"] == "site:S001" and p["unit"] == "cgj" and p["headcount"] == 2
    again = client.post("/api/v1/duty/posts", json={"site": "S001", "unit": "cgj"}, headers=world.h("office"))
    assert again.status_code == 409
    bad = {"site": "S001", "unit": "zjj", "hours": "17:00-09:00"}
    assert client.post("/api/v1/duty/posts", json=bad, headers=world.h("office")).status_code == 422
    assert (
        client.post(
            "/api/v1/duty/posts", json={"site": "S999", "unit": "zjj"}, headers=world.h("office")
        ).status_code
        == 422
    )
    for who in ("unit", "grid"):
        assert (
            client.post(
                "/api/v1/duty/posts", json={"site": "S001", "unit": "zjj"}, headers=world.h(who)
            ).status_code
            == 403
        )
        assert client.get("/api/v1/duty/status", headers=world.h(who)).status_code == 403
    assert [x["id"] for x in client.get("/api/v1/duty/posts", headers=world.h("unit")).json()] == [p["id"]]
    assert client.get("/api/v1/duty/posts", headers=world.h("road")).json() == []  # zjj has none
    r = client.patch(
        f"/api/v1/duty/posts/{p['id']}", json={"headcount": 3, "hours": ""}, headers=world.h("office")
    )
    assert r.json()["headcount"] == 3 and r.json()["hours"] is None


def test_a_check_in_needs_the_site_and_a_fresh_photo_of_ones_own(
    checkin, post, make_photo, own_photo, report, session
):
    p = post()["id"]
    assert checkin("unit", p, at=offset(200)).json()["detail"].startswith("checkin_too_far")
    assert checkin("road", p).status_code == 403  # not the post's unit
    assert checkin("unit", p, photo=make_photo()).status_code == 422  # someone else's photo
    stale = own_photo("unit")
    photo = session.get(Photo, stale)
    photo.exif_taken_at = utcnow() - timedelta(hours=2)
    session.add(photo)
    session.commit()
    assert "photo_not_fresh" in checkin("unit", p, photo=stale).json()["detail"]
    attached = own_photo("unit")
    assert report("unit", photo_ids=[attached]).status_code == 201
    assert checkin("unit", p, photo=attached).json()["detail"].startswith("photo_reused")  # an issue holds it
    r = checkin("unit", p, at=offset(30))  # 30 m inside the 100 m site: fine
    assert r.status_code == 201, r.text
    used = r.json()["photo_id"]
    again = checkin("unit2", p, photo=used)
    assert again.status_code == 422  # the photo already proved a check-in (and is not unit2's)
    retry = checkin("unit", p, photo=used)  # the answer was lost and the phone sends the same check-in again
    assert retry.status_code == 201 and retry.json() == r.json()  # the check-in made, not a second one
    assert session.query(DutyCheckIn).count() == 1
    assert checkin("unit", p, at=offset(90)).status_code == 201  # 40 m outside the site, within 50 m
    row = session.query(DutyCheckIn).filter_by(photo_id=used).one()
    row.at = utcnow() - timedelta(hours=3)  # no longer valid: the same photo again is a photo reused
    session.add(row)
    session.commit()
    assert checkin("unit", p, photo=used).json()["detail"].startswith("photo_reused")


def test_the_status_shows_staffed_short_and_empty_posts_now_and_in_the_past(client, world, checkin, post):
    p = post(headcount=2)["id"]
    before = utcnow()
    assert checkin("unit", p).status_code == 201
    now = client.get("/api/v1/duty/status", headers=world.h("office")).json()
    assert [(s["post"]["id"], s["state"], s["checked_in"]) for s in now["posts"]] == [(p, "short", 1)]
    assert checkin("unit2", p).status_code == 201
    assert (
        client.get("/api/v1/duty/status", headers=world.h("office")).json()["posts"][0]["state"] == "staffed"
    )
    past = client.get(
        "/api/v1/duty/status", params={"at": before.isoformat()}, headers=world.h("office")
    ).json()
    assert past["posts"][0]["state"] == "empty"
    later = (utcnow() + timedelta(hours=3)).isoformat()
    assert (
        client.get("/api/v1/duty/status", params={"at": later}, headers=world.h("office")).json()["posts"][0][
            "state"
        ]
        == "empty"
    )  # check-ins staff a post for two hours


def test_an_empty_post_found_on_the_spot_costs_the_unit_points(client, world, checkin, post, session):
    office = world.units["cjb"]
    office.kind = "office"
    session.add(office)
    session.commit()
    staffed, empty = post("cgj")["id"], post("zjj")["id"]
    assert checkin("unit", staffed).status_code == 201
    assert (
        client.post("/api/v1/duty/findings", json={"post_id": staffed}, headers=world.h("office")).status_code
        == 409
    )
    r = client.post(
        "/api/v1/duty/findings", json={"post_id": empty, "note": "无人"}, headers=world.h("office")
    )
    assert r.status_code == 201
    assert (
        client.post("/api/v1/duty/findings", json={"post_id": empty}, headers=world.h("unit")).status_code
        == 403
    )
    score = client.get("/api/v1/score/units/zjj", headers=world.h("office")).json()
    assert score["by_rule"] == {"empty_post": 2.0} and "无人" in score["deductions"][0]["reason"]


def test_an_empty_post_is_found_on_the_spot_and_a_retry_costs_the_unit_once(client, world, post, session):
    from app.models.duty import EmptyPostFinding

    empty = post("zjj")["id"]
    far = offset(0, 2000)  # 2 km north of the site
    r = client.post(
        "/api/v1/duty/findings",
        json={"post_id": empty, "lon": far[0], "lat": far[1]},
        headers=world.h("office"),
    )
    assert r.status_code == 422 and r.json()["detail"].startswith("finding_too_far")
    half = {"post_id": empty, "lat": LAT}
    assert client.post("/api/v1/duty/findings", json=half, headers=world.h("office")).status_code == 422
    assert session.query(EmptyPostFinding).count() == 0  # nothing half-saved
    on_site = {"post_id": empty, "lon": LON, "lat": LAT, "accuracy_m": 8, "note": "无人"}
    for _ in range(2):  # the answer was lost and the phone sends again, or a second tap
        assert (
            client.post("/api/v1/duty/findings", json=on_site, headers=world.h("office")).status_code == 201
        )
    (found,) = session.query(EmptyPostFinding).all()
    assert found.distance_m == 0
    gone = post("cgj")["id"]
    r = client.patch(f"/api/v1/duty/posts/{gone}", json={"active": False}, headers=world.h("office"))
    assert r.status_code == 200, r.text
    off = {"post_id": gone, "lon": LON, "lat": LAT}
    assert client.post("/api/v1/duty/findings", json=off, headers=world.h("office")).status_code == 404
    score = client.get("/api/v1/score/units/zjj", headers=world.h("office")).json()
    assert score["by_rule"] == {"empty_post": 2.0}


def test_a_post_on_duty_until_24_00_is_on_duty_every_instant_of_the_day(settings):
    calendar = WorkCalendar.from_settings(settings)
    tz = ZoneInfo(settings.timezone)
    whole, evening = DutyPost(hours="00:00-24:00"), DutyPost(hours="07:00-09:00,17:00-24:00")
    for hh, mm, ss, us in [(0, 0, 0, 0), (12, 0, 0, 0), (23, 59, 30, 0), (23, 59, 59, 999999)]:
        moment = datetime(2026, 12, 5, hh, mm, ss, us, tzinfo=tz).astimezone(UTC)
        assert on_duty(whole, calendar, moment)
    late = datetime(2026, 12, 5, 23, 59, 59, 999999, tzinfo=tz)
    assert on_duty(evening, calendar, late) and not on_duty(evening, calendar, late.replace(hour=12))
    assert not on_duty(DutyPost(hours="00:00-23:59"), calendar, late)  # why the whole day is written 24:00
    with pytest.raises(ValueError):
        post_periods("24:00-08:00")  # 24:00 ends a period, it starts none
