"""Patrols through the API: coverage in metres, idempotent batches, fakes flagged, midnight, holidays, roles."""

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.models.base import utcnow

from .conftest import walk

TZ = ZoneInfo("Asia/Shanghai")


def seg(patrol_or_day, code):
    rows = patrol_or_day["by_segment"] if "by_segment" in patrol_or_day else patrol_or_day["segments"]
    return next(s for s in rows if s["code"] == code)


def test_walking_half_a_segment_covers_half_of_it_plus_the_buffer(patrol, settings):
    start = utcnow() - timedelta(hours=1)
    got = patrol(walk(start, (-500, 0), (0, 0)))
    assert got["status"] == "ended" and got["suspect"] is False and got["flags"] == {}
    r001 = seg(got, "R001")
    assert r001["length_m"] == pytest.approx(1000, rel=0.01)
    assert r001["covered_m"] == pytest.approx(500 + settings.patrol_buffer_m, rel=0.01)
    assert r001["patrolled"] is False
    assert seg(got, "R002")["covered_m"] == 0
    assert got["distance_m"] == pytest.approx(500, rel=0.01)


def test_a_batch_is_stored_once_and_its_id_cannot_carry_other_points(client, road_world):
    h = road_world.h("road")
    pid = str(uuid.uuid4())
    assert client.post("/api/v1/patrols", json={"id": pid}, headers=h).status_code == 201
    assert client.post("/api/v1/patrols", json={"id": pid}, headers=h).status_code == 200
    points = walk(utcnow() - timedelta(minutes=10), (-500, 0), (-300, 0))
    body = {"batch_id": str(uuid.uuid4()), "points": points}
    first = client.post(f"/api/v1/patrols/{pid}/points", json=body, headers=h)
    again = client.post(f"/api/v1/patrols/{pid}/points", json=body, headers=h)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["patrol"]["points"] == len(points) == first.json()["accepted"]
    other = dict(body, points=points[:3])
    assert client.post(f"/api/v1/patrols/{pid}/points", json=other, headers=h).status_code == 409
    ended = client.post(f"/api/v1/patrols/{pid}/end", json={}, headers=h)
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert client.post(f"/api/v1/patrols/{pid}/end", json={}, headers=h).json() == ended.json()


def test_a_jump_is_flagged_and_left_out_and_a_teleport_makes_the_track_suspect(patrol):
    points = walk(utcnow() - timedelta(hours=1), (-500, 0), (500, 0))
    points[40]["lat"] += 0.01  # a kilometre north and straight back: a GPS glitch, once
    got = patrol(points)
    assert got["suspect"] is False and got["flags"] == {"jump": 1}
    assert seg(got, "R002")["covered_m"] == 0  # the jump passed R002 by; it is not counted
    assert seg(got, "R001")["patrolled"] is True
    teleport = walk(utcnow() - timedelta(hours=1), (-500, 0), (500, 0))
    for p in teleport[60:]:
        p["lon"] += 0.05  # five kilometres east in one step, walking on from there
    got = patrol(teleport)
    assert got["suspect"] is True and got["flags"] == {"impossible_speed": 1}


def test_issues_reported_during_the_patrol_are_linked_to_it(client, road_world, patrol, report, make_photo):
    h = road_world.h("road")
    pid = str(uuid.uuid4())
    start = utcnow() - timedelta(minutes=5)
    client.post("/api/v1/patrols", json={"id": pid, "started_at": start.isoformat()}, headers=h)
    issue = report("road").json()
    # a photo taken before the patrol began, reported during it: it counts by its arrival
    older = report("road", photo_ids=[make_photo(taken_at=start - timedelta(minutes=10))]).json()
    # the points of a patrol still running: 420 m at 1.4 m/s, from its start to now (so it touches the day its
    # issues are reported on, even minutes after midnight, when it began the day before)
    body = {"batch_id": str(uuid.uuid4()), "points": walk(start, (-500, 0), (-80, 0))}
    client.post(f"/api/v1/patrols/{pid}/points", json=body, headers=h)
    got = client.get(f"/api/v1/patrols/{pid}", headers=road_world.h("office")).json()
    assert [i["ref"] for i in got["issues"]] == [issue["ref"], older["ref"]]
    reported = datetime.fromisoformat(issue["created_at"]).astimezone(TZ).date()  # not today, a moment later
    day = client.get(f"/api/v1/patrols/daily?unit=zjj&date={reported}", headers=road_world.h("office")).json()
    assert day[0]["issues_found"] == 2 and day[0]["fixed_on_site"] == 0 and day[0]["patrols"] == 1


