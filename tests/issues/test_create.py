"""POST /api/v1/issues: located, numbered, idempotent on the client's id, near-duplicates surfaced."""

import uuid

from tests.issues.conftest import LAT, LON, OUTSIDE, offset


def test_a_report_is_located_numbered_and_logged(report, world):
    r = report(description=" 垃圾堆放 ", accuracy_m=8)
    assert r.status_code == 201, r.text
    issue = r.json()
    assert issue["status"] == "reported"
    assert issue["ref"].startswith(issue["created_at"][:4] + "-") and len(issue["ref"]) == 11
    assert issue["unit"] == "cgj" and issue["proposed_unit"] == "cgj"  # the site beats the grid
    assert [(z["layer"], z["code"]) for z in issue["zones"]] == [("site", "S001"), ("grid", "G0101")]
    assert issue["description"] == "垃圾堆放" and issue["reporter"] == "grid"
    assert issue["due_at"] is None and issue["overdue"] is False and issue["version"] == 1
    (event,) = issue["events"]
    assert (event["action"], event["from_status"], event["to_status"], event["actor"]) == (
        "report",
        None,
        "reported",
        "grid",
    )
    assert event["photo_ids"] == [issue["photos"][0]["id"]] and issue["photos"][0]["role"] == "report"
    assert issue["possible_duplicates"] == []


def test_refs_are_consecutive(report):
    refs = [report().json()["ref"] for _ in range(3)]
    numbers = [int(r.split("-")[1]) for r in refs]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]


def test_the_same_id_again_is_the_same_issue(report, make_photo, client, world):
    body = {"id": str(uuid.uuid4()), "photo_ids": [make_photo()], "description": "x"}
    first = report(**body)
    again = report(**body)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"] == body["id"]
    assert again.json()["ref"] == first.json()["ref"]
    listed = client.get("/api/v1/issues", headers=world.h("office")).json()["items"]
    assert len(listed) == 1 and len(listed[0]["events"]) == 1


def test_the_same_id_with_other_content_is_a_conflict(report, make_photo):
    body = {"id": str(uuid.uuid4()), "photo_ids": [make_photo()]}
    assert report(**body).status_code == 201
    r = report(**{**body, "description": "different"})
    assert r.status_code == 409 and body["id"] in r.json()["detail"]
    # another user re-sending the same body under that id does not get someone else's issue
    assert report("road", **body).status_code == 409


def test_gcj02_coordinates_are_stored_as_wgs84(report):
    from app.geo import from_wgs84

    glon, glat = from_wgs84(LON, LAT, "gcj02")
    issue = report(lon=glon, lat=glat, crs="gcj02").json()
    assert abs(issue["lon"] - LON) < 1e-6 and abs(issue["lat"] - LAT) < 1e-6
    assert issue["unit"] == "cgj"


def test_a_point_outside_every_zone_has_no_unit_yet(report):
    issue = report(lon=OUTSIDE[0], lat=OUTSIDE[1]).json()
    assert issue["unit"] is None and issue["zones"] == []


def test_bad_reports_are_refused_with_a_reason(report, make_photo):
    cases = [
        ({"photo_ids": []}, 422, "photo_ids"),
        ({"photo_ids": ["no-such-photo"]}, 422, "no-such-photo"),
        ({"category": "nope"}, 422, "nope"),
        ({"lat": 91}, 422, "lat"),
        ({"lon": "east"}, 422, "lon"),
        ({"crs": "utm"}, 422, "crs"),
        ({"id": "not-a-uuid"}, 422, "id"),
        ({"accuracy_m": -1}, 422, "accuracy_m"),
        ({"description": "x" * 4001}, 422, "description"),
        ({"after_photo_ids": [make_photo()]}, 422, "fixed_on_site"),
    ]
    for body, status, word in cases:
        r = report(**body)
        assert r.status_code == status, (body, r.text)
        assert word in r.json()["detail"], (body, r.json())


def test_nan_coordinates_are_refused(client, world, make_photo):
    raw = '{"category": "env.litter", "lat": NaN, "lon": 112.95, "photo_ids": ["' + make_photo() + '"]}'
    r = client.post(
        "/api/v1/issues", content=raw, headers={**world.h("grid"), "Content-Type": "application/json"}
    )
    assert r.status_code == 422


def test_nothing_is_half_saved_when_a_report_is_refused(report, client, world):
    report(photo_ids=["missing"])
    assert client.get("/api/v1/issues", headers=world.h("office")).json()["items"] == []
    first = report().json()
    assert int(first["ref"].split("-")[1]) == 1  # the refused report used no number


def test_near_duplicates_of_the_same_category_are_surfaced(report):
    first = report().json()
    near = report(lon=offset(20)[0]).json()
    assert [d["ref"] for d in near["possible_duplicates"]] == [first["ref"]]
    assert 19 < near["possible_duplicates"][0]["distance_m"] < 21
    assert report(lon=offset(80)[0]).json()["possible_duplicates"] == []  # beyond 30 m of both
    assert report(category="fac.bench").json()["possible_duplicates"] == []  # another category


def test_unauthenticated_reports_are_refused(client, make_photo, world):
    r = client.post(
        "/api/v1/issues", json={"category": "env.litter", "lat": LAT, "lon": LON, "photo_ids": ["x"]}
    )
    assert r.status_code == 401


def test_the_service_takes_a_report_without_photos_for_open311(world, settings, session):
    from app.models.issue import IssueCreate
    from app.services.issues import create_issue

    data = IssueCreate(category="env.litter", lat=LAT, lon=LON, description="来自12345热线")
    shown, created = create_issue(session, settings, world.user("office"), data)
    assert created and shown.status == "reported" and shown.photos == [] and shown.unit == "cgj"
    assert shown.events[0].photo_ids == []