def test_a_report_made_offline_during_the_patrol_is_linked_though_it_arrives_after_the_end(
    client, road_world, patrol, report, make_photo
):
    start = utcnow() - timedelta(hours=1)
    points = walk(start, (-500, 0), (-100, 0))
    done = patrol(points)  # ended at its last point, minutes after it started
    ended = datetime.fromisoformat(done["ended_at"])
    shot_then = make_photo(taken_at=start + (ended - start) / 2)  # taken with no signal, mid-patrol
    late = report("road", photo_ids=[shot_then]).json()  # ... and sent once back in signal
    now = report("road").json()  # taken and sent now: after the patrol
    got = client.get(f"/api/v1/patrols/{done['id']}", headers=road_world.h("office")).json()
    assert [i["ref"] for i in got["issues"]] == [late["ref"]]
    assert now["ref"] not in {i["ref"] for i in got["issues"]}
    local_day = start.astimezone(TZ).date().isoformat()
    day = client.get(
        f"/api/v1/patrols/daily?unit=zjj&date={local_day}", headers=road_world.h("office")
    ).json()
    assert day[0]["issues_found"] == 1


def test_a_patrol_across_midnight_counts_on_each_day_for_its_part(client, road_world, patrol):
    day = (utcnow().astimezone(TZ) - timedelta(days=2)).date()
    midnight = datetime.combine(day + timedelta(days=1), time(0), TZ)
    before = walk(midnight - timedelta(minutes=6), (-500, 0), (0, 0))  # ~6 min west half, then east half
    after = walk(datetime.fromisoformat(before[-1]["t"]) + timedelta(seconds=5), (7, 0), (500, 0))
    patrol(before + after)
    h = road_world.h("office")
    first = client.get(f"/api/v1/patrols/daily?date={day}&unit=zjj", headers=h).json()[0]
    second = client.get(f"/api/v1/patrols/daily?date={day + timedelta(days=1)}&unit=zjj", headers=h).json()[0]
    assert first["patrols"] == second["patrols"] == 1
    split = [
        p for p in before + after if datetime.fromisoformat(p["t"]) < midnight
    ]  # the points before midnight walk this far
    assert 0.3 < seg(first, "R001")["share"] < 0.7 and 0.3 < seg(second, "R001")["share"] < 0.7
    assert seg(first, "R001")["share"] + seg(second, "R001")["share"] == pytest.approx(1.06, abs=0.02)
    assert first["distance_m"] + second["distance_m"] == pytest.approx(1000, rel=0.02)
    assert len(split) < len(before + after)


def test_a_holiday_is_not_due_and_does_not_count_against_a_segment(client, road_world, patrol, settings):
    admin, office = road_world.h("admin"), road_world.h("office")
    today = utcnow().astimezone(TZ).date()
    last = today - timedelta(days=8)
    start = datetime.combine(last, time(10), TZ)
    patrol(walk(start, (-520, 0), (520, 0), speed=5))  # R001, all of it, by bike
    listed = client.get("/api/v1/patrols/unpatrolled", headers=office).json()
    assert [s["code"] for s in listed] == ["R002", "R001"]  # never patrolled first, then 8 days' worth
    assert listed[0]["days"] is None and listed[1]["last_patrolled"] == last.isoformat()
    assert listed[1]["days"] >= settings.patrol_unpatrolled_days
    for k in range(1, 9):
        day = last + timedelta(days=k)
        r = client.put(
            f"/api/v1/calendar/days/{day}", json={"kind": "holiday", "name": "假期"}, headers=admin
        )
        assert r.status_code in (200, 201), r.text
    listed = client.get("/api/v1/patrols/unpatrolled", headers=office).json()
    assert [s["code"] for s in listed] == ["R002"]  # since then only holidays: nothing was due
    holiday = client.get(f"/api/v1/patrols/daily?date={today}&unit=zjj", headers=office).json()[0]
    assert holiday["due"] is False and holiday["segments_due"] == 0 and holiday["segments"] == 2
    worked = client.get(f"/api/v1/patrols/daily?date={last}&unit=zjj", headers=office).json()[0]
    assert worked["segments_patrolled"] == 1 and seg(worked, "R001")["patrolled"] is True


def test_the_patrol_routes_refuse_the_roles_that_may_not_use_them(client, road_world, patrol):
    got = patrol(walk(utcnow() - timedelta(hours=1), (-500, 0), (-400, 0)))
    pid = got["id"]
    for who in ("grid", "unit", "office", "admin"):
        assert (
            client.post(
                "/api/v1/patrols", json={"id": str(uuid.uuid4())}, headers=road_world.h(who)
            ).status_code
            == 403
        )
    points = {"batch_id": str(uuid.uuid4()), "points": walk(utcnow(), (0, 0), (10, 0))}
    assert (
        client.post(f"/api/v1/patrols/{pid}/points", json=points, headers=road_world.h("road2")).status_code
        == 404
    )
    assert (
        client.post(f"/api/v1/patrols/{pid}/end", json={}, headers=road_world.h("road2")).status_code == 404
    )
    assert client.get(f"/api/v1/patrols/{pid}", headers=road_world.h("road2")).status_code == 200  # same unit
    assert client.get(f"/api/v1/patrols/{pid}", headers=road_world.h("road_cgj")).status_code == 404
    assert client.get(f"/api/v1/patrols/{pid}", headers=road_world.h("unit")).status_code == 404  # cgj's
    assert client.get(f"/api/v1/patrols/{pid}", headers=road_world.h("grid")).status_code == 404
    assert client.get("/api/v1/patrols", headers=road_world.h("grid")).status_code == 403
    assert client.get("/api/v1/patrols/daily", headers=road_world.h("grid")).status_code == 403
    assert client.get("/api/v1/patrols/daily?unit=cgj", headers=road_world.h("road")).status_code == 403
    assert client.get("/api/v1/patrols/unpatrolled", headers=road_world.h("road")).status_code == 403
    assert client.get("/api/v1/patrols/unpatrolled", headers=road_world.h("office")).status_code == 200
    mine = client.get("/api/v1/patrols/daily", headers=road_world.h("road")).json()
    assert [d["unit"] for d in mine] == ["zjj"]
    assert [p["id"] for p in client.get("/api/v1/patrols", headers=road_world.h("road")).json()] == [pid]


def test_times_from_the_future_are_refused_or_flagged(client, road_world):
    h = road_world.h("road")
    ahead = (utcnow() + timedelta(hours=1)).isoformat()
    r = client.post("/api/v1/patrols", json={"id": str(uuid.uuid4()), "started_at": ahead}, headers=h)
    assert r.status_code == 422 and "future" in r.json()["detail"]
    pid = str(uuid.uuid4())
    client.post("/api/v1/patrols", json={"id": pid}, headers=h)
    points = walk(utcnow() + timedelta(hours=1), (-500, 0), (-450, 0))
    r = client.post(
        f"/api/v1/patrols/{pid}/points", json={"batch_id": str(uuid.uuid4()), "points": points}, headers=h
    )
    assert r.status_code == 201 and r.json()["patrol"]["flags"] == {"future": len(points)}


def test_a_patrols_track_for_the_map_its_trusted_line_and_each_point_left_out(client, road_world, patrol):
    points = walk(utcnow() - timedelta(hours=1), (-500, 0), (500, 0))
    points[40]["lat"] += 0.01  # a jump: left out, and shown as such
    got = patrol(points)
    r = client.get(f"/api/v1/patrols/{got['id']}/track", headers=road_world.h("office"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    features = r.json()["features"]
    line = [f for f in features if f["properties"]["kind"] == "trusted"]
    flagged = [f for f in features if f["properties"]["kind"] == "flagged"]
    assert len(line) == 1 and line[0]["properties"]["points"] == len(points) - 1
    assert line[0]["geometry"]["type"] == "MultiLineString"
    (run,) = line[0]["geometry"][
        "coordinates"
    ]  # one run: the jump's neighbours are close enough to be joined
    assert run[0] == [points[0]["lon"], points[0]["lat"]] and len(run) == len(points) - 1
    assert [(f["properties"]["flag"], f["geometry"]["coordinates"]) for f in flagged] == [
        ("jump", [points[40]["lon"], points[40]["lat"]])
    ]
    # the unit's own people (zjj) read it too; another unit (cgj) and grid workers do not
    for who in ("road", "other_unit"):
        assert client.get(f"/api/v1/patrols/{got['id']}/track", headers=road_world.h(who)).status_code == 200
    for who in ("unit", "grid"):
        assert client.get(f"/api/v1/patrols/{got['id']}/track", headers=road_world.h(who)).status_code == 404


def test_a_teleport_breaks_the_track_its_distance_is_not_walked_and_the_map_draws_two_runs(
    client, road_world, patrol
):
    start = utcnow() - timedelta(hours=1)
    west = walk(start, (-500, 0), (-300, 0))
    east = walk(start + timedelta(seconds=5 * len(west)), (300, 0), (500, 0))
    got = patrol(west + east)  # 600 m in 5 s between the two walks: an impossible speed, then a new run
    assert got["flags"].get("impossible_speed") == 1 and got["suspect"]
    assert got["distance_m"] == pytest.approx(200 + 200 - 1.4 * 5, abs=2)  # the jump's 600 m are not counted
    features = client.get(f"/api/v1/patrols/{got['id']}/track", headers=road_world.h("road")).json()[
        "features"
    ]
    (line,) = [f for f in features if f["properties"]["kind"] == "trusted"]
    assert [len(run) for run in line["geometry"]["coordinates"]] == [len(west), len(east) - 1]


def test_the_track_of_a_patrol_with_no_points_yet_is_empty_and_an_unknown_one_is_404(client, road_world):
    h = road_world.h("road")
    pid = str(uuid.uuid4())
    assert client.post("/api/v1/patrols", json={"id": pid}, headers=h).status_code == 201
    r = client.get(f"/api/v1/patrols/{pid}/track", headers=h)
    assert r.status_code == 200 and r.json() == {"type": "FeatureCollection", "features": []}
    assert client.get(f"/api/v1/patrols/{uuid.uuid4()}/track", headers=h).status_code == 404
